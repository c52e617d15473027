// The tasks and prompts sub-commands as a user runs them: output, messages
// and exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "fixture_files.h"
#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::tasks {
namespace {

using llmcal::testing::BuildDir;
using llmcal::testing::RunCommand;
using llmcal::testing::RunLlmcal;
using llmcal::testing::TestDataDir;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// The table row of `task`: its name, then the item count.
std::string TableRow(const std::string& output, const std::string& task) {
  for (const std::string& line : Lines(output)) {
    if (line.starts_with(task + " ")) {
      return line;
    }
  }
  return "";
}

TEST(TasksCommand, TableListsEveryBenchmarkWithItsCount) {
  const auto result = RunLlmcal({"tasks", "--data", TestDataDir().string()});
  ASSERT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  const std::pair<const char*, const char*> rows[] = {
      {"arc_easy", "2376"},
      {"hellaswag", "10042"},
      {"medmcqa", "4183"},
      {"mmlu", "14042"},
      {"mmlu_stem", "3153"},
      {"mmlu_humanities", "4705"},
      {"mmlu_social_sciences", "3077"},
      {"mmlu_other", "3107"},
      {"piqa", "1838"},
  };
  for (const auto& [task, count] : rows) {
    const std::string row = TableRow(result.stdout_text, task);
    EXPECT_NE(row.find(std::string(" ") + count + "  "), std::string::npos)
        << task << " row: '" << row << "'";
  }
  EXPECT_NE(TableRow(result.stdout_text, "piqa").find("valid-labels.lst"), std::string::npos);
  EXPECT_NE(TableRow(result.stdout_text, "mmlu").find("(57 files)"), std::string::npos);
  EXPECT_EQ(TableRow(result.stdout_text, "mmlu_anatomy"), "");  // subjects only in json
}

TEST(TasksCommand, JsonHasAnObjectPerTaskIncludingSubjects) {
  const auto result = RunLlmcal({"tasks", "--data", TestDataDir().string(), "--format", "json"});
  ASSERT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  const auto json = nlohmann::json::parse(result.stdout_text);
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 66u);
  std::map<std::string, std::size_t> items;
  for (const auto& task : json) {
    ASSERT_TRUE(task["files"].is_array());
    ASSERT_FALSE(task["files"].empty());
    items[task["task"].get<std::string>()] = task["items"].get<std::size_t>();
  }
  EXPECT_EQ(items["arc_easy"], 2376u);
  EXPECT_EQ(items["mmlu_anatomy"], 135u);
  EXPECT_EQ(json[0]["files"][0].get<std::string>(),
            (TestDataDir() / "arc_easy" / "ARC-Easy-Test.jsonl").string());
}

TEST(TasksCommand, MissingFolderIsAClearError) {
  const auto result = RunLlmcal({"tasks", "--data", "/nonexistent/llmcal-data"});
  EXPECT_EQ(result.exit_code, kExitInputError);
  EXPECT_NE(result.stderr_text.find("--data /nonexistent/llmcal-data: no such folder"),
            std::string::npos)
      << result.stderr_text;
  const auto empty =
      RunLlmcal({"tasks", "--data", llmcal::testing::FreshTempDir("llmcal-cli-empty").string()});
  EXPECT_EQ(empty.exit_code, kExitInputError);
  EXPECT_NE(empty.stderr_text.find("no task folders (expected one of arc_easy/, arc_challenge/, "
                                   "hellaswag/, medmcqa/, mmlu/, piqa/, sciq/)"),
            std::string::npos)
      << empty.stderr_text;
  // No --data: the repository's data/, found from build/llmcal's location.
  EXPECT_EQ(RunLlmcal({"tasks"}).exit_code, kExitOk);
  // A copy of the program far from any data folder says where it looked.
  const auto lone = llmcal::testing::FreshTempDir("llmcal-lone") / "llmcal";
  std::filesystem::copy_file(BuildDir() / "llmcal", lone);
  const auto nowhere = RunCommand("/usr/bin/env", {"-u", "LLMCAL_DATA", lone.string(), "tasks"});
  EXPECT_EQ(nowhere.exit_code, kExitInputError);
  EXPECT_NE(nowhere.stderr_text.find("no data folder: give --data DIR or set LLMCAL_DATA"),
            std::string::npos)
      << nowhere.stderr_text;
}

TEST(PromptsCommand, JsonlLinesCarryTheRequest) {
  const auto result = RunLlmcal({"prompts", "--task", "piqa", "--data", TestDataDir().string(),
                                 "--style", "choice", "--limit", "2", "--format", "jsonl"});
  ASSERT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  const auto lines = Lines(result.stdout_text);
  ASSERT_EQ(lines.size(), 2u);
  const auto second = nlohmann::ordered_json::parse(lines[1]);
  std::vector<std::string> keys;
  for (const auto& [key, value] : second.items()) {
    keys.push_back(key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"task", "index", "id", "template", "context",
                                            "continuations", "choice_texts", "gold"}));
  EXPECT_EQ(second["template"], "lm-eval-0.4-zeroshot-lettered+yang2024/1");
  EXPECT_EQ(second["choice_texts"], nlohmann::json::array({"A", "B"}));
  EXPECT_EQ(second["task"], "piqa");
  EXPECT_EQ(second["index"], 1);
  EXPECT_EQ(second["id"], "valid.jsonl:2");
  EXPECT_EQ(second["context"],
            "Select one of the choices that answers the following question: dresser Choices: "
            "A. Replace drawer with bobby pin. B. Finish, woodgrain with  bobby pin. Answer:");
  EXPECT_EQ(second["continuations"], nlohmann::json::array({" A", " B"}));
  EXPECT_EQ(second["gold"], 1);
}

