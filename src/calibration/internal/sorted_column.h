// Internal to the metric evaluator: values sorted once, so that equal-count
// bins (ECE-EM, ACE) and tie groups (selective prediction) are cut from them
// for any multiset of the items in O(N).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "calibration/internal/weights.h"

namespace llmcal::calibration::internal {

// Returns the positions 0..values.size()-1 ordered by value, ties by position.
// REQUIRES: values >= 0 (probabilities).
std::vector<std::uint32_t> SortedPositions(std::span<const double> values);

// A sequence of values sorted ascending (ties by item index) with their hits
// and items.
struct SortedColumn {
  std::vector<double> value;
  std::vector<std::uint8_t> hit;
  std::vector<std::uint32_t> item;

  // Sorts values[j] (with hits[j], of item items[j]).
  // REQUIRES: the three of equal size.
  static SortedColumn Sort(std::span<const double> values, std::span<const std::uint8_t> hits,
                           std::span<const std::uint32_t> items);
};

// Cuts `column`, its items weighted by w, into `parts` equal-count parts of the
// multiset: part r holds positions floor(r * total / parts) up to
// floor((r + 1) * total / parts) of the sorted sequence, an item of weight w
// taking w consecutive positions. `total` is the weight of the column's items.
// Returns the sum over non-empty parts of weight * |acc - conf|, weight being
// count / total, or 1 / parts when mean_over_parts. `scratch` is reused.
double EqualMassError(const SortedColumn& column, std::span<const std::uint32_t> w,
                      std::uint64_t total, int parts, bool mean_over_parts,
                      std::vector<BinSums>& scratch);

}  // namespace llmcal::calibration::internal
