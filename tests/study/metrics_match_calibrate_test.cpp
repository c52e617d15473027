// The two roads to a metric give the same number: `llmcal run` then
// `llmcal metrics` (the store) against `llmcal prompts | llmcal score |
// llmcal calibrate` (JSONL), on the same items of the real tiny model, with
// the same bins and bootstrap. And `llmcal compare`'s change rate is
// (IT - PT) / PT of what `metrics` reports for the two models.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kItems = "40";  // one block and one score chunk: the same batches

fs::path Stories() {
  return TestDataDir() / "models" / "stories260K.gguf";
}

CommandResult Llmcal(const std::vector<std::string>& args) {
  CommandResult result = RunLlmcal(args);
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  return result;
}

// metric -> {value, lo, hi} of `llmcal metrics --format json` rows of one model.
std::map<std::string, std::array<double, 3>> MetricsRows(const std::string& text,
                                                         const std::string& model) {
  std::map<std::string, std::array<double, 3>> rows;
  for (const json& row : json::parse(text)) {
    if (row.at("model") != model || row.at("value").is_null())
      continue;
    rows[row.at("metric")] = {row.at("value").get<double>(), row.at("ci")[0].get<double>(),
                              row.at("ci")[1].get<double>()};
  }
  return rows;
}

TEST(MetricsFromTheStore, EqualCalibrateOnTheSameScores) {
  const fs::path dir = FreshTempDir("llmcal-metrics-vs-calibrate");
  const std::string db = (dir / "s.sqlite").string();
  const std::string data = TestDataDir().string();
  Llmcal({"run", "--model", "s=" + Stories().string(), "--task", "arc_easy", "--data", data,
          "--style", "choice", "--limit", kItems, "--db", db, "--quiet"});
  const std::string prompts = (dir / "prompts.jsonl").string();
  const std::string scores = (dir / "scores.jsonl").string();
  std::ofstream(prompts) << Llmcal({"prompts", "--task", "arc_easy", "--data", data, "--style",
                                    "choice", "--limit", kItems, "--format", "jsonl"})
                                .stdout_text;
  Llmcal({"score", "-m", Stories().string(), "-i", prompts, "-o", scores});

  const std::vector<std::string> common = {"--bins", "12", "--bootstrap", "200", "--seed", "9"};
  std::vector<std::string> calibrate = {"calibrate", "--input",  scores, "--method",
                                        "choice",    "--format", "json"};
  calibrate.insert(calibrate.end(), common.begin(), common.end());
  std::vector<std::string> metrics = {"metrics", "--db",     db,    "--method",
                                      "choice",  "--format", "json"};
  metrics.insert(metrics.end(), common.begin(), common.end());
  const json expected = json::parse(Llmcal(calibrate).stdout_text).at("metrics");
  const auto got = MetricsRows(Llmcal(metrics).stdout_text, "s");

  int compared = 0;
  for (const auto& [name, entry] : expected.items()) {
    if (entry.at("value").is_null())
      continue;
    ASSERT_TRUE(got.count(name)) << name;
    EXPECT_NEAR(got.at(name)[0], entry.at("value").get<double>(), 1e-12) << name;
    EXPECT_NEAR(got.at(name)[1], entry.at("ci")[0].get<double>(), 1e-12) << name;
    EXPECT_NEAR(got.at(name)[2], entry.at("ci")[1].get<double>(), 1e-12) << name;
    ++compared;
  }
  EXPECT_GE(compared, 18);
}

TEST(CompareFromTheStore, ChangeRatesAreThoseOfTheTwoModelsMetrics) {
  const fs::path dir = FreshTempDir("llmcal-compare-vs-metrics");
  const std::string db = (dir / "s.sqlite").string();
  const std::string hot = (dir / "hot.gguf").string();
  ASSERT_EQ(RunCommand((BuildDir() / "llmcal-make-model").string(),
                       {"--from", Stories().string(), "--logit-scale", "2", "--out", hot})
                .exit_code,
            0);
  Llmcal({"run", "--model", "base=" + Stories().string(), "--model", "hot=" + hot, "--task", "piqa",
          "--data", TestDataDir().string(), "--style", "choice", "--limit", kItems, "--db", db,
          "--quiet"});
  const std::vector<std::string> selection = {
      "--method", "choice", "--metric",    "accuracy,ece,sce,sce_cl,brier",
      "--format", "json",   "--bootstrap", "0"};
  std::vector<std::string> metrics = {"metrics", "--db", db};
  metrics.insert(metrics.end(), selection.begin(), selection.end());
  std::vector<std::string> compare = {"compare", "--db", db, "--pair", "base:hot"};
  compare.insert(compare.end(), selection.begin(), selection.end());
  const std::string metrics_text = Llmcal(metrics).stdout_text;
  std::map<std::string, double> pt, it;
  for (const json& row : json::parse(metrics_text)) {
    (row.at("model") == "base" ? pt : it)[row.at("metric")] = row.at("value").get<double>();
  }
  int compared = 0;
  for (const json& row : json::parse(Llmcal(compare).stdout_text)) {
    const std::string metric = row.at("metric");
    EXPECT_DOUBLE_EQ(row.at("pt").get<double>(), pt.at(metric)) << metric;
    EXPECT_DOUBLE_EQ(row.at("it").get<double>(), it.at(metric)) << metric;
    if (pt.at(metric) != 0) {
      EXPECT_NEAR(row.at("change_rate").get<double>(),
                  (it.at(metric) - pt.at(metric)) / pt.at(metric) * 100, 1e-9)
          << metric;
    }
    ++compared;
  }
  EXPECT_EQ(compared, 5);
}

}  // namespace
}  // namespace llmcal::testing