TEST(PromptsCommand, ContinuationJsonlCarriesAnswerTextsAndTemplate) {
  const auto result = RunLlmcal({"prompts", "--task", "piqa", "--data", TestDataDir().string(),
                                 "--limit", "2", "--format", "jsonl"});
  ASSERT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  const auto second = nlohmann::json::parse(Lines(result.stdout_text).at(1));
  EXPECT_EQ(second["template"], "lm-eval-0.4-zeroshot/1");
  EXPECT_EQ(second["choice_texts"], nlohmann::json::array({"replace drawer with bobby pin ",
                                                           "finish, woodgrain with  bobby pin "}));
}

// `llmcal tasks` lists SciQ when a sciq/ folder holds its test split.
TEST(TasksCommand, ListsSciqWhenItsFolderExists) {
  const auto dir = llmcal::testing::FreshTempDir("llmcal-cli-sciq");
  testing::WriteFile(dir, "sciq/test.json",
                     R"([{"question": "q", "support": "s", "distractor1": "a", )"
                     R"("distractor2": "b", "distractor3": "c", "correct_answer": "d"}])");
  const auto result = RunLlmcal({"tasks", "--data", dir.string()});
  ASSERT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  EXPECT_NE(TableRow(result.stdout_text, "sciq").find(" 1  "), std::string::npos)
      << result.stdout_text;
}

TEST(PromptsCommand, SampleIsSeededAndKeepsTaskOrder) {
  const std::vector<std::string> args = {
      "prompts", "--task", "arc_easy", "--data", TestDataDir().string(), "--sample", "5",
      "--seed",  "42",     "--format", "jsonl"};
  const auto result = RunLlmcal(args);
  ASSERT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  std::vector<std::size_t> indices;
  for (const std::string& line : Lines(result.stdout_text)) {
    indices.push_back(nlohmann::json::parse(line)["index"].get<std::size_t>());
  }
  // Independent reference (Python mt19937_64, rejection draw, partial Fisher-Yates).
  EXPECT_EQ(indices, (std::vector<std::size_t>{629, 1450, 1701, 2292, 2334}));
  EXPECT_EQ(RunLlmcal(args).stdout_text, result.stdout_text);
}

TEST(PromptsCommand, TextFormatShowsContextAndQuotedContinuations) {
  const auto result = RunLlmcal(
      {"prompts", "--task", "mmlu_anatomy", "--data", TestDataDir().string(), "--limit", "1"});
  ASSERT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("# task mmlu_anatomy, style continuation, template "
                                    "lm-eval-0.4-zeroshot/1, 1 of 135 items"),
            std::string::npos)
      << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("### [0] id anatomy_test.csv:1, gold "), std::string::npos);
  EXPECT_NE(result.stdout_text.find(
                "The following are questions (with answers) about anatomy.\n\nQuestion: "),
            std::string::npos);
}

TEST(PromptsCommand, BadRecordFailsOrIsSkippedWithAReport) {
  const auto dir = llmcal::testing::FreshTempDir("llmcal-cli-bad");
  const auto path = testing::WriteFile(dir, "mine.jsonl",
                                       R"({"context": "c1", "choices": ["a", "b"], "gold": 0})"
                                       "\n"
                                       R"({"context": "c2", "choices": ["a", "b"]})"
                                       "\n");
  const auto failed = RunLlmcal({"prompts", "--task", "custom:" + path.string()});
  EXPECT_EQ(failed.exit_code, kExitInputError);
  EXPECT_NE(failed.stderr_text.find("mine.jsonl:2: field 'gold': missing"), std::string::npos)
      << failed.stderr_text;
  const auto skipped = RunLlmcal(
      {"prompts", "--task", "custom:" + path.string(), "--skip-bad", "--format", "jsonl"});
  EXPECT_EQ(skipped.exit_code, kExitOk) << skipped.stderr_text;
  EXPECT_EQ(Lines(skipped.stdout_text).size(), 1u);
  EXPECT_NE(skipped.stderr_text.find("skipped bad record: " + path.string() + ":2: field 'gold'"),
            std::string::npos)
      << skipped.stderr_text;
  EXPECT_NE(skipped.stderr_text.find("skipped 1 bad record"), std::string::npos);
}

TEST(PromptsCommand, UsageErrors) {
  const std::string data = TestDataDir().string();
  EXPECT_EQ(RunLlmcal({"prompts", "--data", data}).exit_code, kExitUsage);  // no --task
  EXPECT_EQ(
      RunLlmcal({"prompts", "--task", "piqa", "--data", data, "--limit", "2", "--sample", "2"})
          .exit_code,
      kExitUsage);
  EXPECT_EQ(
      RunLlmcal({"prompts", "--task", "piqa", "--data", data, "--style", "letters"}).exit_code,
      kExitUsage);
  const auto unknown = RunLlmcal({"prompts", "--task", "arc", "--data", data});
  EXPECT_EQ(unknown.exit_code, kExitInputError);
  EXPECT_NE(unknown.stderr_text.find("unknown task \"arc\""), std::string::npos);
  const auto no_data =
      RunCommand("/usr/bin/env", {"LLMCAL_DATA=/nonexistent/llmcal-data",
                                  (BuildDir() / "llmcal").string(), "prompts", "--task", "piqa"});
  EXPECT_EQ(no_data.exit_code, kExitInputError);
  EXPECT_NE(no_data.stderr_text.find("LLMCAL_DATA=/nonexistent/llmcal-data: no such folder"),
            std::string::npos);
}

}  // namespace
}  // namespace llmcal::tasks
