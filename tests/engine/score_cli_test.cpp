// `llmcal score` as a user runs it: output format, and a clear error with a
// non-zero exit for every kind of bad input (never a crash).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;

std::string Stories() {
  return (TestDataDir() / "models" / "stories260K.gguf").string();
}

fs::path WriteFile(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// A copy of the first `bytes` bytes of stories260K.
fs::path TruncatedModel(const fs::path& dir, std::size_t bytes) {
  std::ifstream in(Stories(), std::ios::binary);
  std::string data(bytes, '\0');
  in.read(data.data(), static_cast<std::streamsize>(bytes));
  return WriteFile(dir, "truncated-" + std::to_string(bytes) + ".gguf", data);
}

const std::string kGoodRequest =
    R"({"id": "q1", "context": "Once upon a", "continuations": [" time", " cat"], "gold": 1})";

struct BadInputCase {
  const char* name;
  const char* model;     // "stories", "missing", "text", "truncated-N"
  std::string requests;  // the requests file's content
  int exit_code;
  const char* message;  // expected in stderr
};

const BadInputCase kBadInputCases[] = {
    {"missing_model", "missing", kGoodRequest, 1, "model file not found"},
    {"model_not_gguf", "text", kGoodRequest, 1, "not a GGUF file"},
    {"model_truncated_in_tensors", "truncated-100000", kGoodRequest, 1,
     "not within the file bounds"},
    {"model_truncated_in_header", "truncated-2000", kGoodRequest, 1, "could not load the model"},
    {"model_of_four_bytes", "truncated-4", kGoodRequest, 1, "could not load the model"},
    {"malformed_json", "stories", kGoodRequest + "\n{\"context\": \"x\", ", 1,
     "requests.jsonl:2: not a JSON object"},
    {"empty_continuation_list", "stories", R"({"context": "x", "continuations": []})", 1,
     "requests.jsonl:1: field 'continuations': empty list"},
    {"missing_context", "stories", R"({"continuations": [" a"]})", 1,
     "requests.jsonl:1: field 'context': missing or not a string"},
    {"continuation_not_a_string", "stories", R"({"context": "x", "continuations": [" a", 3]})", 1,
     "field 'continuations[1]': not a string"},
    {"no_requests", "stories", "\n\n", 1, "no requests in the input"},
    {"zero_token_continuation", "stories",
     kGoodRequest + "\n" + R"({"id": "bad", "context": "x", "continuations": [" a", ""]})", 1,
     "1 of 2 item(s) could not be scored"},
};

class ScoreCliBadInput : public ::testing::TestWithParam<BadInputCase> {};

TEST_P(ScoreCliBadInput, ClearErrorAndExitCode) {
  const BadInputCase& c = GetParam();
  const fs::path dir = FreshTempDir("llmcal-score-cli");
  const fs::path requests = WriteFile(dir, "requests.jsonl", c.requests);
  std::string model = c.model;
  if (model == "stories")
    model = Stories();
  if (model == "missing")
    model = (dir / "absent.gguf").string();
  if (model == "text")
    model = WriteFile(dir, "model.gguf", "this is not a model\n").string();
  if (model.rfind("truncated-", 0) == 0) {
    model = TruncatedModel(dir, std::stoul(model.substr(10))).string();
  }
  const auto r = RunLlmcal({"score", "--model", model, "--input", requests.string(), "-t", "2"});
  EXPECT_EQ(r.exit_code, c.exit_code) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find(c.message), std::string::npos) << r.stderr_text;
}

INSTANTIATE_TEST_SUITE_P(Cases, ScoreCliBadInput, ::testing::ValuesIn(kBadInputCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ScoreCli, WritesOneLinePerRequestInOrder) {
  const fs::path dir = FreshTempDir("llmcal-score-cli");
  const std::string requests = kGoodRequest + "\n" +
                               R"({"context": "The cat", "continuations": [" sat", ""]})" + "\n" +
                               R"({"id": 7, "context": "", "continuations": ["Lily"]})" + "\n";
  const auto r = RunLlmcal({"score", "-m", Stories(), "-t", "2"}, requests);
  EXPECT_EQ(r.exit_code, 1) << "one item has a zero-token continuation";
  std::istringstream lines(r.stdout_text);
  std::vector<nlohmann::json> out;
  for (std::string line; std::getline(lines, line);)
    out.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0]["id"], "q1");
  EXPECT_EQ(out[0]["gold"], 1) << "gold is copied through for `llmcal calibrate`";
  EXPECT_FALSE(out[2].contains("gold"));
  ASSERT_EQ(out[0]["continuations"].size(), 2u);
  const auto& first = out[0]["continuations"][0];
  EXPECT_EQ(first["tokens"], nlohmann::json({378}));  // " time" after "Once upon a"
  EXPECT_EQ(first["n_tokens"], 1);
  EXPECT_EQ(first["n_bytes"], 5);
  EXPECT_EQ(first["sum"], first["logprobs"][0]);
  EXPECT_EQ(first["min"], first["logprobs"][0]);
  EXPECT_LT(first["sum"].get<double>(), 0.0);
  EXPECT_TRUE(first["is_greedy"].is_boolean());
  EXPECT_EQ(out[1]["id"], 1) << "a request without id gets its 0-based line index";
  EXPECT_NE(out[1]["error"].get<std::string>().find("zero tokens"), std::string::npos);
  EXPECT_EQ(out[2]["id"], 7);
  EXPECT_EQ(out[2]["continuations"][0]["tokens"], nlohmann::json({317}));  // "▁Lily" after BOS
  EXPECT_NE(r.stderr_text.find("item 1"), std::string::npos) << r.stderr_text;
}

TEST(ScoreCli, MissingModelFlagIsAUsageError) {
  const auto r = RunLlmcal({"score", "--input", "-"}, kGoodRequest);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("--model"), std::string::npos) << r.stderr_text;
}

}  // namespace
}  // namespace llmcal::testing
