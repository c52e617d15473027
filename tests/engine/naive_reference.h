// An independent, deliberately simple scorer for tests: each (context,
// continuation) is evaluated alone, in a fresh single-sequence context, with
// logits for every position and log-softmax in double precision. The batched
// LlamaScorer must agree with it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/scorer.h"
#include "engine/tokenization.h"

namespace llmcal::testing {

struct NaiveScore {
  std::vector<std::int32_t> tokens;
  std::vector<double> logprobs;
  bool is_greedy = true;
};

// Holds one model; scores each continuation of a request after its context,
// cutting the input to the last `window` tokens (0 = the model's training
// context). Tokenization follows engine/tokenization.h with `split`; without
// it, BOS as the model's metadata says and the common-prefix split.
class NaiveScorer {
 public:
  explicit NaiveScorer(const std::string& model_path, int window = 0,
                       std::optional<engine::SplitOptions> split = std::nullopt);
  ~NaiveScorer();
  // Returns one score per continuation, or none when a continuation has as
  // many tokens as the window (such an item cannot be scored).
  std::vector<NaiveScore> Score(const engine::ScoreRequest& request) const;

 private:
  struct Model;
  std::unique_ptr<Model> model_;
  int window_;
  engine::SplitOptions split_;
};

// Expects `batched` (the LlamaScorer's result for `request`) to equal the
// naive scores token by token within `tolerance`: same tokens, log-probs,
// sum, min, byte count and greediness. An empty `naive` means the item cannot
// be scored (a continuation as long as the window): `batched` must say so.
void ExpectSameScores(const engine::ScoreRequest& request, const engine::RequestScore& batched,
                      const std::vector<NaiveScore>& naive, double tolerance);

}  // namespace llmcal::testing
