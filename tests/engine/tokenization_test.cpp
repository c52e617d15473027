// Tokenization boundary cases of the lm-evaluation-harness convention, on the
// real stories260K vocabulary (SentencePiece, adds BOS = 1, adds a leading
// space). Expected ids were read off llama_tokenize for each string by hand.
#include "engine/tokenization.h"

#include <gtest/gtest.h>

#include "engine/llama_handles.h"
#include "engine/llama_runtime.h"
#include "engine/llama_scorer.h"
#include "scoring_fixtures.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

using engine::TokenIds;

class StoriesTokenization : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine::InitLlamaRuntime(false);
    llama_model_params params = llama_model_default_params();
    params.vocab_only = true;
    model_.reset(llama_model_load_from_file((TestDataDir() / "models" / "stories260K.gguf").c_str(),
                                            params));
    ASSERT_TRUE(model_);
  }
  static void TearDownTestSuite() { model_.reset(); }
  engine::Tokenizer tokenizer() const {
    return engine::Tokenizer(llama_model_get_vocab(model_.get()));
  }

  static engine::LlamaModelPtr model_;
};
engine::LlamaModelPtr StoriesTokenization::model_;

struct SplitCase {
  const char* name;
  const char* context;
  const char* continuation;
  TokenIds prefix;  // including BOS (1)
  TokenIds continuation_tokens;
};

const SplitCase kSplitCases[] = {
    {"plain", "Once upon a", " time", {1, 403, 407, 261}, {378}},
    {"context_ends_in_space_moves_it", "The cat ", "sat", {1, 291, 280, 294}, {}},
    {"merge_falls_back_to_common_prefix", "Once upon a ti", "me", {1, 403, 407, 261}, {378}},
    {"lone_space_token", "Answer:", " ", {1, 410, 447, 416, 419, 424, 285, 467}, {410}},
    {"empty_context_starts_at_bos", "", "The cat", {1}, {291, 280, 294}},
    {"zero_token_continuation", "The cat", "", {1, 291, 280, 294}, {}},
};

TEST_F(StoriesTokenization, AddsBosAsTheModelAsks) {
  EXPECT_TRUE(tokenizer().adds_bos());
}

class SplitContinuationCases : public StoriesTokenization,
                               public ::testing::WithParamInterface<SplitCase> {};

TEST_P(SplitContinuationCases, MatchesHandTokenizedIds) {
  const SplitCase& c = GetParam();
  const auto split = engine::SplitContinuation(tokenizer(), c.context, c.continuation);
  EXPECT_EQ(split.prefix, c.prefix);
  if (std::string(c.name) == "context_ends_in_space_moves_it") {
    // "The cat " + "sat" is scored as "The cat" + " sat".
    const auto moved = engine::SplitContinuation(tokenizer(), "The cat", " sat");
    EXPECT_EQ(split.continuation, moved.continuation);
    EXPECT_FALSE(split.continuation.empty());
  } else {
    EXPECT_EQ(split.continuation, c.continuation_tokens);
  }
}

INSTANTIATE_TEST_SUITE_P(Stories, SplitContinuationCases, ::testing::ValuesIn(kSplitCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// Whether each test model's family adds BOS (Llama-2/3, Gemma: yes; Qwen2,
// OLMo: no), written by hand from the model cards, not read from the files.
bool FamilyAddsBos(const std::string& model_name) {
  return model_name != "synthetic_qwen2" && model_name != "synthetic_olmo";
}

class BosPerModel : public ::testing::TestWithParam<TestModel> {};

TEST_P(BosPerModel, PrependedExactlyWhenTheModelAsks) {
  engine::InitLlamaRuntime(false);
  llama_model_params params = llama_model_default_params();
  params.vocab_only = true;
  engine::LlamaModelPtr model(llama_model_load_from_file(GetParam().path.c_str(), params));
  ASSERT_TRUE(model);
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  const engine::Tokenizer tokenizer(vocab);
  const bool expected = FamilyAddsBos(GetParam().name);
  EXPECT_EQ(tokenizer.adds_bos(), expected);
  const auto split = engine::SplitContinuation(tokenizer, "Hello there", " world");
  const auto plain = tokenizer.Tokenize("Hello there");
  if (expected) {
    ASSERT_EQ(split.prefix.size(), plain.size() + 1);
    EXPECT_EQ(split.prefix.front(), llama_vocab_bos(vocab));
  } else {
    EXPECT_EQ(split.prefix, plain);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, BosPerModel, ::testing::ValuesIn(EngineTestModels()),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(ScorerItemErrors, ZeroTokenContinuationFailsOnlyItsItem) {
  engine::EngineOptions options;
  options.model_path = (TestDataDir() / "models" / "stories260K.gguf").string();
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
