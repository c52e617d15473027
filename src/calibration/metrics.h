// Calibration metrics over a ChoiceProbabilities sample (DESIGN.md "Metrics";
// docs/calibration.md gives every formula, tie rule and source). Which metrics
// exist is metric_table.h's business; this header computes a selection of them.
//
// MetricEvaluator prepares a sample once for a selection (bins, sort orders,
// tie groups: O(N log N), done only for the metrics selected) and then
// computes the selection in O(N) for any multiset of its items, given as
// per-item multiplicities: that is how the bootstrap evaluates a resample
// without copying or re-sorting. It keeps its own copy of what it needs: the
// ChoiceProbabilities need not outlive it. Compute is const and thread-safe.
//
//   MetricEvaluator evaluator(data, ParseMetricSelection("ece,auroc"));
//   std::vector<MetricValue> v = evaluator.Compute();
//   if (!v[1].defined()) std::puts(v[1].reason.data());  // e.g. every item right
//
// A value may be undefined (AUROC when every item is right or every item is
// wrong): it is NaN and carries a reason. An infinite value (NLL when a gold
// probability is 0) is defined.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "calibration/choice_probabilities.h"
#include "calibration/metric_table.h"

namespace llmcal::calibration {

// One metric's value. reason is empty when the value is defined; otherwise
// value is NaN and reason (static text) says why.
struct MetricValue {
  double value = 0;
  std::string_view reason;

  bool defined() const { return !std::isnan(value); }
  static MetricValue Undefined(std::string_view why);
};

// Bin counts. `bins` serves the textbook metrics (equal-width bins of ECE,
// MCE, SCE, the Brier decomposition and the letter-bias ECE; equal-count bins
// of ECE-EM; ranges per class of ACE); `cl_bins` serves calibration_library's
// ece_cl and sce_cl, whose own default is 15.
struct BinOptions {
  int bins = 10;
  int cl_bins = 15;
};

namespace internal {
class MetricFamilies;
}

class MetricEvaluator {
 public:
  // Prepares `data` for the metrics of `selection` (AllMetrics() by default).
  // The class set of SCE, ACE, sce_cl, the Brier decomposition and
  // letter_rstd is fixed here, from the whole sample: every multiset
  // evaluated later uses the same classes.
  // REQUIRES: data non-empty, selection non-empty, bins.bins >= 1,
  // bins.cl_bins >= 1. Throws std::invalid_argument otherwise.
  MetricEvaluator(const ChoiceProbabilities& data, std::vector<MetricSpec> selection = AllMetrics(),
                  BinOptions bins = {});
  ~MetricEvaluator();
  MetricEvaluator(MetricEvaluator&&) noexcept;
  MetricEvaluator& operator=(MetricEvaluator&&) noexcept;

  std::size_t size() const;
  const std::vector<MetricSpec>& selection() const { return selection_; }
  const BinOptions& bins() const { return bins_; }

  // Returns the selected metrics over the whole sample (each item once), in
  // selection order.
  std::vector<MetricValue> Compute() const;

  // Returns the selected metrics over the multiset in which item i appears
  // multiplicity[i] times. REQUIRES: multiplicity.size() == size(), at least
  // one multiplicity > 0, their sum below 2^32. Throws std::invalid_argument
  // otherwise.
  std::vector<MetricValue> Compute(std::span<const std::uint32_t> multiplicity) const;

  // As above, writing into `out` (no allocation for the result).
  // REQUIRES: out.size() == selection().size().
  void Compute(std::span<const std::uint32_t> multiplicity, std::span<MetricValue> out) const;

 private:
  std::vector<MetricSpec> selection_;
  BinOptions bins_;
  std::unique_ptr<internal::MetricFamilies> families_;
};

// Convenience: the metrics of `selection` over `data`.
std::vector<MetricValue> ComputeMetrics(const ChoiceProbabilities& data,
                                        std::vector<MetricSpec> selection = AllMetrics(),
                                        BinOptions bins = {});

}  // namespace llmcal::calibration
