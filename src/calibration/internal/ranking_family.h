// Internal to the metric evaluator: the metrics read off the items ordered by
// top-label confidence: ECE over equal-count bins, and selective prediction
// (AUROC, AURC, AUGRC, selective accuracy at coverage C).
//
// Selective prediction orders items by confidence, descending. Items of equal
// confidence form a tie group; a prefix that takes m of a group's g items
// counts m/g of the group's errors (the expectation over the order inside the
// group). E_j = the expected errors among the first j items.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "calibration/internal/item_columns.h"
#include "calibration/internal/sorted_column.h"
#include "calibration/internal/weights.h"

namespace llmcal::calibration::internal {

// Returns m = ceil(C * n), the items a coverage C keeps: at least 1; a product
// within 1e-9 (relative) of an integer counts as that integer, so that
// 0.7 * 10, which binary rounding makes 7.000000000000001, keeps 7 items.
// REQUIRES: 0 < C <= 1, n >= 1.
std::uint64_t CoverageCount(double coverage, std::uint64_t n);

class RankingFamily {
 public:
  // Sorts the confidences (O(N log N)). `bins`: the equal-count bins of
  // ECE-EM, computed when `equal_mass`. `selective`: whether to compute
  // AUROC, AURC, AUGRC and selective accuracy at `coverages`.
  RankingFamily(const ItemColumns& items, int bins, bool equal_mass, bool selective,
                std::vector<double> coverages);

  // Sets kEceEm (when equal_mass), and kAuroc, kAurc, kAugrc and selective[c]
  // for coverages[c] (when selective). REQUIRES: selective.size() == coverages.size().
  void Evaluate(Weights weights, ValuesById& out, std::span<MetricValue> selective) const;

 private:
  void EvaluateSelective(Weights weights, ValuesById& out, std::span<MetricValue> selective) const;

  int bins_;
  bool equal_mass_;
  bool selective_;
  std::vector<double> coverages_;
  SortedColumn top_;  // ascending; ties by item index
  // Tie groups of top_: group g holds positions group_start_[g] to
  // group_start_[g + 1] - 1 (the last entry is top_.value.size()).
  std::vector<std::uint32_t> group_start_;
};

}  // namespace llmcal::calibration::internal
