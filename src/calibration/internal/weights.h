// Internal to the metric evaluator (metrics.h): what every metric family
// shares. Not part of the library's interface.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <span>

#include "calibration/metric_table.h"
#include "calibration/metrics.h"

namespace llmcal::calibration::internal {

// A multiset of the sample's items: item i appears w[i] times, total = sum of w.
struct Weights {
  std::span<const std::uint32_t> w;
  std::uint64_t total = 0;
};

// One value per metric id; a family fills the ids it computes. Parametric
// metrics (selective_acc@C) have their own outputs.
using ValuesById = std::array<MetricValue, kMetricIdCount>;

inline MetricValue& At(ValuesById& values, MetricId id) {
  return values[static_cast<std::size_t>(id)];
}

// Sums over the items of one bin: multiplicity, confidence, hits.
struct BinSums {
  double count = 0;
  double conf = 0;
  double hits = 0;

  // |accuracy - confidence| of the bin. REQUIRES: count > 0.
  double Gap() const { return std::abs(hits / count - conf / count); }
};

}  // namespace llmcal::calibration::internal
