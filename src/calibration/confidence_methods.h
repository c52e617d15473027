// Confidence methods: how a choice's per-token log-probabilities become one
// score s_k per choice (DESIGN.md "Confidence methods"). The probabilities
// over an item's choices are then softmax(s_1..s_K)
// (ChoiceProbabilities::AddScores).
//
// Plain values and spans only: callers (the study runner, reading the Store)
// pass the log-probs they have; nothing here depends on the engine.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/name_table.h"

namespace llmcal::calibration {

enum class ConfidenceMethod {
  kSum,     // sum of the continuation token log-probs
  kMin,     // minimum token log-prob of the continuation
  kMean,    // sum / number of continuation tokens
  kChars,   // sum / number of Unicode code points of the choice text (acc_norm)
  kBytes,   // sum / number of UTF-8 bytes of the choice text (acc_bytes)
  kChoice,  // log-prob of the letter token (lettered prompt style)
};

// The one table of the methods' names (common/name_table.h), in the order
// tables list them.
inline constexpr NamedValue<ConfidenceMethod> kConfidenceMethodNames[] = {
    {ConfidenceMethod::kSum, "sum"},     {ConfidenceMethod::kMin, "min"},
    {ConfidenceMethod::kMean, "mean"},   {ConfidenceMethod::kChars, "chars"},
    {ConfidenceMethod::kBytes, "bytes"}, {ConfidenceMethod::kChoice, "choice"}};
inline constexpr auto kAllConfidenceMethods = ValuesOf(kConfidenceMethodNames);

// Returns "sum", "min", "mean", "chars", "bytes" or "choice".
inline std::string_view MethodName(ConfidenceMethod method) {
  return NameIn(kConfidenceMethodNames, method);
}
// Returns the method named `name` (as MethodName spells it), or nullopt.
inline std::optional<ConfidenceMethod> ParseMethod(std::string_view name) {
  return ValueIn(kConfidenceMethodNames, name);
}

// True for the methods that need the continuation's per-token log-probs
// (min, mean: the minimum and the token count), not only their sum. Scores
// imported from tools that log only each continuation's total (an
// lm-evaluation-harness samples file) have no value under these methods.
bool NeedsTokenScores(ConfidenceMethod method);

// What a method needs to know about one choice's continuation.
struct Continuation {
  std::span<const double> token_logprobs;  // one log-prob per continuation token
  std::size_t num_chars = 0;               // code points of the choice text (kChars only)
  std::size_t num_bytes = 0;               // UTF-8 bytes of the choice text (kBytes only)
};

// Returns the score s_k of one choice under `method`. For kChoice the
// continuation is the letter (normally one token); when the tokenizer splits
// it, the score is the sum of its tokens' log-probs (the letter's log-prob).
// REQUIRES: at least one token; num_chars > 0 for kChars, num_bytes > 0 for
// kBytes. Throws std::invalid_argument otherwise (DESIGN.md: a continuation
// with zero tokens is an error for its item).
double ChoiceScore(ConfidenceMethod method, const Continuation& continuation);

// One continuation's log-probs already reduced to what every method needs
// (the Store keeps these): their sum (in double, in token order), minimum and
// count, and the choice text's lengths.
struct ContinuationSummary {
  double sum = 0;
  double min = 0;
  std::size_t num_tokens = 0;
  std::size_t num_chars = 0;  // kChars only
  std::size_t num_bytes = 0;  // kBytes only
};

// Returns the score of one choice from its summary; equal to ChoiceScore on
// the log-probs it summarises. REQUIRES and Throws as ChoiceScore (num_tokens
// plays the role of the number of log-probs), except that num_tokens may be
// 0, meaning unknown, for the methods that do not need tokens
// (!NeedsTokenScores): an imported total has no token count.
double SummaryScore(ConfidenceMethod method, const ContinuationSummary& summary);

// Returns the scores of all choices of one item, in choice order.
std::vector<double> ItemScores(ConfidenceMethod method, std::span<const Continuation> choices);

}  // namespace llmcal::calibration
