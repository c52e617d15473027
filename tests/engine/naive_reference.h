// An independent, deliberately simple scorer for tests: each (context,
// continuation) is evaluated alone, in a fresh single-sequence context, with
// logits for every position and log-softmax in double precision. The batched
// LlamaScorer must agree with it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/scorer.h"

namespace llmcal::testing {

struct NaiveScore {
  std::vector<std::int32_t> tokens;
  std::vector<double> logprobs;
  bool is_greedy = true;
};

// Holds one model; scores each continuation of a request after its context,
// cutting the input to the last `window` tokens (0 = the model's training
// context). Tokenization follows engine/tokenization.h.
class NaiveScorer {
 public:
  NaiveScorer(const std::string& model_path, int window = 0);
  ~NaiveScorer();
  // Returns one score per continuation, or none when a continuation has as
  // many tokens as the window (such an item cannot be scored).
  std::vector<NaiveScore> Score(const engine::ScoreRequest& request) const;

 private:
  struct Model;
  std::unique_ptr<Model> model_;
  int window_;
};

}  // namespace llmcal::testing
