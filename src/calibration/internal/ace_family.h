// Internal to the metric evaluator: ACE (Nixon et al. 2019): per class k, the
// values p_ik of the items having a k-th choice cut into R equal-count ranges,
// sum over ranges of |acc - conf| / R; classes weighted by N_k / sum_j N_j.
#pragma once

#include <vector>

#include "calibration/choice_probabilities.h"
#include "calibration/internal/item_columns.h"
#include "calibration/internal/sorted_column.h"
#include "calibration/internal/weights.h"

namespace llmcal::calibration::internal {

class AceFamily {
 public:
  // Sorts each class's values (O(N log N)). `ranges` = R.
  AceFamily(const ChoiceProbabilities& data, const ItemColumns& items, int ranges);

  // Sets kAce.
  void Evaluate(Weights weights, ValuesById& out) const;

 private:
  int ranges_;
  std::vector<SortedColumn> classes_;  // per class k: p_ik of items having a k-th choice
};

}  // namespace llmcal::calibration::internal
