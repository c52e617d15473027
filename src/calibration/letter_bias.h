// Letter bias: whether a model favours some answer positions (A, B, ...),
// which matters most for the lettered "choice" method but is defined for any.
// Per position k: the prediction rate, the gold rate, recall_k (the share of
// the items with gold k that are predicted k) and the ECE over the items
// predicted k (equal-width bins, as the `ece` metric). letter_rstd is the
// population standard deviation (ddof 0) of recall_k over the positions that
// are gold at least once: RStd of Zheng et al. 2024, "Large Language Models
// Are Not Robust Multiple Choice Selectors".
//
// LetterBias keeps its own copy of what it needs and computes the table for
// any multiset of the items (per-item multiplicities) in O(N + K * bins);
// Compute is const and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "calibration/choice_probabilities.h"

namespace llmcal::calibration {

// One answer position. recall is NaN when no item has gold k, ece NaN when no
// item is predicted k.
struct LetterPosition {
  double prediction_rate = 0;
  double gold_rate = 0;
  double recall = 0;
  double ece = 0;
};

class LetterBias {
 public:
  // Positions are 0 .. data.max_choices() - 1.
  // REQUIRES: data non-empty, bins >= 1. Throws std::invalid_argument otherwise.
  LetterBias(const ChoiceProbabilities& data, int bins);

  std::size_t positions() const { return positions_; }

  // Returns one row per position for the whole sample (empty multiplicity)
  // or for the multiset where item i appears multiplicity[i] times.
  // REQUIRES: multiplicity empty or of the sample's size with a positive sum.
  // Throws std::invalid_argument otherwise.
  std::vector<LetterPosition> Compute(std::span<const std::uint32_t> multiplicity = {}) const;

 private:
  std::size_t positions_;
  int bins_;
  std::vector<double> conf_;
  std::vector<std::uint8_t> correct_;
  std::vector<std::uint32_t> predicted_;
  std::vector<std::uint32_t> gold_;
  std::vector<std::uint32_t> slot_;  // predicted * bins + equal-width bin of the confidence
};

// Returns RStd: the population standard deviation of the recalls of the
// positions whose recall is defined (gold at least once); 0 for one position.
// REQUIRES: at least one defined recall. Throws std::invalid_argument otherwise.
double RecallStd(std::span<const LetterPosition> table);

}  // namespace llmcal::calibration
