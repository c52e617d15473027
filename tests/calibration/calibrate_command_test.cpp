// `llmcal calibrate` as a user runs it: output shapes, values, errors, exit codes.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "support/csv_rows.h"
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
  EXPECT_EQ(out["cl_bins"], 15);
  const json& m = out["metrics"];
  // Every metric, selective accuracy at two coverages; values of cases/five_items.case.
  ASSERT_EQ(m.size(), 20u);
  const std::vector<std::pair<const char*, double>> expected = {{"accuracy", 0.4},
                                                                {"ece", 0.3},
                                                                {"ece_em", 0.46},
                                                                {"mce", 0.525},
                                                                {"sce", 0.36},
                                                                {"ace", 0.23},
                                                                {"brier", 0.47},
                                                                {"nll", 0.6550893},
                                                                {"ece_cl", 0.3},
                                                                {"sce_cl", 0.5},
                                                                {"auroc", 5.0 / 6},
                                                                {"aurc", 0.3866667},
                                                                {"augrc", 0.28},
                                                                {"selective_acc@0.1", 1},
                                                                {"selective_acc@0.5", 2.0 / 3},
                                                                {"brier_rel", 0.35975},
                                                                {"brier_res", 0.22},
                                                                {"brier_unc", 0.32},
                                                                {"letter_rstd", 0.25}};
  for (const auto& [name, value] : expected) {
    ASSERT_TRUE(m.contains(name)) << name;
    EXPECT_NEAR(m[name]["value"].get<double>(), value, 1e-6) << name;
    EXPECT_TRUE(m[name]["ci"].is_null()) << name;
    EXPECT_FALSE(m[name].contains("reason")) << name;
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
            "scope,metric,value,ci_lo,ci_hi,ci_resamples,reason");
  EXPECT_NE(csv.stdout_text.find("all,ece,0.3,,,,\n"), std::string::npos) << csv.stdout_text;

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
  EXPECT_TRUE(bins[6]["accuracy_ci"].is_null());
  const json smooth = json::parse(rel.stdout_text)["smooth_reliability"];
  EXPECT_GT(smooth["sigma"].get<double>(), 0);
  ASSERT_EQ(smooth["points"].size(), 201u);
  EXPECT_EQ(smooth["points"][100]["t"], 0.5);

  const auto rel_table =
      RunLlmcal({"calibrate", "--input", input, "--bootstrap", "0", "--reliability"});
  EXPECT_NE(rel_table.stdout_text.find("\nReliability diagram"), std::string::npos);
  EXPECT_NE(rel_table.stdout_text.find("\nSmooth reliability diagram"), std::string::npos);
}

