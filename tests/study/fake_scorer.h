// A deterministic stand-in for a model, so the runner's logic (resumption,
// shards, refusals) is tested in milliseconds. Each continuation's tokens
// are its bytes; each token's log-prob is a hash of (context, continuation,
// position) mapped into [-8, -0.01), the same in any batch, so a resumed or
// sharded run must reproduce an uninterrupted one bit for bit. A
// continuation containing "FAIL" makes its item an error, as a zero-token
// continuation does in the real scorer; one containing "NAN" gets NaN
// log-probs, as a model with broken weights gives.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/scorer.h"
#include "study/scorer_factory.h"

namespace llmcal::testing {

class FakeScorer final : public engine::Scorer {
 public:
  // `fail_at_call`: the Score call (0-based) that throws EngineError, or -1.
  // `calls`, when given, receives the contexts of each Score call.
  explicit FakeScorer(int fail_at_call = -1, std::vector<std::vector<std::string>>* calls = nullptr,
                      double scale = 1.0);
  const engine::ModelInfo& info() const override { return info_; }
  std::vector<engine::RequestScore> Score(std::span<const engine::ScoreRequest> requests) override;

 private:
  engine::ModelInfo info_;
  int fail_at_call_;
  double scale_;
  std::vector<std::vector<std::string>>* calls_log_;
  int calls_ = 0;
};

// Returns the fake's score of one request: what FakeScorer::Score gives it
// for a model of that scale.
engine::RequestScore FakeScore(const engine::ScoreRequest& request, double scale = 1.0);

// A ScorerFactory of FakeScorers that records every model it opens.
struct FakeFactory {
  std::vector<std::string> opened;  // model paths, in order
  int fail_at_call = -1;            // passed to every FakeScorer
  // The contexts of every Score call of every scorer: the batch layout.
  std::vector<std::vector<std::string>> calls;

  study::ScorerFactory Factory();
};

}  // namespace llmcal::testing
