// `llmcal report` as a user runs it: output, messages, exit codes, and a PATH
// without gnuplot.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "report/study_fixture.h"
#include "report/study_results_json.h"
#include "report/text_file.h"
#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::report {
namespace {

namespace fs = std::filesystem;
using llmcal::testing::RunCommand;
using llmcal::testing::RunLlmcal;

fs::path FixtureFile(const fs::path& dir) {
  const fs::path path = dir / "results.json";
  WriteTextFile(path, StudyResultsToJson(testing::FixtureStudy()).dump());
  return path;
}

TEST(ReportCommand, WritesTheReportAndPrintsItsPath) {
  const fs::path dir = llmcal::testing::FreshTempDir("report-cli");
  const auto r = RunLlmcal({"report", "--from-json", FixtureFile(dir).string(), "--out",
                            (dir / "out").string(), "--figure1-metrics", "ece,sce_cl", "--title",
                            "Demo & co"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.stdout_text, (dir / "out" / "report.html").string() + "\n");
  const std::string html = ReadTextFile(dir / "out" / "report.html");
  EXPECT_NE(html.find("<title>Demo &amp; co</title>"), std::string::npos);
  EXPECT_NE(ReadTextFile(dir / "out" / "figures" / "figure1_OLMo_7B_sum.values.dat").find("sce_cl"),
            std::string::npos);
}

TEST(ReportCommand, WithoutGnuplotOnPathItStillWritesEveryTable) {
  const fs::path dir = llmcal::testing::FreshTempDir("report-cli");
  const auto r = RunCommand(
      "/usr/bin/env",
      {"PATH=" + (dir / "empty").string(), (llmcal::testing::BuildDir() / "llmcal").string(),
       "report", "--from-json", FixtureFile(dir).string(), "--out", (dir / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("gnuplot not found: figures not drawn (install gnuplot-nox)"),
            std::string::npos)
      << r.stderr_text;
  const std::string html = ReadTextFile(dir / "out" / "report.html");
  EXPECT_NE(html.find("apt-get install gnuplot-nox"), std::string::npos);
  EXPECT_NE(html.find("<caption>Significant changes over every (task, method)</caption>"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "out" / "figures" / "figure2_sce.gp"));
  EXPECT_FALSE(fs::exists(dir / "out" / "figures" / "figure2_sce.svg"));
}

TEST(ReportCommand, BadResultsNameTheFileAndFieldAndExit1) {
  const fs::path dir = llmcal::testing::FreshTempDir("report-cli");
  nlohmann::json j = nlohmann::json::parse(StudyResultsToJson(testing::FixtureStudy()).dump());
  j["changes"][5]["metric"] = "ecee";
  WriteTextFile(dir / "bad.json", j.dump());
  const auto r = RunLlmcal(
      {"report", "--from-json", (dir / "bad.json").string(), "--out", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.stderr_text, "llmcal: error: " + (dir / "bad.json").string() +
                               ": field 'changes[5].metric': 'ecee' is not among the declared "
                               "metrics\n");
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(ReportCommand, UsageErrorsExit2) {
  EXPECT_EQ(RunLlmcal({"report", "--out", "x"}).exit_code, 2);
  EXPECT_EQ(RunLlmcal({"report", "--from-json", "x.json"}).exit_code, 2);
}

}  // namespace
}  // namespace llmcal::report
