// Hand-computed metric values as data (DuckDB style): every file in
// tests/calibration/cases/ is one case, run by the one runner below. A case
// file holds, one per line (blank lines and # comments, which carry the hand
// computation, are skipped):
//
//   bins B                       equal-width bins etc. (default 10)
//   cl_bins B                    calibration_library's bins (default 15)
//   item p_0 p_1 ... gold k      an item's probabilities
//   scores s_0 s_1 ... gold k    an item's log-scores (softmax)
//   expect NAME VALUE [TOL]      metric NAME equals VALUE within TOL (1e-12);
//                                VALUE may be a fraction a/b
//   expect NAME undefined        metric NAME is undefined
//
// Adding a case costs one file.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "calibration/metrics.h"
#include "support/case_file.h"

namespace llmcal::calibration {
namespace {

const std::filesystem::path kCasesDir = LLMCAL_CALIBRATION_CASES;

struct Expectation {
  MetricSpec spec;
  bool undefined = false;
  double value = 0;
  double tolerance = 1e-12;
  std::string where;  // "FILE:LINE" of the expect line
};

struct Case {
  BinOptions bins;
  ChoiceProbabilities data;
  std::vector<Expectation> expected;
};

// "0.25" or "3.4/14".
double ParseNumber(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos)
    return std::stod(text);
  return std::stod(text.substr(0, slash)) / std::stod(text.substr(slash + 1));
}

// Reads "v_0 v_1 ... gold k" from `in`.
void ReadItem(std::istringstream& in, std::vector<double>& values, int& gold) {
  std::string word;
  while (in >> word && word != "gold")
    values.push_back(ParseNumber(word));
  if (word != "gold" || !(in >> gold))
    throw std::runtime_error("expected '... gold k'");
}

Case ReadCase(const std::filesystem::path& path) {
  Case c;
  testing::CaseReader reader(path);
  while (const std::optional<testing::CaseLine> line = reader.Next()) {
    static const std::set<std::string> kKeywords = {"bins", "cl_bins", "item", "scores", "expect"};
    if (!kKeywords.contains(line->keyword))
      line->Fail("unknown keyword '" + line->keyword + "'");
    std::istringstream in(line->rest);
    try {
      if (line->keyword == "bins") {
        in >> c.bins.bins;
      } else if (line->keyword == "cl_bins") {
        in >> c.bins.cl_bins;
      } else if (line->keyword == "item" || line->keyword == "scores") {
        std::vector<double> values;
        int gold = 0;
        ReadItem(in, values, gold);
        line->keyword == "item" ? c.data.Add(values, gold) : c.data.AddScores(values, gold);
      } else {
        Expectation e;
        std::string name, value;
        in >> name >> value;
        e.spec = ParseMetricSpec(name);
        e.undefined = value == "undefined";
        e.value = e.undefined ? 0 : ParseNumber(value);
        std::string tolerance;
        if (in >> tolerance)
          e.tolerance = std::stod(tolerance);
        e.where = line->Where();
        c.expected.push_back(e);
      }
    } catch (const std::exception& e) {  // a malformed number, item or metric name
      line->Fail(e.what());
    }
  }
  return c;
}

class MetricCase : public ::testing::TestWithParam<std::string> {};

TEST_P(MetricCase, MatchesHandComputedValues) {
  const std::filesystem::path path = kCasesDir / (GetParam() + ".case");
  const Case c = ReadCase(path);
  ASSERT_FALSE(c.data.empty()) << path;
  ASSERT_FALSE(c.expected.empty()) << path;
  std::vector<MetricSpec> selection;
  for (const Expectation& e : c.expected)
    selection.push_back(e.spec);
  const MetricEvaluator evaluator(c.data, selection, c.bins);
  const std::vector<MetricValue> values = evaluator.Compute();
  for (std::size_t j = 0; j < c.expected.size(); ++j) {
    const Expectation& e = c.expected[j];
    const std::string where = e.where + " " + e.spec.Name();
    if (e.undefined) {
      EXPECT_FALSE(values[j].defined()) << where << " = " << values[j].value;
      EXPECT_FALSE(values[j].reason.empty()) << where;
    } else {
      ASSERT_TRUE(values[j].defined()) << where << ": " << values[j].reason;
      EXPECT_NEAR(values[j].value, e.value, e.tolerance) << where;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, MetricCase,
                         ::testing::ValuesIn(testing::CaseNames(kCasesDir, ".case")),
                         testing::CaseParamName);

}  // namespace
}  // namespace llmcal::calibration
