// llmcal-make-model as a user runs it: options, --list, exit codes, messages.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gguf/logit_scaled_copy.h"
#include "llama_test_helpers.h"
#include "support/files.h"
#include "support/run_command.h"
#include "support/test_data.h"
#include "synthetic_model.h"

namespace llmcal::synthetic {
namespace {

using gguf::kLogitScaleKey;
using gguf::WriteLogitScaledCopy;

using llmcal::testing::BuildDir;
using llmcal::testing::CommandResult;
using llmcal::testing::FreshTempDir;

CommandResult RunMakeModel(const std::vector<std::string>& args) {
  return llmcal::testing::RunCommand((BuildDir() / "llmcal-make-model").string(), args);
}

TEST(MakeModelCliTest, ListNamesEveryChoice) {
  const CommandResult r = RunMakeModel({"--list"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  for (const char* name : {"llama-spm", "llama-bpe", "qwen2", "gemma", "olmo", "tiny", "small",
                           "qwen2.5-0.5b", "f32", "f16", "q8_0"}) {
    EXPECT_NE(r.stdout_text.find(std::string("  ") + name + " "), std::string::npos) << name;
  }
}

TEST(MakeModelCliTest, WritesTheSameFileAsTheLibrary) {
  const auto dir = FreshTempDir("make-model-cli");
  const CommandResult r = RunMakeModel({"--arch", "olmo", "--preset", "tiny", "--type", "f16",
                                        "--seed", "11", "--out", (dir / "cli.gguf").string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  WriteSyntheticModel({"olmo", "tiny", "f16", 11}, dir / "lib.gguf", DefaultVocabDir());
  EXPECT_TRUE(llmcal::testing::ReadFile(dir / "cli.gguf") ==
              llmcal::testing::ReadFile(dir / "lib.gguf"));
}

TEST(MakeModelCliTest, ListNamesTheArchitecturesACopyMayHave) {
  const CommandResult r = RunMakeModel({"--list"});
  EXPECT_NE(r.stdout_text.find("(--logit-scale): gemma, llama, olmo, qwen2"), std::string::npos)
      << r.stdout_text;
}

TEST(MakeModelCliTest, FromWritesTheSameCopyAsTheLibrary) {
  const auto dir = FreshTempDir("make-model-cli");
  const auto stories = llmcal::testing::TestDataDir() / "models" / "stories260K.gguf";
  const CommandResult r = RunMakeModel(
      {"--from", stories.string(), "--logit-scale", "2", "--out", (dir / "cli.gguf").string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  WriteLogitScaledCopy(stories, dir / "lib.gguf", 2.0);
  const std::string cli = llmcal::testing::ReadFile(dir / "cli.gguf");
  EXPECT_GT(cli.size(), 1000000u);
  EXPECT_TRUE(cli == llmcal::testing::ReadFile(dir / "lib.gguf"));
}

struct CliErrorCase {
  std::string name;
  std::vector<std::string> args;
  int exit_code;
  std::string stderr_part;
};

std::ostream& operator<<(std::ostream& os, const CliErrorCase& c) {
  return os << c.name;
}

class MakeModelCliErrorTest : public ::testing::TestWithParam<CliErrorCase> {};

TEST_P(MakeModelCliErrorTest, ExitsWithAClearMessage) {
  const CliErrorCase& c = GetParam();
  const auto dir = FreshTempDir("make-model-cli");
  std::vector<std::string> args = c.args;
  for (std::string& a : args) {
    if (a == "OUT") {
      a = (dir / "model.gguf").string();
    }
    if (a == "STORIES") {
      a = (llmcal::testing::TestDataDir() / "models" / "stories260K.gguf").string();
    }
  }
  const CommandResult r = RunMakeModel(args);
  EXPECT_EQ(r.exit_code, c.exit_code) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find(c.stderr_part), std::string::npos) << r.stderr_text;
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

INSTANTIATE_TEST_SUITE_P(
    BadArguments, MakeModelCliErrorTest,
    ::testing::Values(
        CliErrorCase{"no_out", {"--arch", "qwen2"}, 2, "--out is required"},
        CliErrorCase{"bad_seed", {"--seed", "minus one", "--out", "OUT"}, 2, "--seed"},
        CliErrorCase{"unknown_option", {"--layers", "3", "--out", "OUT"}, 2, "--layers"},
        CliErrorCase{"unknown_arch",
                     {"--arch", "mamba", "--out", "OUT"},
                     1,
                     "llmcal-make-model: error: unknown architecture 'mamba'"},
        CliErrorCase{"missing_vocab_dir",
                     {"--vocab-dir", "/no/such/dir", "--out", "OUT"},
                     1,
                     "vocabulary folder /no/such/dir does not exist"},
        CliErrorCase{"from_without_scale",
                     {"--from", "STORIES", "--out", "OUT"},
                     2,
                     "--from requires --logit-scale"},
        CliErrorCase{"scale_without_from",
                     {"--logit-scale", "2", "--out", "OUT"},
                     2,
                     "--logit-scale requires --from"},
        CliErrorCase{"from_with_arch",
                     {"--from", "STORIES", "--logit-scale", "2", "--arch", "qwen2", "--out", "OUT"},
                     2,
                     "--arch excludes --from"},
        CliErrorCase{"scale_zero",
                     {"--from", "STORIES", "--logit-scale", "0", "--out", "OUT"},
                     2,
                     "--logit-scale: must be a finite number > 0"},
        CliErrorCase{"scale_nan",
                     {"--from", "STORIES", "--logit-scale", "nan", "--out", "OUT"},
                     2,
                     "--logit-scale: must be a finite number > 0"},
        CliErrorCase{"scale_not_a_number",
                     {"--from", "STORIES", "--logit-scale", "2x", "--out", "OUT"},
                     2,
                     "--logit-scale: must be a finite number > 0"},
        CliErrorCase{"from_missing_file",
                     {"--from", "/no/such/model.gguf", "--logit-scale", "2", "--out", "OUT"},
                     1,
                     "llmcal-make-model: error: /no/such/model.gguf: no such file"}),
    [](const auto& test_info) { return test_info.param.name; });

}  // namespace
}  // namespace llmcal::synthetic
