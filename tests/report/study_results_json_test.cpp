// StudyResults as JSON: the fixture survives a round trip exactly, and every
// bad file of tests/report/data/bad_results.jsonl (the fixture with one JSON
// patch applied) is refused with an InputError naming the file and the field.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "common/error.h"
#include "report/study_fixture.h"
#include "report/study_results_json.h"
#include "support/test_data.h"

namespace llmcal::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path WriteJson(const std::string& name, const std::string& text) {
  const fs::path path = llmcal::testing::FreshTempDir("report-json") / name;
  std::ofstream(path) << text;
  return path;
}

TEST(StudyResultsJson, RoundTripIsExact) {
  const analysis::StudyResults fixture = testing::FixtureStudy();
  const std::string text = StudyResultsToJson(fixture).dump();
  const analysis::StudyResults back = ReadStudyResults(WriteJson("fixture.json", text));
  EXPECT_EQ(StudyResultsToJson(back).dump(), text);
  ASSERT_EQ(back.estimates.size(), fixture.estimates.size());
  for (std::size_t i = 0; i < back.estimates.size(); ++i) {
    const analysis::MetricEstimate& a = fixture.estimates[i];
    const analysis::MetricEstimate& b = back.estimates[i];
    EXPECT_EQ(a.defined(), b.defined()) << i;
    if (a.defined()) {
      EXPECT_EQ(a.value, b.value) << i;  // bit for bit: shortest round-trip digits
    }
    EXPECT_EQ(a.ci.has_value(), b.ci.has_value()) << i;
  }
}

TEST(StudyResultsJson, InfinitiesAndUndefinedValuesSurvive) {
  analysis::StudyResults r = testing::FixtureStudy();
  r.estimates[0].value = INFINITY;
  r.estimates[1].ci = analysis::Interval{-INFINITY, 0.5};
  const json j = json::parse(StudyResultsToJson(r).dump());
  EXPECT_EQ(j["estimates"][0]["value"], "inf");
  EXPECT_EQ(j["estimates"][1]["ci"][0], "-inf");
  const analysis::StudyResults back = StudyResultsFromJson(j, "in memory");
  EXPECT_EQ(back.estimates[0].value, INFINITY);
  EXPECT_EQ(back.estimates[1].ci->lo, -INFINITY);
  const auto undefined =
      std::find_if(back.estimates.begin(), back.estimates.end(),
                   [](const analysis::MetricEstimate& e) { return !e.defined(); });
  ASSERT_NE(undefined, back.estimates.end());
  EXPECT_TRUE(std::isnan(undefined->value));
  EXPECT_FALSE(undefined->ci);
  EXPECT_NE(undefined->undefined_reason.find("AUROC"), std::string::npos);
}

struct BadCase {
  std::string why;
  json patch;
  std::string error;
};

std::vector<BadCase> BadCases() {
  std::ifstream in(fs::path(REPORT_TEST_DIR) / "data" / "bad_results.jsonl");
  std::vector<BadCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    const json c = json::parse(line);
    cases.push_back({c.at("why"), c.at("patch"), c.at("error")});
  }
  return cases;
}

TEST(StudyResultsJson, BadFilesNameTheFileAndField) {
  const json fixture = json::parse(StudyResultsToJson(testing::FixtureStudy()).dump());
  const std::vector<BadCase> cases = BadCases();
  ASSERT_GE(cases.size(), 15u);
  for (const BadCase& c : cases) {
    const fs::path path = WriteJson("bad.json", fixture.patch(c.patch).dump());
    try {
      ReadStudyResults(path);
      ADD_FAILURE() << c.why << ": accepted";
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_TRUE(message.starts_with(path.string() + ": ")) << c.why << ": " << message;
      EXPECT_NE(message.find(c.error), std::string::npos)
          << c.why << "\n  expected: " << c.error << "\n  got:      " << message;
    }
  }
}

TEST(StudyResultsJson, MalformedAndMissingFiles) {
  const fs::path bad = WriteJson("broken.json", "{\"models\": [");
  try {
    ReadStudyResults(bad);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with(bad.string() + ": malformed JSON: ")) << e.what();
  }
  EXPECT_THROW(ReadStudyResults(bad.parent_path() / "absent.json"), InputError);
}

TEST(StudyResultsJson, OptionalPartsMayBeLeftOut) {
  const analysis::StudyResults r =
      StudyResultsFromJson(json::parse(R"({"models": ["a"], "tasks": ["t"], "methods": ["sum"],
                      "estimates": [{"model": "a", "task": "t", "method": "sum",
                                     "metric": "ece", "value": 0.1}],
                      "metrics": [{"name": "ece", "lower_is_better": true,
                                   "calibration_error": true}]})"),
                           "minimal");
  ASSERT_EQ(r.estimates.size(), 1u);
  EXPECT_EQ(r.estimates[0].value, 0.1);
  EXPECT_FALSE(r.estimates[0].ci);
  EXPECT_EQ(r.estimates[0].n, 0);
  EXPECT_TRUE(r.pairs.empty());
  EXPECT_EQ(r.analysis.bins, 10);
}

}  // namespace
}  // namespace llmcal::report
