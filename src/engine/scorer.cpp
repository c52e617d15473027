#include "engine/scorer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace llmcal::engine {

std::string NonFiniteLogprob(const RequestScore& score) {
  for (std::size_t k = 0; k < score.continuations.size(); ++k) {
    const std::vector<float>& logprobs = score.continuations[k].logprobs;
    for (std::size_t t = 0; t < logprobs.size(); ++t) {
      if (!std::isfinite(logprobs[t])) {
        return fmt::format("continuation {} token {} has log-probability {}", k, t,
                           static_cast<double>(logprobs[t]));
      }
    }
  }
  return "";
}

void ScoreInChunks(Scorer& scorer, std::span<const ScoreRequest> requests, std::size_t chunk_items,
                   const ChunkCallback& on_chunk) {
  if (chunk_items == 0)
    throw std::invalid_argument("ScoreInChunks: chunk_items must be at least 1");
  for (std::size_t first = 0; first < requests.size(); first += chunk_items) {
    const std::size_t n = std::min(chunk_items, requests.size() - first);
    const std::vector<RequestScore> scores = scorer.Score(requests.subspan(first, n));
    on_chunk(first, scores);
  }
}

}  // namespace llmcal::engine
