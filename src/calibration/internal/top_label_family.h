// Internal to the metric evaluator: the metrics of one pass over the items,
// each with its top-label confidence: accuracy, ECE, MCE, ece_cl (equal-width
// bins [lo, hi) and calibration_library's (lo, hi]), Brier and NLL.
#pragma once

#include <cstdint>
#include <vector>

#include "calibration/choice_probabilities.h"
#include "calibration/internal/item_columns.h"
#include "calibration/internal/weights.h"

namespace llmcal::calibration::internal {

class TopLabelFamily {
 public:
  TopLabelFamily(const ChoiceProbabilities& data, const ItemColumns& items, int bins, int cl_bins);

  // Sets kAccuracy, kEce, kMce, kEceCl, kBrier and kNll.
  void Evaluate(Weights weights, ValuesById& out) const;

 private:
  const ItemColumns* items_;
  int bins_;
  int cl_bins_;
  std::vector<std::uint32_t> width_bin_;
  std::vector<std::uint32_t> cl_bin_;  // cl_bins_ when the confidence is in no bin
  std::vector<double> brier_;
  std::vector<double> nll_;
};

}  // namespace llmcal::calibration::internal
