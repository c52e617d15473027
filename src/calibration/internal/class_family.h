// Internal to the metric evaluator: the metrics of one pass over every
// (item, choice) entry, binned per class k (the k-th choice):
//
// - sce: Nixon's SCE over equal-width bins [lo, hi) of p_ik, for each class
//   the items having a k-th choice, classes weighted by N_k / sum_j N_j;
// - sce_cl: calibration_library's SCELoss, (lo, hi] bins, per class the
//   "accuracy" [prediction == k] == [gold == k], bin proportions over all N
//   items, mean over the classes of the whole sample (an item without a k-th
//   choice counts as p_ik = 0, which falls in no bin);
// - brier_rel, brier_res, brier_unc: Murphy's decomposition one-vs-rest with
//   the equal-width bins, p_ik = 0 for an item without a k-th choice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "calibration/choice_probabilities.h"
#include "calibration/internal/item_columns.h"
#include "calibration/internal/weights.h"

namespace llmcal::calibration::internal {

class ClassFamily {
 public:
  // Prepares the textbook bins when `textbook` (sce, Brier decomposition) and
  // calibration_library's when `cl` (sce_cl).
  ClassFamily(const ChoiceProbabilities& data, const ItemColumns& items, int bins, int cl_bins,
              bool textbook, bool cl);

  // Sets kSce, kBrierRel, kBrierRes, kBrierUnc (when textbook) and kSceCl (when cl).
  void Evaluate(Weights weights, ValuesById& out) const;

 private:
  void EvaluateTextbook(const std::vector<BinSums>& slots, double total, ValuesById& out) const;
  void EvaluateCl(const std::vector<BinSums>& slots, double total, ValuesById& out) const;

  std::size_t classes_;
  std::size_t bins_;
  std::size_t cl_bins_;
  bool textbook_;
  bool cl_;
  // Per (item, choice) entry, flat as in ChoiceProbabilities: item i owns
  // offsets_[i] .. offsets_[i+1].
  std::vector<std::size_t> offsets_;
  std::vector<double> p_;
  std::vector<std::uint8_t> gold_;      // 1[k == gold]
  std::vector<std::uint8_t> agree_;     // 1[[prediction == k] == [gold == k]]
  std::vector<std::uint32_t> slot_;     // k * bins + equal-width bin of p_ik
  std::vector<std::uint32_t> cl_slot_;  // k * cl_bins + bin, or classes * cl_bins: no bin
};

}  // namespace llmcal::calibration::internal
