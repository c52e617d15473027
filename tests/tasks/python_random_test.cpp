// PythonRandom against CPython's own draws: data/python_random.txt holds what
// random.Random(seed) returned for getrandbits, _randbelow and sample (both
// of sample's branches, their boundary, successive calls on one generator),
// written once by CPython; this test needs no Python.
#include "tasks/python_random.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace llmcal::tasks {
namespace {

struct Expectation {
  int line = 0;
  std::string kind;                 // bits, below, sample
  std::vector<std::uint64_t> args;  // seed, then K / N / N K
  std::vector<std::vector<std::uint64_t>> calls;
};

std::vector<std::uint64_t> Numbers(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::uint64_t> out;
  for (std::uint64_t value; in >> value;)
    out.push_back(value);
  return out;
}

std::vector<Expectation> ReadExpectations() {
  std::ifstream file(LLMCAL_TASKS_TEST_DATA "/python_random.txt");
  EXPECT_TRUE(file) << "cannot open python_random.txt";
  std::vector<Expectation> out;
  int line_number = 0;
  for (std::string line; std::getline(file, line);) {
    ++line_number;
    if (line.empty() || line[0] == '#')
      continue;
    const std::size_t colon = line.find(" : ");
    Expectation e;
    e.line = line_number;
    std::istringstream head(line.substr(0, colon));
    head >> e.kind;
    e.args = Numbers(head.str().substr(e.kind.size()));
    const std::string rest = line.substr(colon + 3);
    if (e.kind == "sample") {
      std::istringstream calls(rest);
      for (std::string call; std::getline(calls, call, '/');)
        e.calls.push_back(Numbers(call));
    } else {
      for (std::uint64_t value : Numbers(rest))
        e.calls.push_back({value});
    }
    out.push_back(e);
  }
  return out;
}

TEST(PythonRandomTest, ReproducesCPythonDraws) {
  const std::vector<Expectation> expectations = ReadExpectations();
  ASSERT_GE(expectations.size(), 20u);
  for (const Expectation& e : expectations) {
    SCOPED_TRACE("python_random.txt line " + std::to_string(e.line));
    PythonRandom rnd(e.args.at(0));
    for (const std::vector<std::uint64_t>& call : e.calls) {
      if (e.kind == "bits") {
        EXPECT_EQ(rnd.GetRandBits(static_cast<int>(e.args.at(1))), call.at(0));
      } else if (e.kind == "below") {
        EXPECT_EQ(rnd.RandBelow(static_cast<std::uint32_t>(e.args.at(1))), call.at(0));
      } else {
        ASSERT_EQ(e.kind, "sample");
        const std::vector<std::size_t> got = rnd.Sample(e.args.at(1), e.args.at(2));
        EXPECT_EQ(std::vector<std::uint64_t>(got.begin(), got.end()), call);
      }
    }
  }
}

TEST(PythonRandomTest, SampleOfEverythingIsAPermutation) {
  PythonRandom rnd(99);
  std::vector<std::size_t> got = rnd.Sample(300, 300);
  std::sort(got.begin(), got.end());
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i], i);
}

}  // namespace
}  // namespace llmcal::tasks
