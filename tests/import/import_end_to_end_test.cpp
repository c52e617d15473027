// End to end on the real tiny model: llmcal's own scores of stories260K
// (`llmcal prompts | llmcal score`), written as lm-evaluation-harness logs
// samples (build/llmcal-test-to-lm-eval, both layouts) and imported, give the
// native run's sum, chars, bytes and choice metrics; an imported model pairs
// with the native one; min is undefined with its reason in every output;
// re-importing adds nothing; and the store refuses to mix the two sources in
// one run either way.
#include <gtest/gtest.h>

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

std::string Stories() {
  return (TestDataDir() / "models" / "stories260K.gguf").string();
}

CommandResult Llmcal(const std::vector<std::string>& args) {
  CommandResult result = RunLlmcal(args);
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  return result;
}

// `llmcal prompts | llmcal score` for one task and style, written as a
// harness samples file at `out`.
void HarnessSamples(const fs::path& dir, const std::string& task, const std::string& style,
                    const fs::path& out, const std::string& format) {
  const fs::path prompts = dir / (task + "-" + style + ".prompts.jsonl");
  const fs::path scores = dir / (task + "-" + style + ".scores.jsonl");
  std::ofstream(prompts) << Llmcal({"prompts", "--task", task, "--data", TestDataDir().string(),
                                    "--style", style, "--limit", kItems, "--format", "jsonl"})
                                .stdout_text;
  Llmcal({"score", "-m", Stories(), "-i", prompts.string(), "-o", scores.string()});
  fs::create_directories(out.parent_path());
  const CommandResult converted =
      RunCommand((BuildDir() / "llmcal-test-to-lm-eval").string(),
                 {prompts.string(), scores.string(), out.string(), format});
  ASSERT_EQ(converted.exit_code, 0) << converted.stderr_text;
}

// (task, method, metric) -> the row of `llmcal metrics --format json` for `model`.
std::map<std::tuple<std::string, std::string, std::string>, json> Rows(const std::string& text,
                                                                       const std::string& model) {
  std::map<std::tuple<std::string, std::string, std::string>, json> rows;
  for (const json& row : json::parse(text)) {
    if (row.at("model") == model)
      rows[{row.at("task"), row.at("method"), row.at("metric")}] = row;
  }
  return rows;
}

