#include "calibration/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "calibration/comparisons.h"

namespace llmcal::calibration {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void CheckOptions(const BootstrapOptions& options) {
  if (options.resamples < 1)
    throw std::invalid_argument("bootstrap needs at least 1 resample");
  if (!(options.level > 0 && options.level < 1)) {
    throw std::invalid_argument("bootstrap level must be in (0, 1)");
  }
}

}  // namespace

std::uint64_t Mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t SplitMix64::Next() {
  state_ += 0x9E3779B97F4A7C15ULL;
  return Mix64(state_);
}

std::uint64_t SplitMix64::UniformBelow(std::uint64_t bound) {
  // Lemire 2019, "Fast random integer generation in an interval": the high
  // word of x * bound, rejecting the low words that would bias it.
  __extension__ using Wide = unsigned __int128;
  Wide m = static_cast<Wide>(Next()) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<Wide>(Next()) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

void DrawResample(std::uint64_t seed, std::uint64_t r, std::span<std::uint32_t> multiplicity) {
  std::fill(multiplicity.begin(), multiplicity.end(), 0);
  SplitMix64 rng(ResampleState(seed, r));
  const std::uint64_t n = multiplicity.size();
  for (std::uint64_t j = 0; j < n; ++j)
    ++multiplicity[rng.UniformBelow(n)];
}

Interval PercentileInterval(std::vector<double> values, double level) {
  if (values.empty())
    throw std::invalid_argument("percentile interval of no values");
  if (!(level > 0 && level < 1))
    throw std::invalid_argument("level must be in (0, 1)");
  if (std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) {
    return {kNaN, kNaN};
  }
  std::sort(values.begin(), values.end());
  const auto quantile = [&values](double q) {
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    const double frac = position - static_cast<double>(below);
    if (frac == 0 || values[below] == values[above])
      return values[below];
    return values[below] + frac * (values[above] - values[below]);
  };
  const double tail = (1 - level) / 2;
  return {quantile(tail), quantile(1 - tail)};
}

void ForEachResample(std::size_t n, const BootstrapOptions& options,
                     const std::function<void(int, std::span<const std::uint32_t>)>& fn) {
  CheckOptions(options);
  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, options.resamples);
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&](int first) {
    std::vector<std::uint32_t> multiplicity(n);
    try {
      for (int r = first; r < options.resamples; r += threads) {
        DrawResample(options.seed, static_cast<std::uint64_t>(r), multiplicity);
        fn(r, multiplicity);
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure)
        failure = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t)
    pool.emplace_back(work, t);
  work(0);
  for (std::thread& t : pool)
    t.join();
  if (failure)
    std::rethrow_exception(failure);
}

Band DefinedPercentileInterval(std::vector<double> values, double level) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  if (!(level > 0 && level < 1))
    throw std::invalid_argument("level must be in (0, 1)");
  if (values.empty())
    return {{kNaN, kNaN}, 0};
  const int count = static_cast<int>(values.size());
  return {PercentileInterval(std::move(values), level), count};
}

std::vector<Band> BootstrapBands(std::size_t n, std::size_t width, const BootstrapOptions& options,
                                 const VectorStatistic& statistic) {
  CheckOptions(options);
  const auto resamples = static_cast<std::size_t>(options.resamples);
  // samples[r * width + c]: component c of resample r.
  std::vector<double> samples(resamples * width);
  ForEachResample(n, options, [&](int r, std::span<const std::uint32_t> multiplicity) {
    statistic(multiplicity,
              std::span<double>(samples).subspan(static_cast<std::size_t>(r) * width, width));
  });
  std::vector<Band> bands;
  bands.reserve(width);
  std::vector<double> column(resamples);
  for (std::size_t c = 0; c < width; ++c) {
    for (std::size_t r = 0; r < resamples; ++r)
      column[r] = samples[r * width + c];
    bands.push_back(DefinedPercentileInterval(column, options.level));
  }
  return bands;
}

std::vector<MetricEstimate> BootstrapMetrics(const MetricEvaluator& evaluator,
                                             const BootstrapOptions& options) {
  const std::vector<MetricValue> values = evaluator.Compute();
  const std::size_t width = values.size();
  const std::vector<Band> bands = BootstrapBands(
      evaluator.size(), width, options,
      [&evaluator, width](std::span<const std::uint32_t> multiplicity, std::span<double> out) {
        std::vector<MetricValue> resample(width);
        evaluator.Compute(multiplicity, resample);
        for (std::size_t c = 0; c < width; ++c)
          out[c] = resample[c].value;
      });
  std::vector<MetricEstimate> estimates;
  for (std::size_t c = 0; c < width; ++c)
    estimates.push_back({evaluator.selection()[c], values[c], bands[c]});
  return estimates;
}

std::vector<MetricChange> PairedBootstrap(const ChoiceProbabilities& pt,
                                          const ChoiceProbabilities& it,
                                          std::vector<MetricSpec> selection, BinOptions bins,
                                          const BootstrapOptions& options) {
  CheckOptions(options);
  if (pt.size() != it.size()) {
    throw std::invalid_argument("paired bootstrap: the two models have different item counts");
  }
  if (pt.golds() != it.golds()) {
    throw std::invalid_argument("paired bootstrap: the gold labels differ, so the items differ");
  }
  const MetricEvaluator pt_eval(pt, selection, bins);
  const MetricEvaluator it_eval(it, std::move(selection), bins);
  const std::vector<MetricValue> pt_value = pt_eval.Compute();
  const std::vector<MetricValue> it_value = it_eval.Compute();
  const std::size_t width = pt_value.size();
  // Per resample: the differences, then the change rates.
  const std::vector<Band> bands =
      BootstrapBands(pt.size(), 2 * width, options,
                     [&](std::span<const std::uint32_t> multiplicity, std::span<double> out) {
                       std::vector<MetricValue> a(width), b(width);
                       pt_eval.Compute(multiplicity, a);
                       it_eval.Compute(multiplicity, b);
                       for (std::size_t c = 0; c < width; ++c) {
                         out[c] = b[c].value - a[c].value;
                         out[width + c] = ChangeRate(a[c].value, b[c].value);
                       }
                     });
  std::vector<MetricChange> changes;
  for (std::size_t c = 0; c < width; ++c) {
    MetricChange change;
    change.spec = pt_eval.selection()[c];
    change.pt = pt_value[c];
    change.it = it_value[c];
    change.difference = change.it.value - change.pt.value;
    change.change_rate = ChangeRate(change.pt.value, change.it.value);
    change.difference_ci = bands[c];
    change.change_rate_ci = bands[width + c];
    change.significant =
        change.difference_ci.defined() && change.difference_ci.interval.ExcludesZero();
    changes.push_back(change);
  }
  return changes;
}

}  // namespace llmcal::calibration
