// Batched scoring must equal scoring each (context + continuation) alone in a
// fresh sequence: for every test model, every request, several batch layouts.
#include <gtest/gtest.h>

#include "engine/llama_scorer.h"
#include "naive_reference.h"
#include "scoring_fixtures.h"

namespace llmcal::testing {
namespace {

struct Layout {
  int batch_size;
  int window;  // 0 = the model's own
};

void PrintTo(const Layout& layout, std::ostream* os) {
  *os << "batch " << layout.batch_size << ", window " << layout.window;
}

class ScorerEquivalence : public ::testing::TestWithParam<std::tuple<TestModel, Layout>> {};

TEST_P(ScorerEquivalence, BatchedEqualsEachSequenceAlone) {
  const auto& [model, layout] = GetParam();
  auto requests = HandWrittenRequests();
  const auto hellaswag = HellaSwagRequests(12);
  requests.insert(requests.end(), hellaswag.begin(), hellaswag.end());

  engine::EngineOptions options;
  options.model_path = model.path;
  options.batch_size = layout.batch_size;
  options.context_size = layout.window;
  options.threads = 2;
  auto scorer = engine::LlamaScorer::Open(options);
  const auto batched = scorer->Score(requests);
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
}

std::string LayoutName(const ::testing::TestParamInfo<ScorerEquivalence::ParamType>& param_info) {
  const TestModel& model = std::get<0>(param_info.param);
  const Layout& layout = std::get<1>(param_info.param);
  return model.name + "_batch" + std::to_string(layout.batch_size) +
         (layout.window ? "_window" + std::to_string(layout.window) : "");
}

INSTANTIATE_TEST_SUITE_P(Models, ScorerEquivalence,
                         ::testing::Combine(::testing::ValuesIn(EngineTestModels()),
                                            ::testing::Values(Layout{512, 0}, Layout{37, 0},
                                                              Layout{2048, 0}, Layout{64, 40})),
                         LayoutName);

}  // namespace
}  // namespace llmcal::testing
