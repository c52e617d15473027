// Log-softmax of one logits row, computed only as far as scoring needs it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace llmcal::engine {

// Summary of a row of logits over the whole vocabulary.
struct LogitRowStats {
  float log_normalizer;  // log sum_j exp(logit_j), computed stably
  std::int32_t argmax;   // the first index of the largest logit
};

// REQUIRES: n > 0, logits finite.
LogitRowStats SummarizeLogitRow(const float* logits, std::size_t n);

// Returns log-softmax(logits)[token] given the row's stats.
inline float LogProbOf(const float* logits, const LogitRowStats& stats, std::int32_t token) {
  return logits[token] - stats.log_normalizer;
}

}  // namespace llmcal::engine
