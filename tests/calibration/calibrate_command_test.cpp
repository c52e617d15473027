// `llmcal calibrate` as a user runs it: output shapes, values, errors, exit codes.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal {
namespace {

using nlohmann::json;
using testing::RunLlmcal;

// The five items of metrics_test.cpp's FiveItems (its hand-computed values).
const char* kFiveItems =
    "{\"probs\": [0.60, 0.40], \"gold\": 0}\n"
    "{\"probs\": [0.80, 0.20], \"gold\": 0}\n"
    "\n"
    "{\"probs\": [0.35, 0.65], \"gold\": 0, \"id\": \"extra fields are ignored\"}\n"
    "{\"probs\": [0.45, 0.55], \"gold\": 0}\n"
    "{\"scores\": [-1.5, -1.5], \"gold\": 1}\n";

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::filesystem::path path = testing::FreshTempDir("calibrate") / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST(CalibrateCommand, JsonWithoutBootstrap) {
  const std::string input = WriteFile("five.jsonl", kFiveItems);
  const auto r = RunLlmcal({"calibrate", "--input", input, "--bootstrap", "0", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const json out = json::parse(r.stdout_text);
  EXPECT_EQ(out["n"], 5);
  EXPECT_EQ(out["bins"], 10);
  const json& m = out["metrics"];
  ASSERT_EQ(m.size(), 9u);
  const std::vector<std::pair<const char*, double>> expected = {
      {"accuracy", 0.4}, {"ece", 0.3},  {"ece_em", 0.46}, {"mce", 0.525},
      {"sce", 0.36},     {"ace", 0.23}, {"brier", 0.47},  {"nll", 0.6550893}};
  for (const auto& [name, value] : expected) {
    ASSERT_TRUE(m.contains(name)) << name;
    EXPECT_NEAR(m[name]["value"].get<double>(), value, 1e-6) << name;
    EXPECT_TRUE(m[name]["ci"].is_null()) << name;
  }
  EXPECT_TRUE(m["smece"]["value"].is_number());
}

TEST(CalibrateCommand, JsonWithBootstrapFromStdin) {
  const auto r = RunLlmcal(
      {"calibrate", "--input", "-", "--bootstrap", "200", "--seed", "3", "--format", "json"},
      kFiveItems);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const json out = json::parse(r.stdout_text);
  for (const auto& [name, metric] : out["metrics"].items()) {
    ASSERT_TRUE(metric["ci"].is_array()) << name;
    ASSERT_EQ(metric["ci"].size(), 2u);
    EXPECT_LE(metric["ci"][0].get<double>(), metric["ci"][1].get<double>()) << name;
  }
  // Reproducible: the same seed gives the same output.
  const auto again = RunLlmcal({"calibrate", "--input", "-", "--bootstrap", "200", "--seed", "3",
                                "--format", "json", "--threads", "1"},
                               kFiveItems);
  EXPECT_EQ(again.stdout_text, r.stdout_text);
}

TEST(CalibrateCommand, TableCsvAndReliability) {
  const std::string input = WriteFile("five.jsonl", kFiveItems);
  const auto table = RunLlmcal({"calibrate", "--input", input, "--bootstrap", "50"});
  ASSERT_EQ(table.exit_code, 0) << table.stderr_text;
  EXPECT_NE(table.stdout_text.find("95% CI"), std::string::npos);
  EXPECT_NE(table.stdout_text.find("ece_em"), std::string::npos);
  EXPECT_NE(table.stdout_text.find("0.3000"), std::string::npos);  // ECE

  const auto csv =
      RunLlmcal({"calibrate", "--input", input, "--bootstrap", "0", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.stderr_text;
  EXPECT_EQ(csv.stdout_text.substr(0, csv.stdout_text.find('\n')),
            "scope,metric,value,ci_lo,ci_hi");
  EXPECT_NE(csv.stdout_text.find("all,ece,0.3,,\n"), std::string::npos) << csv.stdout_text;

  const auto rel = RunLlmcal(
      {"calibrate", "--input", input, "--bootstrap", "0", "--reliability", "--format", "json"});
  ASSERT_EQ(rel.exit_code, 0) << rel.stderr_text;
  const json bins = json::parse(rel.stdout_text)["reliability"];
  ASSERT_EQ(bins.size(), 10u);
  EXPECT_EQ(bins[5]["count"], 2);  // 0.50 and 0.55
  EXPECT_NEAR(bins[5]["confidence"].get<double>(), 0.525, 1e-12);
  EXPECT_EQ(bins[6]["count"], 2);  // 0.60 and 0.65
  EXPECT_NEAR(bins[6]["accuracy"].get<double>(), 0.5, 1e-12);
  EXPECT_TRUE(bins[0]["confidence"].is_null());

  const auto rel_table =
      RunLlmcal({"calibrate", "--input", input, "--bootstrap", "0", "--reliability"});
  EXPECT_NE(rel_table.stdout_text.find("reliability"), std::string::npos);
}

TEST(CalibrateCommand, TemperatureSplit) {
  std::string lines;
  // 200 overconfident binary items: confidence 0.9, right 60% of the time.
  for (int i = 0; i < 200; ++i) {
    lines += i % 5 < 3 ? "{\"probs\": [0.9, 0.1], \"gold\": 0}\n"
                       : "{\"probs\": [0.9, 0.1], \"gold\": 1}\n";
  }
  const auto r = RunLlmcal({"calibrate", "--input", "-", "--bootstrap", "0", "--temperature-split",
                            "0.5", "--format", "json"},
                           lines);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const json t = json::parse(r.stdout_text)["temperature_scaling"];
  EXPECT_EQ(t["fit_items"], 100);
  EXPECT_EQ(t["held_out_items"], 100);
  // Items 1, 3, 5, ... fit: 60 of 100 right, so the fitted confidence is 0.6:
  // 0.9^b / (0.9^b + 0.1^b) = 0.6 -> b = ln 1.5 / ln 9, T = 1 / b.
  EXPECT_NEAR(t["temperature"].get<double>(), std::log(9.0) / std::log(1.5), 1e-6);
  EXPECT_NEAR(t["before"]["ece"]["value"].get<double>(), 0.3, 1e-9);
  EXPECT_NEAR(t["after"]["ece"]["value"].get<double>(), 0.0, 1e-6);
}

struct BadInput {
  const char* name;
  std::string text;
  std::vector<std::string> extra_args;
  std::string message;  // expected in stderr
};

TEST(CalibrateCommand, BadInputNamesTheLine) {
  const BadInput cases[] = {
      {"malformed", "{\"probs\": [0.5, 0.5], \"gold\": 0}\n{\"probs\": [0.5,", {}, ":2: malformed"},
      {"negative", "{\"probs\": [1.5, -0.5], \"gold\": 0}\n", {}, ":1: field 'probs'"},
      {"sum", "{\"probs\": [0.5, 0.6], \"gold\": 0}\n", {}, "sum to 1.1"},
      {"gold range",
       "{\"probs\": [0.5, 0.5], \"gold\": 0}\n{\"probs\": [0.5, 0.5], \"gold\": 2}\n",
       {},
       ":2: field 'gold': 2 is out of range 0..1"},
      {"gold missing", "{\"probs\": [0.5, 0.5]}\n", {}, "field 'gold': missing"},
      {"gold type", "{\"probs\": [0.5, 0.5], \"gold\": \"A\"}\n", {}, "field 'gold'"},
      {"both", "{\"probs\": [1], \"scores\": [0], \"gold\": 0}\n", {}, "exactly one"},
      {"not numbers", "{\"scores\": [\"x\"], \"gold\": 0}\n", {}, "field 'scores'"},
      {"not object", "[0.5, 0.5]\n", {}, ":1: expected a JSON object"},
      {"empty", "", {}, "no predictions"},
      {"blank only", "\n  \n", {}, "no predictions"},
      {"split too small",
       "{\"probs\": [0.5, 0.5], \"gold\": 0}\n",
       {"--temperature-split", "0.5"},
       "temperature scaling"},
  };
  for (const BadInput& c : cases) {
    std::vector<std::string> args = {"calibrate", "--input", "-", "--bootstrap", "0"};
    args.insert(args.end(), c.extra_args.begin(), c.extra_args.end());
    const auto r = RunLlmcal(args, c.text);
    EXPECT_EQ(r.exit_code, 1) << c.name;
    EXPECT_NE(r.stderr_text.find(c.message), std::string::npos) << c.name << ": " << r.stderr_text;
    EXPECT_TRUE(r.stdout_text.empty()) << c.name;
  }
}

TEST(CalibrateCommand, NormalizeRescales) {
  const auto r = RunLlmcal(
      {"calibrate", "--input", "-", "--bootstrap", "0", "--normalize", "--format", "json"},
      "{\"probs\": [2, 6], \"gold\": 1}\n");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  // [0.25, 0.75], gold 1: ECE |1 - 0.75|.
  EXPECT_NEAR(json::parse(r.stdout_text)["metrics"]["ece"]["value"].get<double>(), 0.25, 1e-12);
}

TEST(CalibrateCommand, MissingFileAndUsageErrors) {
  const auto missing = RunLlmcal({"calibrate", "--input", "/nonexistent/preds.jsonl"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.stderr_text.find("cannot open"), std::string::npos);
  const std::string input = WriteFile("one.jsonl", "{\"probs\": [0.5, 0.5], \"gold\": 0}\n");
  const std::vector<std::vector<std::string>> usage = {
      {"calibrate"},
      {"calibrate", "--input", input, "--bins", "0"},
      {"calibrate", "--input", input, "--bootstrap", "-1"},
      {"calibrate", "--input", input, "--format", "xml"},
      {"calibrate", "--input", input, "--temperature-split", "1"},
      {"calibrate", "--input", input, "--temperature-split", "0"},
  };
  for (const auto& args : usage) {
    EXPECT_EQ(RunLlmcal(args).exit_code, 2) << args.back();
  }
}

}  // namespace
}  // namespace llmcal

namespace llmcal {
namespace {

// Two items of `llmcal score` output (gold copied through from the prompts).
// sum:  item 1 scores [-2, -3] (right), item 2 [-0.5, -0.6] (wrong)  -> accuracy 0.5
// min:  item 1 [-1, -3] (right),        item 2 [-0.5, -0.2] (right) -> accuracy 1
// mean: item 1 [-1, -3] (right),        item 2 [-0.5, -0.2] (right) -> accuracy 1
// NLL (sum) = (ln(1 + e^-1) + ln(1 + e^0.1)) / 2 = (0.313262 + 0.744397) / 2 = 0.528830
const char* kScoreOutput =
    R"({"id": "a", "gold": 0, "continuations": [{"logprobs": [-1, -1], "sum": -2}, {"logprobs": [-3]}]})"
    "\n"
    R"({"id": "b", "gold": 1, "continuations": [{"logprobs": [-0.5]}, {"logprobs": [-0.2, -0.2, -0.2]}]})"
    "\n";

double MetricValue(const std::string& method, const std::string& metric) {
  const auto r = testing::RunLlmcal(
      {"calibrate", "--input", "-", "--method", method, "--bootstrap", "0", "--format", "json"},
      kScoreOutput);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  return nlohmann::json::parse(r.stdout_text)["metrics"][metric]["value"].get<double>();
}

TEST(CalibrateCommand, ScoreOutputWithEachMethod) {
  EXPECT_DOUBLE_EQ(MetricValue("sum", "accuracy"), 0.5);
  EXPECT_DOUBLE_EQ(MetricValue("min", "accuracy"), 1.0);
  EXPECT_DOUBLE_EQ(MetricValue("mean", "accuracy"), 1.0);
  EXPECT_NEAR(MetricValue("sum", "nll"), 0.528830, 1e-6);
}

TEST(CalibrateCommand, ScoreOutputErrorsNameTheField) {
  const auto r =
      testing::RunLlmcal({"calibrate", "--input", "-", "--bootstrap", "0"},
                         R"({"gold": 0, "continuations": [{"logprobs": [-1]}, {"tokens": [3]}]})"
                         "\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("<stdin>:1: field 'continuations[1].logprobs': missing"),
            std::string::npos)
      << r.stderr_text;
  const auto bad_method =
      testing::RunLlmcal({"calibrate", "--input", "-", "--method", "chars"}, kScoreOutput);
  EXPECT_EQ(bad_method.exit_code, 2);
}

}  // namespace
}  // namespace llmcal
