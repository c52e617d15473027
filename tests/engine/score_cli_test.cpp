// `llmcal score` as a user runs it: output format, and a clear error with a
// non-zero exit for every kind of bad input (never a crash).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

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
    {"missing_model", "missing", kGoodRequest, 1, "absent.gguf: no such model file"},
    {"model_not_gguf", "text", kGoodRequest, 1, "not a GGUF file"},
    {"model_truncated_in_tensors", "truncated-100000", kGoodRequest, 1,
     "not within the file bounds"},
    {"model_truncated_in_header", "truncated-2000", kGoodRequest, 1, "could not load the model"},
    {"model_of_four_bytes", "truncated-4", kGoodRequest, 1, "could not load the model"},
    {"malformed_json", "stories", kGoodRequest + "\n{\"context\": \"x\", ", 1,
     "requests.jsonl:2: malformed JSON"},
    {"not_an_object", "stories", "[1, 2]", 1,
     "requests.jsonl:1: expected a JSON object, found array"},
    {"empty_continuation_list", "stories", R"({"context": "x", "continuations": []})", 1,
     "requests.jsonl:1: field 'continuations': empty list"},
    {"missing_context", "stories", R"({"continuations": [" a"]})", 1,
     "requests.jsonl:1: field 'context': missing"},
    {"context_not_a_string", "stories", R"({"context": 5, "continuations": [" a"]})", 1,
     "requests.jsonl:1: field 'context': expected a string, found number"},
    {"continuation_not_a_string", "stories", R"({"context": "x", "continuations": [" a", 3]})", 1,
     "requests.jsonl:1: field 'continuations[1]': expected a string, found number"},
    {"choice_texts_count", "stories",
     R"({"context": "x", "continuations": [" a", " b"], "choice_texts": ["a"]})", 1,
     "requests.jsonl:1: field 'choice_texts': 1 texts for 2 continuations"},
    {"choice_text_not_a_string", "stories",
     R"({"context": "x", "continuations": [" a"], "choice_texts": [1]})", 1,
     "requests.jsonl:1: field 'choice_texts[0]': expected a string, found number"},
    {"template_not_a_string", "stories",
     R"({"context": "x", "continuations": [" a"], "template": 1})", 1,
     "requests.jsonl:1: field 'template': expected a string, found number"},
    {"index_not_an_integer", "stories",
     R"({"context": "x", "continuations": [" a"], "index": "first"})", 1,
     "requests.jsonl:1: field 'index': expected an integer, found \"first\""},
    {"no_requests", "stories", "\n\n", 1, "requests.jsonl: empty file: no records"},
    {"zero_token_continuation", "stories",
     kGoodRequest + "\n" + R"({"id": "bad", "context": "x", "continuations": [" a", ""]})", 1,
     "1 of 2 item(s) could not be scored"},
};

void PrintTo(const BadInputCase& c, std::ostream* os) {
  *os << c.name;
}

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
  for (const auto& line : out) {
    EXPECT_EQ(line["bos"], true) << "stories260K's metadata asks for BOS: " << line.dump();
  }
}

// Every BOS mode is recorded on each line and named in --stats.
TEST(ScoreCli, RecordsTheBosDecision) {
  const std::pair<const char*, bool> modes[] = {
      {"auto", true}, {"on", true}, {"off", false}, {"lm-eval-0.4", false}};
  for (const auto& [mode, bos] : modes) {
    const auto r =
        RunLlmcal({"score", "-m", Stories(), "-t", "2", "--bos", mode, "--stats"}, kGoodRequest);
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    const auto line = nlohmann::json::parse(r.stdout_text);
    EXPECT_EQ(line["bos"], bos) << mode;
    const std::string stats = std::string("llmcal: bos ") + (bos ? "on" : "off") + " (--bos " +
                              mode + "; the GGUF metadata says on; architecture llama)";
    EXPECT_NE(r.stderr_text.find(stats), std::string::npos) << r.stderr_text;
  }
}

TEST(ScoreCli, StatsCountContextsThatAreNotPrefixes) {
  const std::string requests =
      R"({"context": "Once upon a ti", "continuations": ["me, there was", "me to go"]})"
      "\n" +
      kGoodRequest + "\n";
  for (const char* split : {"common-prefix", "lm-eval"}) {
    const auto r =
        RunLlmcal({"score", "-m", Stories(), "-t", "2", "--split", split, "--stats"}, requests);
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    EXPECT_NE(r.stderr_text.find(std::string("llmcal: split ") + split +
                                 ": 1 of 2 items have a context whose tokens are not a prefix"),
              std::string::npos)
        << r.stderr_text;
  }
}

