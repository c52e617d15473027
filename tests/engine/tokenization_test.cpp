// The tokenization conventions of lm-evaluation-harness, case by case.
//
// tests/engine/data/token_splits.jsonl holds one case per line: a model, a
// (context, continuation) pair, the BOS and split options, and the expected
// prefix and continuation ids. The expected ids were put together by hand
// from llama_tokenize's raw output for the context and for context +
// continuation (no special tokens), following the harness's rules: strip the
// context with Python's str.rstrip(); continuation = whole[len(ctx):] after
// ctx (lm-eval) or whole past the common prefix (common-prefix); BOS in front
// when asked; an empty prefix becomes the start token (BOS, else EOS).
#include "engine/tokenization.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "engine/llama_handles.h"
#include "engine/llama_runtime.h"
#include "engine/llama_scorer.h"
#include "scoring_fixtures.h"

namespace llmcal::testing {
namespace {

using engine::BosMode;
using engine::TokenIds;

struct SplitCase {
  std::string name;
  std::string model;
  std::string context;
  std::string continuation;
  engine::SplitOptions options;
  TokenIds prefix;
  TokenIds continuation_tokens;
  bool context_not_prefix = false;
};

void PrintTo(const SplitCase& c, std::ostream* os) {
  *os << c.name;
}

std::vector<SplitCase> SplitCases() {
  std::ifstream in(EngineTestDataFile("token_splits.jsonl"));
  std::vector<SplitCase> cases;
  for (std::string line; std::getline(in, line);) {
    const auto doc = nlohmann::json::parse(line);
    SplitCase c;
    c.name = doc.at("case");
    c.model = doc.at("model");
    c.context = doc.at("context");
    c.continuation = doc.at("continuation");
    c.options.bos = doc.at("bos");
    c.options.split = *engine::ParseTokenSplit(doc.at("split").get<std::string>());
    c.prefix = doc.at("prefix").get<TokenIds>();
    c.continuation_tokens = doc.at("continuation_tokens").get<TokenIds>();
    c.context_not_prefix = doc.at("context_not_prefix");
    cases.push_back(std::move(c));
  }
  return cases;
}

// Vocabularies, loaded once per model for the whole suite.
const llama_vocab* VocabOf(const std::string& model_name) {
  static std::map<std::string, engine::LlamaModelPtr> models;
  auto& model = models[model_name];
  if (!model) {
    engine::InitLlamaRuntime(false);
    llama_model_params params = llama_model_default_params();
    params.vocab_only = true;
    model.reset(llama_model_load_from_file(FindTestModel(model_name).path.c_str(), params));
    if (!model)
      throw std::runtime_error("cannot load " + model_name);
  }
  return llama_model_get_vocab(model.get());
}

class TokenSplits : public ::testing::TestWithParam<SplitCase> {};

TEST_P(TokenSplits, MatchHandAssembledIds) {
  const SplitCase& c = GetParam();
  const engine::Tokenizer tokenizer(VocabOf(c.model));
  const auto split = engine::SplitContinuation(tokenizer, c.context, c.continuation, c.options);
  EXPECT_EQ(split.prefix, c.prefix);
  EXPECT_EQ(split.continuation, c.continuation_tokens);
  EXPECT_EQ(split.context_not_prefix, c.context_not_prefix);
}

INSTANTIATE_TEST_SUITE_P(Cases, TokenSplits, ::testing::ValuesIn(SplitCases()),
                         [](const auto& param_info) { return param_info.param.name; });

// The BOS decision of every mode, from the GGUF facts alone.
struct BosCase {
  BosMode mode;
  bool adds_bos;
  const char* architecture;
  bool expected;
};

const BosCase kBosCases[] = {
    {BosMode::kAuto, true, "llama", true},        {BosMode::kAuto, false, "qwen2", false},
    {BosMode::kOn, false, "qwen2", true},         {BosMode::kOff, true, "llama", false},
    {BosMode::kLmEval04, true, "llama", false},   {BosMode::kLmEval04, false, "olmo", false},
    {BosMode::kLmEval04, true, "gemma", true},    {BosMode::kLmEval04, true, "gemma2", true},
    {BosMode::kLmEval04, true, "gemma3", true},   {BosMode::kLmEval04, false, "gemma3n", true},
    {BosMode::kLmEval04, true, "mistral", false},
};

TEST(DecideBos, FollowsEachMode) {
  for (const BosCase& c : kBosCases) {
    EXPECT_EQ(engine::DecideBos(c.mode, c.adds_bos, c.architecture, true), c.expected)
        << engine::BosModeName(c.mode) << " " << c.architecture << " adds_bos " << c.adds_bos;
  }
}

TEST(DecideBos, RefusesABosTheVocabularyLacks) {
  EXPECT_THROW(engine::DecideBos(BosMode::kOn, false, "gpt2", false), InputError);
  EXPECT_THROW(engine::DecideBos(BosMode::kAuto, true, "gpt2", false), InputError);
  EXPECT_FALSE(engine::DecideBos(BosMode::kOff, true, "gpt2", false));
  EXPECT_FALSE(engine::DecideBos(BosMode::kLmEval04, true, "gpt2", false));
}

TEST(ScorerItemErrors, ZeroTokenContinuationFailsOnlyItsItem) {
  engine::EngineOptions options;
  options.model_path = FindTestModel("stories260K").path;
  options.threads = 2;
  auto scorer = engine::LlamaScorer::Open(options);
  const std::vector<engine::ScoreRequest> requests = {{"The cat", {" sat", ""}},
                                                      {"The cat", {" sat", " ran"}}};
  const auto scores = scorer->Score(requests);
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_FALSE(scores[0].ok());
  EXPECT_NE(scores[0].error.find("continuation 1"), std::string::npos) << scores[0].error;
  EXPECT_NE(scores[0].error.find("zero tokens"), std::string::npos) << scores[0].error;
  ASSERT_TRUE(scores[1].ok()) << scores[1].error;
  EXPECT_EQ(scores[1].continuations.size(), 2u);
}

}  // namespace
}  // namespace llmcal::testing
