#include "calibration/metric_table.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

namespace llmcal::calibration {
namespace {

TEST(MetricTable, OneRowPerIdInIdOrder) {
  ASSERT_EQ(KnownMetrics().size(), kMetricIdCount);
  std::set<std::string_view> names;
  for (std::size_t j = 0; j < kMetricIdCount; ++j) {
    const MetricDefinition& m = KnownMetrics()[j];
    EXPECT_EQ(static_cast<std::size_t>(m.id), j) << m.name;
    EXPECT_EQ(&Info(m.id), &m);
    EXPECT_FALSE(m.description.empty()) << m.name;
    EXPECT_TRUE(names.insert(m.name).second) << m.name << " repeats";
  }
}

TEST(MetricTable, CalibrationErrorEstimatorsAreTheEceLikeMetrics) {
  std::set<std::string_view> estimators;
  for (const MetricDefinition& m : KnownMetrics()) {
    if (m.calibration_error)
      estimators.insert(m.name);
  }
  EXPECT_EQ(estimators, (std::set<std::string_view>{"ece", "ece_em", "mce", "sce", "ace", "smece",
                                                    "ece_cl", "sce_cl", "brier_rel"}));
  EXPECT_FALSE(Info(MetricId::kAccuracy).lower_is_better);
  EXPECT_FALSE(Info(MetricId::kAuroc).lower_is_better);
  EXPECT_TRUE(Info(MetricId::kAurc).lower_is_better);
}

TEST(ParseMetricSpec, EveryNameReadsBackAsItself) {
  for (const MetricSpec& spec : AllMetrics()) {
    EXPECT_EQ(ParseMetricSpec(spec.Name()), spec) << spec.Name();
  }
}

TEST(ParseMetricSpec, CoverageParameter) {
  const MetricSpec s = ParseMetricSpec("selective_acc@.25");
  EXPECT_EQ(s.id, MetricId::kSelectiveAcc);
  EXPECT_EQ(s.parameter, 0.25);
  EXPECT_EQ(s.Name(), "selective_acc@0.25");  // canonical spelling
  EXPECT_EQ(ParseMetricSpec("selective_acc@1").parameter, 1.0);
  EXPECT_EQ(ParseMetricSpec("selective_acc@0.1").Name(), "selective_acc@0.1");
}

TEST(ParseMetricSpec, RejectsWithTheKnownNames) {
  for (const char* bad : {"foo", "ECE", "", "ece@0.5", "selective_acc", "selective_acc@",
                          "selective_acc@0", "selective_acc@1.5", "selective_acc@-0.1",
                          "selective_acc@abc", "selective_acc@0.5x", "selective_acc@nan"}) {
    try {
      ParseMetricSpec(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(std::string("'") + bad + "'"), std::string::npos) << message;
      EXPECT_NE(message.find("known: accuracy, ece,"), std::string::npos) << message;
      EXPECT_NE(message.find("selective_acc@C (0 < C <= 1)"), std::string::npos) << message;
    }
  }
}

TEST(ParseMetricSelection, KeepsOrderAndDropsRepeats) {
  const std::vector<MetricSpec> s =
      ParseMetricSelection("sce_cl,ece,selective_acc@0.5,ece,selective_acc@.5,selective_acc@0.1");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].Name(), "sce_cl");
  EXPECT_EQ(s[1].Name(), "ece");
  EXPECT_EQ(s[2].Name(), "selective_acc@0.5");
  EXPECT_EQ(s[3].Name(), "selective_acc@0.1");
  EXPECT_THROW(ParseMetricSelection(""), std::invalid_argument);
  EXPECT_THROW(ParseMetricSelection("ece,"), std::invalid_argument);
  EXPECT_THROW(ParseMetricSelection("ece,,sce"), std::invalid_argument);
  EXPECT_THROW(ParseMetricSelection("ece,bogus"), std::invalid_argument);
}

TEST(AllMetrics, EveryMetricWithDefaultCoverages) {
  const std::vector<MetricSpec> all = AllMetrics();
  EXPECT_EQ(all.size(), kMetricIdCount + 1);  // selective_acc twice
  EXPECT_EQ(all.front().Name(), "accuracy");
  EXPECT_NE(IndexOf(all, ParseMetricSpec("selective_acc@0.1")), all.size());
  EXPECT_NE(IndexOf(all, ParseMetricSpec("selective_acc@0.5")), all.size());
  EXPECT_EQ(IndexOf(all, ParseMetricSpec("selective_acc@0.2")), all.size());
  for (const MetricDefinition& m : KnownMetrics()) {
    EXPECT_TRUE(std::any_of(all.begin(), all.end(), [&m](const MetricSpec& s) {
      return s.id == m.id;
    })) << m.name;
  }
}

// docs/calibration.md lists every metric exactly as the table has it:
// "| `name` | lower | CE | description |".
TEST(MetricTable, DocsListEveryMetric) {
  std::ifstream in(LLMCAL_CALIBRATION_DOC);
  ASSERT_TRUE(in) << LLMCAL_CALIBRATION_DOC;
  std::stringstream doc;
  doc << in.rdbuf();
  for (const MetricDefinition& m : KnownMetrics()) {
    const std::string name =
        std::string(m.name) + (m.parameter == MetricParameter::kCoverage ? "@C" : "");
    const std::string row = "| `" + name + "` | " + (m.lower_is_better ? "yes" : "no") + " | " +
                            (m.calibration_error ? "yes" : "no") + " | " +
                            std::string(m.description) + " |\n";
    EXPECT_NE(doc.str().find(row), std::string::npos) << "docs/calibration.md lacks: " << row;
  }
}

}  // namespace
}  // namespace llmcal::calibration