TEST(ImportEndToEnd, ImportedScoresGiveTheNativeRunsMetrics) {
  const fs::path dir = FreshTempDir("llmcal-import-e2e");
  const std::string db = (dir / "s.sqlite").string();
  // The native runs: arc_easy's answer texts (sum, chars, bytes), MMLU's letters (choice).
  Llmcal({"run", "--model", "native=" + Stories(), "--task", "arc_easy", "--style", "continuation",
          "--data", TestDataDir().string(), "--limit", kItems, "--db", db, "--quiet"});
  Llmcal({"run", "--model", "native=" + Stories(), "--task", "mmlu_anatomy", "--style", "choice",
          "--data", TestDataDir().string(), "--limit", kItems, "--db", db, "--quiet"});
  // v0.4.3+ layout for the new model, v0.4.0 layout for the old one.
  const fs::path lines = dir / "lm-eval" / "stories";
  HarnessSamples(dir, "arc_easy", "continuation",
                 lines / "samples_arc_easy_2026-01-01T00-00-00.000000.jsonl", "jsonl");
  HarnessSamples(dir, "mmlu_anatomy", "choice",
                 lines / "samples_mmlu_anatomy_2026-01-01T00-00-00.000000.jsonl", "jsonl");
  const fs::path old_file = dir / "old" / "pretrained__stories_arc_easy.jsonl";
  HarnessSamples(dir, "arc_easy", "continuation", old_file, "json-array");

  const CommandResult imported =
      Llmcal({"import", "lm-eval", (dir / "lm-eval").string(), "--db", db, "--model", "imported"});
  EXPECT_NE(imported.stdout_text.find("arc_easy -> imported arc_easy/continuation: 40 items"),
            std::string::npos)
      << imported.stdout_text;
  EXPECT_NE(
      imported.stdout_text.find("mmlu_anatomy -> imported mmlu (subject anatomy)/choice: 40 items"),
      std::string::npos)
      << imported.stdout_text;
  Llmcal({"import", "lm-eval", old_file.string(), "--db", db, "--model", "imported_old"});

  const std::vector<std::string> metrics = {"metrics",
                                            "--db",
                                            db,
                                            "--task",
                                            "arc_easy,mmlu_anatomy",
                                            "--method",
                                            "sum,chars,bytes,choice,min",
                                            "--bootstrap",
                                            "200",
                                            "--seed",
                                            "5",
                                            "--format",
                                            "json"};
  const std::string text = Llmcal(metrics).stdout_text;
  const auto native = Rows(text, "native");
  int compared = 0, undefined = 0;
  for (const char* model : {"imported", "imported_old"}) {
    SCOPED_TRACE(model);
    const auto rows = Rows(text, model);
    for (const auto& [key, row] : native) {
      const auto& [task, method, metric] = key;
      if (method == "min") {
        // Defined natively, undefined with its reason when imported.
        if (!row.at("value").is_null() && rows.count(key)) {
          EXPECT_TRUE(rows.at(key).at("value").is_null()) << metric;
          EXPECT_NE(rows.at(key).at("reason").get<std::string>().find(
                        "method min needs per-token log-probs"),
                    std::string::npos);
          ++undefined;
        }
        continue;
      }
      if (task == "mmlu_anatomy" && std::string(model) == "imported_old")
        continue;  // only arc_easy was written in the old layout
      ASSERT_TRUE(rows.count(key)) << task << " " << method << " " << metric;
      const json& got = rows.at(key);
      EXPECT_EQ(got.at("n"), row.at("n"));
      if (row.at("value").is_null()) {
        EXPECT_TRUE(got.at("value").is_null()) << metric;
        continue;
      }
      EXPECT_NEAR(got.at("value").get<double>(), row.at("value").get<double>(), 1e-12)
          << task << " " << method << " " << metric;
      EXPECT_NEAR(got.at("ci")[0].get<double>(), row.at("ci")[0].get<double>(), 1e-12) << metric;
      EXPECT_NEAR(got.at("ci")[1].get<double>(), row.at("ci")[1].get<double>(), 1e-12) << metric;
      ++compared;
    }
  }
  // arc_easy under sum, chars and bytes for both imports, mmlu_anatomy under choice for one.
  EXPECT_GE(compared, 7 * 15);
  EXPECT_GE(undefined, 2 * 15);

  // An imported model pairs with a native one: sum changes by nothing, min
  // is undefined with its reason.
  const std::string compare =
      Llmcal({"compare", "--db", db, "--pair", "native:imported", "--task", "arc_easy", "--method",
              "sum,min", "--metric", "ece,accuracy", "--bootstrap", "0", "--format", "json"})
          .stdout_text;
  int changes = 0;
  for (const json& row : json::parse(compare)) {
    if (row.at("method") == "sum") {
      EXPECT_NEAR(row.at("difference").get<double>(), 0.0, 1e-12);
    } else {
      EXPECT_TRUE(row.at("difference").is_null());
      EXPECT_NE(row.at("reason").get<std::string>().find(
                    "undefined for the instruct model: method min needs per-token log-probs"),
                std::string::npos);
    }
    ++changes;
  }
  EXPECT_EQ(changes, 4);
  // The table says it too.
  EXPECT_NE(Llmcal({"compare", "--db", db, "--pair", "native:imported", "--task", "arc_easy",
                    "--method", "min", "--metric", "ece", "--bootstrap", "0"})
                .stdout_text.find("per-token log-probs"),
            std::string::npos);

  // The report draws beside the undefined values, and names the imported files.
  Llmcal({"report", "--db", db, "--pair", "native:imported", "--task", "arc_easy", "--method",
          "sum,min", "--bootstrap", "20", "--out", (dir / "report").string()});
  std::ifstream html(dir / "report" / "report.html");
  const std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("samples_arc_easy_2026-01-01T00-00-00.000000.jsonl"), std::string::npos);

  // Importing again adds nothing.
  const std::string status = Llmcal({"status", "--db", db, "--format", "json"}).stdout_text;
  const CommandResult again =
      Llmcal({"import", "lm-eval", (dir / "lm-eval").string(), "--db", db, "--model", "imported"});
  EXPECT_NE(again.stdout_text.find("already imported"), std::string::npos);
  EXPECT_EQ(Llmcal({"status", "--db", db, "--format", "json"}).stdout_text, status);

  // One run, one source: either way round is refused.
  const CommandResult over_native = RunLlmcal(
      {"import", "lm-eval", (lines / "samples_arc_easy_2026-01-01T00-00-00.000000.jsonl").string(),
       "--db", db, "--model", "native"});
  EXPECT_EQ(over_native.exit_code, 1);
  EXPECT_NE(over_native.stderr_text.find("run native arc_easy/continuation was scored by llmcal"),
            std::string::npos)
      << over_native.stderr_text;
  const CommandResult over_import =
      RunLlmcal({"run", "--model", "imported=" + Stories(), "--task", "arc_easy", "--style",
                 "continuation", "--data", TestDataDir().string(), "--limit", kItems, "--db", db});
  EXPECT_EQ(over_import.exit_code, 1);
  EXPECT_NE(over_import.stderr_text.find("run imported arc_easy/continuation: its results in " +
                                         db + " were imported from lm-evaluation-harness"),
            std::string::npos)
      << over_import.stderr_text;
  // The same name may score another style natively: the model adopts the file.
  Llmcal({"run", "--model", "imported=" + Stories(), "--task", "arc_easy", "--style", "choice",
          "--data", TestDataDir().string(), "--limit", "4", "--db", db, "--quiet"});
}

TEST(ImportEndToEnd, ANativeRunAfterAnImportAdoptsTheTask) {
  const fs::path dir = FreshTempDir("llmcal-import-e2e");
  const std::string db = (dir / "s.sqlite").string();
  const fs::path file = dir / "lm-eval" / "samples_arc_easy_2026-01-01T00-00-00.000000.jsonl";
  HarnessSamples(dir, "arc_easy", "continuation", file, "jsonl");
  Llmcal({"import", "lm-eval", file.string(), "--db", db, "--model", "instruct"});
  Llmcal({"run", "--model", "base=" + Stories(), "--task", "arc_easy", "--style", "continuation",
          "--data", TestDataDir().string(), "--limit", kItems, "--db", db, "--quiet"});
  const std::string text =
      Llmcal({"compare", "--db", db, "--pair", "base:instruct", "--method", "sum", "--metric",
              "accuracy", "--bootstrap", "0", "--format", "json"})
          .stdout_text;
  const json rows = json::parse(text);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NEAR(rows[0].at("difference").get<double>(), 0.0, 1e-12);
}

}  // namespace
}  // namespace llmcal::testing
