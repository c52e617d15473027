// `llmcal data list` and `llmcal data verify` as a user runs them: on the
// repository's own data/ (all intact), on a copy with one byte changed or a
// file removed (exit 1 naming it), found without --data from any working
// directory, and data/README.md's table against the manifest.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "support/files.h"
#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;

// Runs build/llmcal through env(1): in `cwd`, with `environment` set.
CommandResult RunLlmcalIn(const fs::path& cwd, const std::vector<std::string>& environment,
                          const std::vector<std::string>& args) {
  std::vector<std::string> all = {"-C", cwd.string(), "-u", "LLMCAL_DATA"};
  all.insert(all.end(), environment.begin(), environment.end());
  all.push_back((BuildDir() / "llmcal").string());
  all.insert(all.end(), args.begin(), args.end());
  return RunCommand("/usr/bin/env", all);
}

// A copy of the repository's data/ in a fresh temporary folder.
fs::path CopyOfData() {
  const fs::path copy = FreshTempDir("llmcal-data-copy") / "data";
  fs::copy(TestDataDir(), copy, fs::copy_options::recursive);
  return copy;
}

void FlipByte(const fs::path& file, std::streamoff offset) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(offset);
  const char c = static_cast<char>(f.get());
  f.seekp(offset);
  f.put(static_cast<char>(~c));
}

TEST(DataVerify, RepositoryDataIsIntact) {
  const auto result = RunLlmcal({"data", "verify", "--data", TestDataDir().string()});
  EXPECT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("files intact"), std::string::npos) << result.stdout_text;
}

TEST(DataVerify, OneChangedByteIsNamed) {
  const fs::path copy = CopyOfData();
  FlipByte(copy / "piqa" / "valid.jsonl", 1000);
  const auto result = RunLlmcal({"data", "verify", "--data", copy.string()});
  EXPECT_EQ(result.exit_code, kExitInputError);
  EXPECT_NE(
      result.stderr_text.find((copy / "piqa" / "valid.jsonl").string() + ": changed (SHA-256 "),
      std::string::npos)
      << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("1 of "), std::string::npos) << result.stderr_text;
  EXPECT_EQ(result.stderr_text.find("mmlu"), std::string::npos) << "only the changed file is named";
}

TEST(DataVerify, MissingAndTruncatedFilesAreEachNamed) {
  const fs::path copy = CopyOfData();
  fs::remove(copy / "models" / "stories260K.gguf");
  fs::resize_file(copy / "mmlu" / "test" / "anatomy_test.csv", 100);
  const auto result = RunLlmcal({"data", "verify", "--data", copy.string()});
  EXPECT_EQ(result.exit_code, kExitInputError);
  EXPECT_NE(result.stderr_text.find((copy / "models" / "stories260K.gguf").string() + ": missing"),
            std::string::npos)
      << result.stderr_text;
  EXPECT_NE(result.stderr_text.find((copy / "mmlu" / "test" / "anatomy_test.csv").string() +
                                    ": changed (100 bytes"),
            std::string::npos)
      << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("2 of "), std::string::npos) << result.stderr_text;
}

TEST(DataVerify, AFolderWithoutManifestIsNamed) {
  const fs::path empty = FreshTempDir("llmcal-data-empty");
  const auto result = RunLlmcal({"data", "verify", "--data", empty.string()});
  EXPECT_EQ(result.exit_code, kExitInputError);
  EXPECT_NE(result.stderr_text.find((empty / "manifest.toml").string() +
                                    ": cannot read the data manifest"),
            std::string::npos)
      << result.stderr_text;
}