// Markdown and LaTeX: the same tables for documents, one after the other.
TEST(CalibrateCommand, MarkdownAndLatex) {
  const std::string input = WriteFile("five.jsonl", kFiveItems);
  const auto md = RunLlmcal({"calibrate", "--input", input, "--bootstrap", "0", "--metric",
                             "accuracy,ece", "--letter-bias", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.stderr_text;
  EXPECT_EQ(md.stdout_text.substr(0, md.stdout_text.find("\n\n")),
            "**Calibration metrics: 5 items, 10 bins (15 for ece\\_cl and sce\\_cl), no "
            "bootstrap**");
  EXPECT_NE(md.stdout_text.find("| metric | value | 95% CI | resamples | reason |\n"
                                "| :--- | ---: | ---: | ---: | :--- |\n"
                                "| accuracy | 0.4000 | - | - |  |\n"
                                "| ece | 0.3000 | - | - |  |\n"),
            std::string::npos)
      << md.stdout_text;
  // Position A: predicted 3 of 5, gold 4 of 5, recall 2 of 4.
  EXPECT_NE(md.stdout_text.find("\n**Letter bias per answer position**\n"), std::string::npos);
  EXPECT_NE(md.stdout_text.find("| A | 0.6000 | - | 0.8000 | - | 0.5000 | - |"), std::string::npos)
      << md.stdout_text;

  const auto latex = RunLlmcal({"calibrate", "--input", input, "--bootstrap", "0", "--metric",
                                "ece,nll", "--reliability", "--format", "latex"});
  ASSERT_EQ(latex.exit_code, 0) << latex.stderr_text;
  const std::string& tex = latex.stdout_text;
  EXPECT_TRUE(
      tex.starts_with("\\begin{table}[htbp]\n\\centering\n\\caption{Calibration metrics: "
                      "5 items, 10 bins (15 for ece\\_cl and sce\\_cl), no bootstrap}"))
      << tex;
  EXPECT_NE(tex.find("ece & 0.3000 & -- & -- &  \\\\\n"), std::string::npos) << tex;
  EXPECT_NE(tex.find("nll & 0.6551 & -- & -- &  \\\\\n"), std::string::npos) << tex;
  // Metrics, binned and smooth reliability: three table environments.
  std::size_t tables = 0;
  for (std::size_t at = tex.find("\\begin{table}"); at != std::string::npos;
       at = tex.find("\\begin{table}", at + 1))
    ++tables;
  EXPECT_EQ(tables, 3u) << tex;
  EXPECT_NE(tex.find("\\caption{Reliability diagram: top-label confidence in 10 equal-width "
                     "bins}"),
            std::string::npos);
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
      {"not numbers", "{\"scores\": [\"x\"], \"gold\": 0}\n", {}, "field 'scores[0]'"},
      {"not object", "[0.5, 0.5]\n", {}, ":1: expected a JSON object"},
      {"empty", "", {}, "<stdin>: empty file"},
      {"blank only", "\n  \n", {}, "<stdin>: empty file"},
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
  EXPECT_NE(missing.stderr_text.find("/nonexistent/preds.jsonl: cannot read"), std::string::npos)
      << missing.stderr_text;
  const std::string input = WriteFile("one.jsonl", "{\"probs\": [0.5, 0.5], \"gold\": 0}\n");
  const std::vector<std::vector<std::string>> usage = {
      {"calibrate"},
      {"calibrate", "--input", input, "--bins", "0"},
      {"calibrate", "--input", input, "--bootstrap", "-1"},
      {"calibrate", "--input", input, "--format", "xml"},
      {"calibrate", "--input", input, "--temperature-split", "1"},
      {"calibrate", "--input", input, "--temperature-split", "0"},
      {"calibrate", "--input", input, "--cl-bins", "0"},
      {"calibrate", "--input", input, "--metric", "ece,bogus"},
      {"calibrate", "--input", input, "--metric", "selective_acc@2"},
      {"calibrate", "--input", input, "--method", "median"},
      {"calibrate", "--input", input, "--reference", input},
      {"calibrate", "--input", input, "--recalibrate", "base"},
      {"calibrate", "--input", input, "--reference", input, "--recalibrate", "other"},
      {"calibrate", "--input", input, "--reliability", "--letter-bias", "--format", "csv"},
  };
  for (const auto& args : usage) {
    EXPECT_EQ(RunLlmcal(args).exit_code, 2) << args.back();
  }
}

TEST(CalibrateCommand, RefusedValuesReadAsTheirDeclarationsSay) {
  const std::string input = WriteFile("one.jsonl", "{\"probs\": [0.5, 0.5], \"gold\": 0}\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--temperature-split", "1"}, "--temperature-split: 1 is not strictly between 0 and 1"},
      {{"--temperature-split", "half"}, "--temperature-split: 'half' is not a number"},
      {{"--reference", input, "--recalibrate", "other"},
       "--recalibrate: 'other' is not one of base"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args = {"calibrate", "--input", input};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = RunLlmcal(args);
    EXPECT_EQ(r.exit_code, 2) << message;
    EXPECT_NE(r.stderr_text.find(message), std::string::npos) << r.stderr_text;
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
  // chars and bytes divide by the choice texts, which these records lack.
  const auto chars =
      testing::RunLlmcal({"calibrate", "--input", "-", "--method", "chars"}, kScoreOutput);
  EXPECT_EQ(chars.exit_code, 1);
  EXPECT_NE(chars.stderr_text.find("<stdin>:1: field 'choice_texts': missing"), std::string::npos)
      << chars.stderr_text;
}

TEST(CalibrateCommand, EveryMethodOfTheCore) {
  // Choice texts "ab" / "c" and "x" / "yz" (`llmcal score` copies them through).
  const std::string lines =
      R"({"id": "a", "gold": 0, "choice_texts": ["ab", "c"], "continuations": [{"logprobs": [-1, -1]}, {"logprobs": [-1.5]}]})"
      "\n"
      R"({"id": "b", "gold": 1, "choice_texts": ["x", "yz"], "continuations": [{"logprobs": [-0.5]}, {"logprobs": [-0.8]}]})"
      "\n";
  const auto accuracy = [&lines](const std::string& method) {
    const auto r =
        testing::RunLlmcal({"calibrate", "--input", "-", "--method", method, "--bootstrap", "0",
                            "--format", "json", "--metric", "accuracy"},
                           lines);
    EXPECT_EQ(r.exit_code, 0) << method << ": " << r.stderr_text;
    return nlohmann::json::parse(r.stdout_text)["metrics"]["accuracy"]["value"].get<double>();
  };
  // sum: [-2, -1.5] wrong, [-0.5, -0.8] wrong; chars: [-1, -1.5] right, [-0.5, -0.4] right;
  // bytes as chars (ASCII); mean: [-1, -1.5] right, [-0.5, -0.8] wrong; min as mean here.
  EXPECT_EQ(accuracy("sum"), 0.0);
  EXPECT_EQ(accuracy("chars"), 1.0);
  EXPECT_EQ(accuracy("bytes"), 1.0);
  EXPECT_EQ(accuracy("mean"), 0.5);
  EXPECT_EQ(accuracy("min"), 0.5);
  EXPECT_EQ(accuracy("choice"), 0.0);  // the letter's log-prob: the sum
}

}  // namespace
}  // namespace llmcal