TEST(ScoreCli, UnknownBosOrSplitIsAUsageErrorListingTheNames) {
  const auto bos = RunLlmcal({"score", "-m", Stories(), "--bos", "maybe"}, kGoodRequest);
  EXPECT_EQ(bos.exit_code, 2);
  for (const char* name : {"auto", "on", "off", "lm-eval-0.4"}) {
    EXPECT_NE(bos.stderr_text.find(name), std::string::npos) << bos.stderr_text;
  }
  const auto split = RunLlmcal({"score", "-m", Stories(), "--split", "longest"}, kGoodRequest);
  EXPECT_EQ(split.exit_code, 2);
  EXPECT_NE(split.stderr_text.find("common-prefix"), std::string::npos) << split.stderr_text;
}

// `llmcal prompts --format jsonl | llmcal score`: what the calibration needs
// besides the scores travels through.
TEST(ScoreCli, CopiesThePromptFieldsThrough) {
  const auto prompts = RunLlmcal({"prompts", "--task", "piqa", "--data", TestDataDir().string(),
                                  "--style", "choice", "--limit", "2", "--format", "jsonl"});
  ASSERT_EQ(prompts.exit_code, 0) << prompts.stderr_text;
  const auto r = RunLlmcal({"score", "-m", Stories(), "-t", "2"}, prompts.stdout_text);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  std::istringstream in_lines(prompts.stdout_text), out_lines(r.stdout_text);
  std::string in_line, out_line;
  int n = 0;
  while (std::getline(in_lines, in_line) && std::getline(out_lines, out_line)) {
    const auto in = nlohmann::json::parse(in_line);
    const auto out = nlohmann::json::parse(out_line);
    for (const char* field : {"id", "task", "index", "template", "gold", "choice_texts"}) {
      EXPECT_EQ(out[field], in[field]) << field;
    }
    EXPECT_EQ(out["choice_texts"], nlohmann::json({"A", "B"}));
    EXPECT_EQ(out["template"], "lm-eval-0.4-zeroshot-lettered+yang2024/1");
    EXPECT_FALSE(out.contains("context")) << "the context is not copied";
    ++n;
  }
  EXPECT_EQ(n, 2);
}

// Zero-shot MMLU items of several subjects share their subject's header: the
// cache reuses it, --stats says how much, and the scores equal those without.
TEST(ScoreCli, PrefixCacheOnAndOffGiveTheSameScores) {
  const auto prompts =
      RunLlmcal({"prompts", "--task", "mmlu", "--data", TestDataDir().string(), "--style", "choice",
                 "--sample", "40", "--seed", "3", "--format", "jsonl"});
  ASSERT_EQ(prompts.exit_code, 0) << prompts.stderr_text;
  std::vector<std::string> outputs;
  for (const char* cache : {"on", "off"}) {
    const auto r =
        RunLlmcal({"score", "-m", Stories(), "-t", "2", "--prefix-cache", cache, "--stats"},
                  prompts.stdout_text);
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    EXPECT_NE(r.stderr_text.find(std::string("llmcal: prefix cache ") + cache + ": evaluated"),
              std::string::npos)
        << r.stderr_text;
    EXPECT_EQ(r.stderr_text.find("reused 0 tokens") == std::string::npos,
              std::string(cache) == "on")
        << r.stderr_text;
    outputs.push_back(r.stdout_text);
  }
  std::istringstream on_lines(outputs[0]), off_lines(outputs[1]);
  std::string on_line, off_line;
  int n = 0;
  while (std::getline(on_lines, on_line) && std::getline(off_lines, off_line)) {
    const auto on = nlohmann::json::parse(on_line), off = nlohmann::json::parse(off_line);
    EXPECT_EQ(on["id"], off["id"]);
    ASSERT_EQ(on["continuations"].size(), off["continuations"].size());
    for (std::size_t k = 0; k < on["continuations"].size(); ++k) {
      EXPECT_EQ(on["continuations"][k]["tokens"], off["continuations"][k]["tokens"]);
      EXPECT_NEAR(on["continuations"][k]["sum"].get<double>(),
                  off["continuations"][k]["sum"].get<double>(), 1e-4)
          << on_line;
    }
    ++n;
  }
  EXPECT_EQ(n, 40);
}

TEST(ScoreCli, PrefixCacheTakesOnOrOff) {
  const auto r = RunLlmcal({"score", "-m", Stories(), "--prefix-cache", "yes"}, kGoodRequest);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("--prefix-cache"), std::string::npos) << r.stderr_text;
}

TEST(ScoreCli, MissingModelFlagIsAUsageError) {
  const auto r = RunLlmcal({"score", "--input", "-"}, kGoodRequest);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("--model"), std::string::npos) << r.stderr_text;
}

}  // namespace
}  // namespace llmcal::testing
