// The two scoring conventions a user chooses (engine_options.h): the BOS mode
// and the token split. For each, the scorer's decision must be the one
// written here by hand for every test model, and its scores must equal the
// naive reference evaluated with that decision.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "engine/llama_scorer.h"
#include "naive_reference.h"
#include "scoring_fixtures.h"

namespace llmcal::testing {
namespace {

using engine::BosMode;

// BOS taken under auto, on, off, lm-eval-0.4, from the model cards: Llama-2/3
// and Gemma tokenizers add BOS, Qwen2 and OLMo do not; only Gemma is an
// lm-eval-0.4 exception. (stories260K is a Llama-2-style SentencePiece model.)
struct ExpectedBos {
  bool auto_mode, on, off, lm_eval_04;
  bool For(BosMode mode) const {
    switch (mode) {
      case BosMode::kAuto:
        return auto_mode;
      case BosMode::kOn:
        return on;
      case BosMode::kOff:
        return off;
      case BosMode::kLmEval04:
        return lm_eval_04;
    }
    return false;
  }
};

const std::map<std::string, ExpectedBos> kExpectedBos = {
    {"stories260K", {true, true, false, false}},
    {"synthetic_llama_spm", {true, true, false, false}},
    {"synthetic_llama_bpe", {true, true, false, false}},
    {"synthetic_qwen2", {false, true, false, false}},
    {"synthetic_gemma", {true, true, false, true}},
    {"synthetic_olmo", {false, true, false, false}},
};

std::unique_ptr<engine::LlamaScorer> OpenScorer(const TestModel& model, BosMode bos,
                                                engine::TokenSplit split) {
  engine::EngineOptions options;
  options.model_path = model.path;
  options.threads = 2;
  options.bos = bos;
  options.split = split;
  return engine::LlamaScorer::Open(options);
}

class BosModes : public ::testing::TestWithParam<std::tuple<TestModel, BosMode>> {};

TEST_P(BosModes, DecisionAsWrittenAndScoresEqualTheReference) {
  const auto& [model, mode] = GetParam();
  const bool expected = kExpectedBos.at(model.name).For(mode);
  auto scorer = OpenScorer(model, mode, engine::TokenSplit::kCommonPrefix);
  EXPECT_EQ(scorer->info().bos, expected);
  // The brief's three models: every score under this mode equals the reference.
  if (model.name != "stories260K" && model.name != "synthetic_llama_spm" &&
      model.name != "synthetic_gemma") {
    return;
  }
  const auto requests = HandWrittenRequests();
  const auto batched = scorer->Score(requests);
  const NaiveScorer naive(model.path, 0, engine::SplitOptions{expected});
  for (std::size_t i = 0; i < requests.size(); ++i) {
    SCOPED_TRACE("request " + std::to_string(i) + ": '" + requests[i].context + "'");
    ExpectSameScores(requests[i], batched[i], naive.Score(requests[i]), model.tolerance);
  }
}

std::string BosModeTestName(const ::testing::TestParamInfo<BosModes::ParamType>& param_info) {
  std::string mode(engine::BosModeName(std::get<1>(param_info.param)));
  std::replace_if(
      mode.begin(), mode.end(), [](char c) { return !std::isalnum(c); }, '_');
  return std::get<0>(param_info.param).name + "_" + mode;
}

INSTANTIATE_TEST_SUITE_P(Models, BosModes,
                         ::testing::Combine(::testing::ValuesIn(EngineTestModels()),
                                            ::testing::ValuesIn(engine::kAllBosModes)),
                         BosModeTestName);

// The decision must reach the scores: BOS on and off give different numbers.
TEST(BosModes, OnAndOffScoreDifferently) {
  const TestModel model = FindTestModel("stories260K");
  const std::vector<engine::ScoreRequest> requests = {{"Lily", {" ran to the park"}}};
  const auto on =
      OpenScorer(model, BosMode::kOn, engine::TokenSplit::kCommonPrefix)->Score(requests);
  const auto off =
      OpenScorer(model, BosMode::kOff, engine::TokenSplit::kCommonPrefix)->Score(requests);
  ASSERT_TRUE(on[0].ok() && off[0].ok());
  EXPECT_EQ(on[0].continuations[0].tokens, off[0].continuations[0].tokens);
  EXPECT_GT(std::abs(on[0].continuations[0].sum - off[0].continuations[0].sum), 0.5)
      << on[0].continuations[0].sum << " vs " << off[0].continuations[0].sum;
}

// Items where a token merges across the context/continuation boundary
// (tests/engine/data/token_splits.jsonl shows the ids), and one where none does.
const std::vector<engine::ScoreRequest> kSplitRequests = {
    {"Once upon a ti", {"me, there was", "me to go"}},  // merges on every test vocabulary
    {"Once upon a", {" time", " day"}},                 // merges on none
    {"The", {"ir house", " cat"}},  // "Their" is one token in the synthetic vocabularies
};

struct SplitExpectation {
  const char* model;
  std::int64_t non_prefix_items;  // counted by hand from the raw tokenizations
};

void PrintTo(const SplitExpectation& expectation, std::ostream* os) {
  *os << expectation.model;
}

class TokenSplits
    : public ::testing::TestWithParam<std::tuple<SplitExpectation, engine::TokenSplit>> {};

TEST_P(TokenSplits, CountAndScoresEqualTheReference) {
  const auto& [expectation, split] = GetParam();
  const TestModel model = FindTestModel(expectation.model);
  auto scorer = OpenScorer(model, BosMode::kAuto, split);
  const auto batched = scorer->Score(kSplitRequests);
  EXPECT_EQ(scorer->non_prefix_items(), expectation.non_prefix_items);
  const NaiveScorer naive(model.path, 0, engine::SplitOptions{scorer->info().bos, split});
  for (std::size_t i = 0; i < kSplitRequests.size(); ++i) {
    SCOPED_TRACE("request " + std::to_string(i) + ": '" + kSplitRequests[i].context + "'");
    ExpectSameScores(kSplitRequests[i], batched[i], naive.Score(kSplitRequests[i]),
                     model.tolerance);
  }
}

const SplitExpectation kSplitExpectations[] = {
    {"stories260K", 1},  // "The" + "ir" stays two tokens in its 512-token vocabulary
    {"synthetic_llama_spm", 2},
    {"synthetic_gemma", 2},
};

INSTANTIATE_TEST_SUITE_P(Models, TokenSplits,
                         ::testing::Combine(::testing::ValuesIn(kSplitExpectations),
                                            ::testing::ValuesIn(engine::kAllTokenSplits)),
                         [](const auto& param_info) {
                           std::string split(engine::TokenSplitName(std::get<1>(param_info.param)));
                           std::replace(split.begin(), split.end(), '-', '_');
                           return std::string(std::get<0>(param_info.param).model) + "_" + split;
                         });

// Where a token merges, the two splits score different tokens; elsewhere the same.
TEST(TokenSplits, DifferOnlyWhereATokenMerges) {
  const TestModel model = FindTestModel("stories260K");
  const auto common =
      OpenScorer(model, BosMode::kAuto, engine::TokenSplit::kCommonPrefix)->Score(kSplitRequests);
  const auto lm_eval =
      OpenScorer(model, BosMode::kAuto, engine::TokenSplit::kLmEval)->Score(kSplitRequests);
  EXPECT_NE(common[0].continuations[0].tokens, lm_eval[0].continuations[0].tokens);
  for (std::size_t i = 1; i < kSplitRequests.size(); ++i) {
    for (std::size_t k = 0; k < common[i].continuations.size(); ++k) {
      EXPECT_EQ(common[i].continuations[k].tokens, lm_eval[i].continuations[k].tokens);
      EXPECT_NEAR(common[i].continuations[k].sum, lm_eval[i].continuations[k].sum, 1e-4);
    }
  }
}

}  // namespace
}  // namespace llmcal::testing
