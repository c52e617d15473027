// Calibration metrics over a ChoiceProbabilities sample (DESIGN.md "Metrics"):
// accuracy, ECE (equal width and equal mass), MCE, SCE, ACE, Brier, NLL and
// smooth ECE, plus reliability-diagram data. docs/calibration.md gives every
// formula and tie rule.
//
// MetricEvaluator prepares a sample once (bins, sort orders: O(N log N)) and
// then computes every metric in O(N) for any multiset of its items, given as
// per-item multiplicities; that is how the bootstrap evaluates a resample
// without copying or re-sorting. It keeps its own copy of what it needs: the
// ChoiceProbabilities need not outlive it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "calibration/choice_probabilities.h"

namespace llmcal::calibration {

enum class Metric { kAccuracy, kEce, kEceEm, kMce, kSce, kAce, kBrier, kNll, kSmece };

inline constexpr std::size_t kMetricCount = 9;
inline constexpr Metric kAllMetrics[kMetricCount] = {
    Metric::kAccuracy, Metric::kEce,   Metric::kEceEm, Metric::kMce,  Metric::kSce,
    Metric::kAce,      Metric::kBrier, Metric::kNll,   Metric::kSmece};

// Returns the metric's key: "accuracy", "ece", "ece_em", "mce", "sce", "ace",
// "brier", "nll", "smece".
std::string_view MetricName(Metric metric);

// One value per metric.
struct MetricValues {
  std::array<double, kMetricCount> values{};

  double& operator[](Metric m) { return values[static_cast<std::size_t>(m)]; }
  double operator[](Metric m) const { return values[static_cast<std::size_t>(m)]; }
};

// One equal-width bin of the top-label reliability diagram. confidence and
// accuracy are NaN when count == 0.
struct ReliabilityBin {
  double lo = 0;  // lower edge (inclusive)
  double hi = 0;  // upper edge (exclusive; inclusive for the last bin)
  std::uint64_t count = 0;
  double confidence = 0;  // mean top-label confidence
  double accuracy = 0;    // share of correct predictions
};

class MetricEvaluator {
 public:
  // Prepares `data` for metrics with `bins` bins (equal-width and equal-mass
  // bins for ECE/MCE/SCE, ranges per class for ACE).
  // REQUIRES: data non-empty, bins >= 1. Throws std::invalid_argument otherwise.
  MetricEvaluator(const ChoiceProbabilities& data, int bins);

  std::size_t size() const { return conf_.size(); }
  int bins() const { return bins_; }

  // Returns every metric over the whole sample (each item once).
  MetricValues Compute() const;

  // Returns every metric over the multiset in which item i appears
  // multiplicity[i] times. REQUIRES: multiplicity.size() == size() and at least
  // one multiplicity > 0. Throws std::invalid_argument otherwise.
  MetricValues Compute(std::span<const std::uint32_t> multiplicity) const;

  // Returns the top-label reliability diagram over the whole sample: `bins`
  // equal-width bins of the confidence.
  std::vector<ReliabilityBin> Reliability() const;

 private:
  // Per-bin sums of multiplicity, confidence and hits.
  struct BinSums {
    double count = 0;
    double conf = 0;
    double hits = 0;
  };
  // A sequence of values sorted ascending (ties by item index) with their
  // hits and items: the order equal-mass bins and ACE ranges are cut from.
  struct SortedColumn {
    std::vector<double> value;
    std::vector<std::uint8_t> hit;
    std::vector<std::uint32_t> item;
  };

  static double EqualMassError(const SortedColumn& column, std::span<const std::uint32_t> w,
                               std::uint64_t total, int parts, bool mean_over_parts,
                               std::vector<BinSums>& scratch);

  int bins_;
  // Per item.
  std::vector<double> conf_;
  std::vector<std::uint8_t> correct_;
  std::vector<std::uint32_t> width_bin_;
  std::vector<double> brier_;
  std::vector<double> nll_;
  std::vector<std::uint32_t> num_choices_;
  // Per (item, choice) entry, flat as in ChoiceProbabilities (item i owns
  // offsets_[i] .. offsets_[i+1]): p_ik, whether k is gold, and the SCE slot
  // k * bins + equal-width bin of p_ik.
  std::vector<std::size_t> offsets_;
  std::vector<double> entry_p_;
  std::vector<std::uint8_t> entry_gold_;
  std::vector<std::uint32_t> entry_slot_;
  std::size_t max_choices_;
  SortedColumn top_;                   // top-label confidences
  std::vector<SortedColumn> classes_;  // per class k: p_ik of items having a k-th choice
};

// Convenience: every metric of `data` with `bins` bins.
MetricValues ComputeMetrics(const ChoiceProbabilities& data, int bins = 10);

}  // namespace llmcal::calibration
