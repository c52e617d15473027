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
//
// A statistic may be undefined on some resamples (NaN: AUROC on a resample
// that drew no wrong item). Its interval is then taken over the resamples
// where it is defined, and the count of those is reported with it (Band);
// when none is, the interval is undefined too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "calibration/choice_probabilities.h"
#include "calibration/metric_table.h"
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

// A percentile interval over the resamples where a statistic is defined.
struct Band {
  Interval interval;  // NaN ends when no resample is defined
  int defined_resamples = 0;

  bool defined() const { return defined_resamples > 0; }
};

// Returns the percentile interval of the values that are not NaN (undefined),
// with their count. REQUIRES: 0 < level < 1.
Band DefinedPercentileInterval(std::vector<double> values, double level);

// The bootstrap's default resamples: the one place it is written (the
// --bootstrap flag and the study file's `bootstrap` key take it from here,
// settings/settings.h).
inline constexpr int kDefaultResamples = 1000;

struct BootstrapOptions {
  int resamples = kDefaultResamples;
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

// A statistic with `width` components computed on a multiset of n items: it
// writes component c into out[c], NaN where undefined.
using VectorStatistic =
    std::function<void(std::span<const std::uint32_t> multiplicity, std::span<double> out)>;

// Returns, for each of the `width` components of `statistic`, the percentile
// interval over options.resamples resamples of the n items, taken over the
// resamples where the component is defined (DefinedPercentileInterval).
// `statistic` must be safe to call concurrently. REQUIRES: options.resamples >= 1.
std::vector<Band> BootstrapBands(std::size_t n, std::size_t width, const BootstrapOptions& options,
                                 const VectorStatistic& statistic);

// One metric with its bootstrap interval. The interval is over the resamples
// where the metric is defined; band.defined_resamples says how many those are
// (an AUROC resample that draws no wrong item is undefined).
struct MetricBand {
  MetricSpec spec;
  MetricValue value;  // on the whole sample
  Band band;
};

// Returns the selected metrics of `evaluator`'s sample with percentile
// intervals over options.resamples resamples, in selection order.
// REQUIRES: options.resamples >= 1.
std::vector<MetricBand> BootstrapMetrics(const MetricEvaluator& evaluator,
                                         const BootstrapOptions& options);

}  // namespace llmcal::calibration
