// Batched scoring must equal scoring each (context + continuation) alone in a
// fresh sequence: for every test model, every request, several batch layouts,
// with the prefix cache on and off.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/llama_scorer.h"
#include "naive_reference.h"
#include "scoring_fixtures.h"

namespace llmcal::testing {
namespace {

struct Layout {
  int batch_size;
  int window;                // 0 = the model's own
  std::size_t chunk = 1000;  // requests per Score call: the cache outlives a call
  int workers = 0;           // 0 = automatic (two single-threaded ones for these models)
};

void PrintTo(const Layout& layout, std::ostream* os) {
  *os << "batch " << layout.batch_size << ", window " << layout.window << ", chunk " << layout.chunk
      << ", workers " << layout.workers;
}

class ScorerEquivalence
    : public ::testing::TestWithParam<std::tuple<TestModel, Layout, bool /* prefix cache */>> {};

TEST_P(ScorerEquivalence, BatchedEqualsEachSequenceAlone) {
  const auto& [model, layout, prefix_cache] = GetParam();
  auto requests = HandWrittenRequests();
  const auto hellaswag = HellaSwagRequests(12);
  requests.insert(requests.end(), hellaswag.begin(), hellaswag.end());
  const auto shared = SharedPrefixRequests();
  requests.insert(requests.end(), shared.begin(), shared.end());

  engine::EngineOptions options;
  options.model_path = model.path;
  options.batch_size = layout.batch_size;
  options.context_size = layout.window;
  options.threads = 2;
  options.workers = layout.workers;
  options.prefix_cache = prefix_cache;
  auto scorer = engine::LlamaScorer::Open(options);
  std::vector<engine::RequestScore> batched;
  engine::ScoreInChunks(*scorer, requests, layout.chunk,
                        [&](std::size_t, std::span<const engine::RequestScore> scores) {
                          batched.insert(batched.end(), scores.begin(), scores.end());
                        });
  ASSERT_EQ(batched.size(), requests.size());

  const NaiveScorer naive(model.path, layout.window);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    SCOPED_TRACE("request " + std::to_string(i) + ": '" + requests[i].context + "'");
    ExpectSameScores(requests[i], batched[i], naive.Score(requests[i]), model.tolerance);
  }
  if (layout.window > 0) {
    EXPECT_GT(scorer->truncated_items(), 0) << "the small window should cut some contexts";
  } else {
    EXPECT_EQ(scorer->truncated_items(), 0);
  }
  EXPECT_EQ(scorer->info().prefix_cache, prefix_cache);
  if (prefix_cache) {
    EXPECT_GT(scorer->reused_tokens(), 0) << "the shared headers should be evaluated once";
  } else {
    EXPECT_EQ(scorer->reused_tokens(), 0);
  }
}

std::string LayoutName(const ::testing::TestParamInfo<ScorerEquivalence::ParamType>& param_info) {
  const auto& [model, layout, prefix_cache] = param_info.param;
  return model.name + "_batch" + std::to_string(layout.batch_size) +
         (layout.window ? "_window" + std::to_string(layout.window) : "") +
         (layout.chunk < 1000 ? "_chunk" + std::to_string(layout.chunk) : "") +
         (layout.workers ? "_workers" + std::to_string(layout.workers) : "") +
         (prefix_cache ? "_cache" : "_nocache");
}

// 512 and 2048: whole groups in one decode; 37: the shared headers are longer
// than a batch and a group of items sharing one is split over several
// batches, the requests come in chunks of 7 (a prefix kept from one Score
// call serves the next) and one worker takes every group; window 40: items
// cut from the left.
INSTANTIATE_TEST_SUITE_P(Models, ScorerEquivalence,
                         ::testing::Combine(::testing::ValuesIn(EngineTestModels()),
                                            ::testing::Values(Layout{512, 0}, Layout{37, 0, 7, 1},
                                                              Layout{2048, 0}, Layout{64, 40}),
                                            ::testing::Bool()),
                         LayoutName);

// The cache changes which tokens are evaluated, never the scores: on the
// shared-prefix items it evaluates fewer tokens than without it.
TEST(PrefixCache, EvaluatesFewerTokensForItemsSharingAHeader) {
  const auto requests = SharedPrefixRequests();
  std::int64_t evaluated[2] = {0, 0};
  for (const bool cache : {false, true}) {
    engine::EngineOptions options;
    options.model_path = FindTestModel("synthetic_qwen2").path;
    options.threads = 1;
    options.prefix_cache = cache;
    auto scorer = engine::LlamaScorer::Open(options);
    scorer->Score(requests);
    evaluated[cache] = scorer->evaluated_tokens();
  }
  EXPECT_LT(evaluated[1], evaluated[0] * 2 / 3) << "without: " << evaluated[0];
}

}  // namespace
}  // namespace llmcal::testing