namespace llmcal {
namespace {

using nlohmann::json;
using testing::RunLlmcal;

// cases/five_items.case with ids.
const char* kFive =
    "{\"probs\": [0.60, 0.40], \"gold\": 0, \"id\": \"a\"}\n"
    "{\"probs\": [0.80, 0.20], \"gold\": 0, \"id\": \"b\"}\n"
    "{\"probs\": [0.35, 0.65], \"gold\": 0, \"id\": \"c\"}\n"
    "{\"probs\": [0.45, 0.55], \"gold\": 0, \"id\": \"d\"}\n"
    "{\"probs\": [0.50, 0.50], \"gold\": 1, \"id\": \"e\"}\n";

TEST(CalibrateCommand, MetricSelectionInItsOrder) {
  const auto r = RunLlmcal({"calibrate", "--input", "-", "--bootstrap", "0", "--format", "json",
                            "--metric", "sce_cl,ece,selective_acc@.5"},
                           kFive);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const json m = json::parse(r.stdout_text)["metrics"];
  ASSERT_EQ(m.size(), 3u);
  const std::string text = r.stdout_text;
  EXPECT_LT(text.find("sce_cl"), text.find("\"ece\""));
  EXPECT_LT(text.find("\"ece\""), text.find("selective_acc@0.5"));
  EXPECT_NEAR(m["selective_acc@0.5"]["value"].get<double>(), 2.0 / 3, 1e-12);
}

TEST(CalibrateCommand, UnknownMetricListsTheKnownOnes) {
  const auto r = RunLlmcal({"calibrate", "--input", "-", "--metric", "ece,sec"}, kFive);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("unknown metric 'sec'; known: accuracy, ece, ece_em"),
            std::string::npos)
      << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("letter_rstd"), std::string::npos);
  const auto help = RunLlmcal({"calibrate", "--help"});
  EXPECT_NE(help.stdout_text.find("selective_acc@C"), std::string::npos);
  EXPECT_NE(help.stdout_text.find("chars"), std::string::npos);  // every method of the core
}

TEST(CalibrateCommand, IssueTenMetricsWithIntervals) {
  // The issue's "done when" command.
  const auto r = RunLlmcal({"calibrate", "--input", "-", "--bootstrap", "200", "--metric",
                            "auroc,aurc,augrc,selective_acc@0.1,brier_rel,brier_res,brier_unc,"
                            "letter_rstd"},
                           kFive);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  for (const char* name : {"auroc", "aurc", "augrc", "selective_acc@0.1", "brier_rel", "brier_res",
                           "brier_unc", "letter_rstd"}) {
    const std::size_t at = r.stdout_text.find(std::string("\n") + name + " ");
    ASSERT_NE(at, std::string::npos) << name << "\n" << r.stdout_text;
    const std::string line = r.stdout_text.substr(at + 1, r.stdout_text.find('\n', at + 1) - at);
    EXPECT_NE(line.find("["), std::string::npos) << line;
  }
  // AUROC is undefined on resamples without a right or without a wrong item:
  // the table gives the count of resamples its interval rests on, as CSV does.
  const auto csv = RunLlmcal(
      {"calibrate", "--input", "-", "--bootstrap", "200", "--metric", "auroc", "--format", "csv"},
      kFive);
  const std::vector<testing::CsvRow> rows = testing::ParseCsv(csv.stdout_text);
  ASSERT_EQ(rows.size(), 2u) << csv.stdout_text;
  const int defined = std::stoi(rows[1][5]);  // ci_resamples
  EXPECT_GT(defined, 0);
  EXPECT_LT(defined, 200);
  const std::size_t at = r.stdout_text.find("\nauroc ");
  const std::string line = r.stdout_text.substr(at + 1, r.stdout_text.find('\n', at + 1) - at - 1);
  EXPECT_TRUE(line.ends_with(fmt::format("]  {:>9}", defined))) << line;
}

