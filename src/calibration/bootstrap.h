// Bootstrap confidence intervals for the metrics (DESIGN.md "Metrics",
// "Comparisons"): percentile intervals over resamples of the items, seeded
// and reproducible whatever the thread count, and a paired bootstrap for the
// change between two models (pretrained PT, instruction-tuned IT) scored on
// the same items.
//
// Resample r draws N item indices uniformly with replacement from its own
// random stream, SplitMix64 started at ResampleState(seed, r), with
// UniformBelow (Lemire's multiply-and-reject, exact). No standard-library
// distribution is used: their output differs between implementations. The
// value of resample r therefore depends only on (seed, r, the items), and
// threads only decide who computes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "calibration/choice_probabilities.h"
#include "calibration/metrics.h"

namespace llmcal::calibration {

// SplitMix64 (Steele, Lea and Flood 2014; Vigna's reference splitmix64.c).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t state) : state_(state) {}
  // Returns the next 64 random bits.
  std::uint64_t Next();
  // Returns a uniform integer in [0, bound). REQUIRES: bound > 0.
  std::uint64_t UniformBelow(std::uint64_t bound);

 private:
  std::uint64_t state_;
};

// SplitMix64's output function (a bijection on 64-bit values).
std::uint64_t Mix64(std::uint64_t x);

// Returns the starting state of resample r's stream: Mix64(Mix64(seed) ^ r).
inline std::uint64_t ResampleState(std::uint64_t seed, std::uint64_t r) {
  return Mix64(Mix64(seed) ^ r);
}

// Sets multiplicity[i] to how often item i is drawn in resample r of
// multiplicity.size() items (the counts sum to multiplicity.size()).
void DrawResample(std::uint64_t seed, std::uint64_t r, std::span<std::uint32_t> multiplicity);

struct Interval {
  double lo = 0;
  double hi = 0;
  // True when the interval lies strictly on one side of 0.
  bool ExcludesZero() const { return lo > 0 || hi < 0; }
};

// Returns the central `level` percentile interval of `values`: the (1-level)/2
// and (1+level)/2 quantiles, interpolating linearly between order statistics
// at position q * (R - 1) (numpy's default "linear", Hyndman-Fan type 7).
// Infinities sort as usual; when any value is NaN both ends are NaN.
// REQUIRES: values non-empty, 0 < level < 1. Throws std::invalid_argument otherwise.
Interval PercentileInterval(std::vector<double> values, double level);

struct BootstrapOptions {
  int resamples = 1000;
  double level = 0.95;
  std::uint64_t seed = 0;
  int threads = 0;  // 0: std::thread::hardware_concurrency()
};

// Runs fn(r, multiplicity) for every resample r in [0, options.resamples) on
// options.threads threads, multiplicity being resample r of n items
// (DrawResample). fn must be safe to call concurrently; it must not keep the span.
// Rethrows the first exception a call threw.
void ForEachResample(std::size_t n, const BootstrapOptions& options,
                     const std::function<void(int, std::span<const std::uint32_t>)>& fn);

// Every metric with its bootstrap interval.
struct MetricEstimates {
  MetricValues value;                           // on the whole sample
  std::array<Interval, kMetricCount> interval;  // percentile intervals
  const Interval& ci(Metric m) const { return interval[static_cast<std::size_t>(m)]; }
};

// Returns every metric of `evaluator`'s sample with percentile intervals over
// options.resamples resamples. REQUIRES: options.resamples >= 1.
MetricEstimates BootstrapMetrics(const MetricEvaluator& evaluator, const BootstrapOptions& options);

// The change of one metric from PT to IT on the same items.
struct MetricChange {
  Metric metric = Metric::kAccuracy;
  double pt = 0;
  double it = 0;
  double difference = 0;   // it - pt
  double change_rate = 0;  // (it - pt) / pt * 100 (ChangeRate)
  Interval difference_ci;  // paired bootstrap
  Interval change_rate_ci;
  bool significant = false;  // difference_ci excludes 0
};

// Paired bootstrap: each resample draws the same item indices for both
// models, so the intervals are for the change itself. Returns one MetricChange
// per metric, in kAllMetrics order.
// REQUIRES: pt and it non-empty, of equal size, with equal gold labels item by
// item; bins >= 1; options.resamples >= 1. Throws std::invalid_argument otherwise.
std::vector<MetricChange> PairedBootstrap(const ChoiceProbabilities& pt,
                                          const ChoiceProbabilities& it, int bins,
                                          const BootstrapOptions& options);

}  // namespace llmcal::calibration