// build/llmcal finds the repository's data/ from its own location, from any
// working directory; LLMCAL_DATA overrides that and --data overrides both.
TEST(DataLookup, FromAnyWorkingDirectoryAndByEnvironment) {
  const fs::path elsewhere = FreshTempDir("llmcal-cwd");
  const auto found = RunLlmcalIn(elsewhere, {}, {"data", "verify"});
  EXPECT_EQ(found.exit_code, kExitOk) << found.stderr_text;
  EXPECT_NE(found.stdout_text.find(TestDataDir().string() + ": "), std::string::npos)
      << found.stdout_text;

  const fs::path copy = CopyOfData();
  FlipByte(copy / "arc_easy" / "ARC-Easy-Test.jsonl", 10);
  const auto by_env = RunLlmcalIn(elsewhere, {"LLMCAL_DATA=" + copy.string()}, {"data", "verify"});
  EXPECT_EQ(by_env.exit_code, kExitInputError);
  EXPECT_NE(by_env.stderr_text.find((copy / "arc_easy" / "ARC-Easy-Test.jsonl").string()),
            std::string::npos)
      << by_env.stderr_text;

  const auto by_flag = RunLlmcalIn(elsewhere, {"LLMCAL_DATA=" + copy.string()},
                                   {"data", "verify", "--data", TestDataDir().string()});
  EXPECT_EQ(by_flag.exit_code, kExitOk) << by_flag.stderr_text;

  // Tasks are found the same way: `llmcal tasks` with no --data.
  const auto tasks = RunLlmcalIn(elsewhere, {}, {"tasks", "--format", "json"});
  EXPECT_EQ(tasks.exit_code, kExitOk) << tasks.stderr_text;
  EXPECT_NE(tasks.stdout_text.find("\"arc_easy\""), std::string::npos);
}

TEST(DataList, JsonHasEveryFileWithItsState) {
  const auto result = RunLlmcal({"data", "list", "--format", "json"});
  ASSERT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  const nlohmann::json rows = nlohmann::json::parse(result.stdout_text);
  ASSERT_TRUE(rows.is_array());
  std::map<std::string, nlohmann::json> by_path;
  for (const auto& row : rows)
    by_path[row["path"].get<std::string>()] = row;
  ASSERT_TRUE(by_path.contains("arc_easy/ARC-Easy-Test.jsonl"));
  const auto& arc = by_path["arc_easy/ARC-Easy-Test.jsonl"];
  EXPECT_EQ(arc["items"], 2376);
  EXPECT_EQ(arc["state"], "intact");
  EXPECT_EQ(arc["licence"], "CC-BY-SA-4.0");
  EXPECT_EQ(arc["shipped"], true);
  EXPECT_EQ(arc["bytes"], 949740);
  const auto& sciq = by_path["sciq/test.json"];
  EXPECT_EQ(sciq["shipped"], false);
  EXPECT_TRUE(sciq["sha256"].is_null());
  EXPECT_EQ(sciq["state"], "not fetched");
  EXPECT_EQ(sciq["items"], 1000);
}

TEST(DataList, TableShowsTasksAndStates) {
  const auto result = RunLlmcal({"data", "list"});
  ASSERT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("piqa"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("intact"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("fetch-only"), std::string::npos);
}

// data/README.md's table is `llmcal data list --format md`, between its
// markers: regenerate it with that command when the manifest changes.
TEST(DataReadme, TableIsTheManifests) {
  const auto result = RunLlmcal({"data", "list", "--format", "md"});
  ASSERT_EQ(result.exit_code, kExitOk) << result.stderr_text;
  const std::string readme = ReadFile(TestDataDir() / "README.md");
  const std::string begin = "<!-- table: llmcal data list --format md -->\n";
  const std::string end = "<!-- end of table -->";
  const std::size_t from = readme.find(begin), to = readme.find(end);
  ASSERT_NE(from, std::string::npos) << "data/README.md lacks: " << begin;
  ASSERT_NE(to, std::string::npos) << "data/README.md lacks: " << end;
  EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), result.stdout_text)
      << "data/README.md's table differs from the manifest; regenerate it with "
         "`build/llmcal data list --format md`";
}

}  // namespace
}  // namespace llmcal::testing
