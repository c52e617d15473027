// Reading predictions: per item, probabilities over its choices and the gold
// choice, from JSON Lines (docs/calibration.md "Input"). One object per
// non-blank line, with "gold": k and exactly one of
//
//   "probs": [p_0, ...]        probabilities (finite, >= 0, summing to 1 within
//                              1e-6, or any positive sum with `normalize`)
//   "scores": [s_0, ...]       log-scores, turned into probabilities by softmax
//   "continuations": [{"logprobs": [...]}, ...]
//                              a line of `llmcal score` output: each choice's
//                              score comes from `method` (confidence_methods.h);
//                              chars and bytes also need "choice_texts"
//
// An optional "id" (string or integer) is kept, for matching two files item by
// item (MatchById). Other fields are ignored. Every error is an InputError
// naming the file, the line and the field (common/json_record.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "calibration/choice_probabilities.h"
#include "calibration/confidence_methods.h"
#include "common/record_source.h"

namespace llmcal::calibration {

// Probabilities must sum to 1 within this, unless normalizing.
inline constexpr double kProbabilitySumTolerance = 1e-6;

struct PredictionsOptions {
  ConfidenceMethod method = ConfidenceMethod::kSum;  // for `llmcal score` output
  bool normalize = false;                            // rescale "probs" that do not sum to 1
};

// Items in file order.
struct Predictions {
  std::string source;  // the file as named in messages ("<stdin>" for -)
  ChoiceProbabilities data;
  std::vector<std::string> ids;     // per item; empty when the record has no "id"
  std::vector<std::int64_t> lines;  // per item: its 1-based line in `source`
};

// Parses every record of `file`. Throws InputError at the first bad record.
Predictions ParsePredictions(const FileText& file, const PredictionsOptions& options);

// Reads `path` ("-": standard input) and parses it. Throws InputError.
Predictions ReadPredictions(const std::string& path, const PredictionsOptions& options);

// Returns `reference`'s items in `target`'s order, matched by "id": the second
// file of a pair (a base model's predictions for the aligned model's items).
// Throws InputError naming file, line and field 'id' when an item of either
// has no id, an id repeats within a file, or an id is in one file and not the
// other; and when matched items differ in their number of choices or gold.
Predictions MatchById(const Predictions& target, const Predictions& reference);

}  // namespace llmcal::calibration
