// The Scorer: log-likelihood of answer continuations given a context.
//
// A ScoreRequest is one multiple-choice item: a context and its K continuation
// strings. The scorer returns, for every continuation, the per-token
// log-probabilities the model assigns to it after the context, following
// lm-evaluation-harness's convention (see tokenization.h). Scores are plain
// values owned by the caller; a Scorer holds the model and is not thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace llmcal::engine {

struct ScoreRequest {
  std::string context;
  std::vector<std::string> continuations;  // REQUIRES: at least one
};

struct ContinuationScore {
  std::vector<std::int32_t> tokens;  // continuation token ids
  std::vector<float> logprobs;       // log-softmax over the vocabulary, one per token
  double sum = 0.0;                  // sum of logprobs
  double min = 0.0;                  // smallest logprob
  std::int64_t n_bytes = 0;          // UTF-8 bytes of the continuation string as given
  bool is_greedy = false;            // every token is the argmax of its row

  std::int64_t n_tokens() const { return static_cast<std::int64_t>(tokens.size()); }
};

struct RequestScore {
  std::vector<ContinuationScore> continuations;  // in request order; empty when error is set
  std::string error;       // why this item could not be scored (e.g. a zero-token continuation)
  bool truncated = false;  // the context was cut from the left to fit the model's window

  bool ok() const { return error.empty(); }
};

class Scorer {
 public:
  virtual ~Scorer() = default;

  // Scores every request. Returns one RequestScore per request, in order. An
  // item that cannot be scored carries an error and does not stop the others.
  // Throws EngineError when the model itself fails.
  virtual std::vector<RequestScore> Score(std::span<const ScoreRequest> requests) = 0;
};

}  // namespace llmcal::engine