TEST(CalibrateCommand, UndefinedValueIsNullWithAReason) {
  const char* all_right =
      "{\"probs\": [0.9, 0.1], \"gold\": 0}\n{\"probs\": [0.3, 0.7], \"gold\": 1}\n";
  const auto r = RunLlmcal({"calibrate", "--input", "-", "--bootstrap", "20", "--format", "json",
                            "--metric", "auroc,accuracy"},
                           all_right);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const json m = json::parse(r.stdout_text)["metrics"];
  EXPECT_TRUE(m["auroc"]["value"].is_null());
  EXPECT_TRUE(m["auroc"]["ci"].is_null());
  EXPECT_EQ(m["auroc"]["ci_resamples"], 0);
  EXPECT_NE(m["auroc"]["reason"].get<std::string>().find("every item is right"), std::string::npos);
  EXPECT_FALSE(m["accuracy"].contains("ci_resamples"));  // defined on every resample
  const auto table =
      RunLlmcal({"calibrate", "--input", "-", "--bootstrap", "20", "--metric", "auroc"}, all_right);
  // The value and interval are empty ("-"), no resample defines it, the reason says why.
  EXPECT_NE(table.stdout_text.find(
                "\nauroc       -       -          0  every item is right: no wrong item to rank\n"),
            std::string::npos)
      << table.stdout_text;
  // The reason is a plain CSV field, quoted only when it must be (RFC 4180).
  const auto csv = RunLlmcal(
      {"calibrate", "--input", "-", "--bootstrap", "0", "--format", "csv", "--metric", "auroc"},
      all_right);
  EXPECT_NE(csv.stdout_text.find("\nall,auroc,,,,,every item is right"), std::string::npos)
      << csv.stdout_text;
}

TEST(CalibrateCommand, ClBinsAreIndependentOfBins) {
  // cases/cl_linspace_edges.case: with 10 calibration_library bins ece_cl is
  // 0.175; with 15 the two confidences fall in different bins.
  const char* lines =
      "{\"probs\": [0.7000000000000001, 0.29999999999999993], \"gold\": 0}\n"
      "{\"probs\": [0.65, 0.35], \"gold\": 1}\n";
  const auto run = [lines](const std::string& bins, const std::string& cl_bins) {
    const auto r = RunLlmcal({"calibrate", "--input", "-", "--bootstrap", "0", "--format", "json",
                              "--metric", "ece,ece_cl", "--bins", bins, "--cl-bins", cl_bins},
                             lines);
    EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
    return json::parse(r.stdout_text)["metrics"];
  };
  EXPECT_NEAR(run("10", "10")["ece_cl"]["value"].get<double>(), 0.175, 1e-12);
  EXPECT_NEAR(run("10", "10")["ece"]["value"].get<double>(), 0.475, 1e-12);
  // 15 bins: 0.7 in (10/15, 11/15] (gap 0.3), 0.65 in (9/15, 10/15] (gap 0.65).
  EXPECT_NEAR(run("10", "15")["ece_cl"]["value"].get<double>(), 0.475, 1e-12);
  EXPECT_NEAR(run("1", "10")["ece_cl"]["value"].get<double>(), 0.175, 1e-12);
}

