#include "calibration/confidence_methods.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace llmcal::calibration {

double ChoiceScore(ConfidenceMethod method, const Continuation& continuation) {
  const std::span<const double> lp = continuation.token_logprobs;
  if (lp.empty())
    throw std::invalid_argument("a continuation with zero tokens has no score");
  const ContinuationSummary summary{.sum = std::accumulate(lp.begin(), lp.end(), 0.0),
                                    .min = *std::min_element(lp.begin(), lp.end()),
                                    .num_tokens = lp.size(),
                                    .num_chars = continuation.num_chars,
                                    .num_bytes = continuation.num_bytes};
  return SummaryScore(method, summary);
}

bool NeedsTokenScores(ConfidenceMethod method) {
  return method == ConfidenceMethod::kMin || method == ConfidenceMethod::kMean;
}

double SummaryScore(ConfidenceMethod method, const ContinuationSummary& summary) {
  if (summary.num_tokens == 0 && NeedsTokenScores(method))
    throw std::invalid_argument("a continuation with zero tokens has no score");
  switch (method) {
    case ConfidenceMethod::kSum:
    case ConfidenceMethod::kChoice:
      return summary.sum;
    case ConfidenceMethod::kMin:
      return summary.min;
    case ConfidenceMethod::kMean:
      return summary.sum / static_cast<double>(summary.num_tokens);
    case ConfidenceMethod::kChars:
      if (summary.num_chars == 0) {
        throw std::invalid_argument("method chars needs a choice text of at least one character");
      }
      return summary.sum / static_cast<double>(summary.num_chars);
    case ConfidenceMethod::kBytes:
      if (summary.num_bytes == 0) {
        throw std::invalid_argument("method bytes needs a choice text of at least one byte");
      }
      return summary.sum / static_cast<double>(summary.num_bytes);
  }
  throw std::invalid_argument("unknown confidence method");
}

std::vector<double> ItemScores(ConfidenceMethod method, std::span<const Continuation> choices) {
  std::vector<double> scores;
  scores.reserve(choices.size());
  for (const Continuation& c : choices)
    scores.push_back(ChoiceScore(method, c));
  return scores;
}

}  // namespace llmcal::calibration