TEST(CalibrateCommand, LetterBiasTable) {
  const auto r = RunLlmcal(
      {"calibrate", "--input", "-", "--bootstrap", "50", "--letter-bias", "--format", "json"},
      kFive);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const json table = json::parse(r.stdout_text)["letter_bias"];
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0]["position"], "A");
  EXPECT_NEAR(table[0]["gold_rate"]["value"].get<double>(), 0.8, 1e-12);
  EXPECT_NEAR(table[0]["prediction_rate"]["value"].get<double>(), 0.6, 1e-12);
  EXPECT_NEAR(table[0]["recall"]["value"].get<double>(), 0.5, 1e-12);
  EXPECT_TRUE(table[0]["recall"]["ci"].is_array());
  EXPECT_NEAR(table[1]["recall"]["value"].get<double>(), 0.0, 1e-12);
  const auto csv = RunLlmcal(
      {"calibrate", "--input", "-", "--bootstrap", "0", "--letter-bias", "--format", "csv"}, kFive);
  ASSERT_EQ(csv.exit_code, 0) << csv.stderr_text;
  EXPECT_EQ(csv.stdout_text.substr(0, 9), "position,");
  EXPECT_NE(csv.stdout_text.find("\nA,0.6,,,0.8,,,0.5,,,"), std::string::npos) << csv.stdout_text;
  const auto text =
      RunLlmcal({"calibrate", "--input", "-", "--bootstrap", "0", "--letter-bias"}, kFive);
  EXPECT_NE(text.stdout_text.find("\nLetter bias per answer position"), std::string::npos);
}

// IT's scores are twice PT's: base-guided recalibration finds T = 2 and
// restores PT's metrics exactly.
TEST(CalibrateCommand, RecalibrateFromTheBaseModel) {
  std::string pt, it;
  const double scores[][3] = {{-1.0, -2.0, -0.5}, {-0.3, -1.2, -2.0}, {-2.0, -0.1, -1.0},
                              {-0.7, -0.6, -3.0}, {-1.5, -1.4, -0.2}, {-0.2, -2.5, -1.1}};
  const int golds[] = {2, 0, 1, 0, 1, 1};
  for (int i = 5; i >= 0; --i) {  // PT in reverse order: matched by id
    pt += fmt::format("{{\"id\": \"q{}\", \"gold\": {}, \"scores\": [{}, {}, {}]}}\n", i, golds[i],
                      scores[i][0], scores[i][1], scores[i][2]);
  }
  for (int i = 0; i < 6; ++i) {
    it += fmt::format("{{\"id\": \"q{}\", \"gold\": {}, \"scores\": [{}, {}, {}]}}\n", i, golds[i],
                      2 * scores[i][0], 2 * scores[i][1], 2 * scores[i][2]);
  }
  const std::filesystem::path dir = testing::FreshTempDir("recalibrate");
  std::ofstream(dir / "pt.jsonl") << pt;
  std::ofstream(dir / "it.jsonl") << it;
  const auto r = RunLlmcal({"calibrate", "--input", (dir / "it.jsonl").string(), "--reference",
                            (dir / "pt.jsonl").string(), "--recalibrate", "base", "--bootstrap",
                            "0", "--format", "json", "--metric", "ece,nll,accuracy"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const json out = json::parse(r.stdout_text)["recalibration"];
  EXPECT_NEAR(out["temperature"].get<double>(), 2.0, 1e-9);
  EXPECT_EQ(out["agreeing_items"], 6);
  EXPECT_GT(out["supervised_temperature"].get<double>(), 0);
  for (const char* metric : {"ece", "nll", "accuracy"}) {
    EXPECT_NEAR(out["after"][metric]["value"].get<double>(),
                out["base"][metric]["value"].get<double>(), 1e-9)
        << metric;
  }
  EXPECT_NE(out["before"]["nll"]["value"].get<double>(),
            out["after"]["nll"]["value"].get<double>());
  const auto table =
      RunLlmcal({"calibrate", "--input", (dir / "it.jsonl").string(), "--reference",
                 (dir / "pt.jsonl").string(), "--recalibrate", "base", "--bootstrap", "20"});
  ASSERT_EQ(table.exit_code, 0) << table.stderr_text;
  EXPECT_NE(table.stdout_text.find("T = 2.0000"), std::string::npos) << table.stdout_text;

  // Mismatched ids are a clear error naming file, line and field.
  std::ofstream(dir / "other.jsonl") << "{\"id\": \"zz\", \"gold\": 0, \"scores\": [0, 0, 0]}\n";
  const auto bad = RunLlmcal({"calibrate", "--input", (dir / "it.jsonl").string(), "--reference",
                              (dir / "other.jsonl").string(), "--recalibrate", "base"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.stderr_text.find("other.jsonl:1: field 'id': \"zz\" is not in"), std::string::npos)
      << bad.stderr_text;
}

}  // namespace
}  // namespace llmcal
