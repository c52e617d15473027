#include "calibration/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

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

std::vector<MetricBand> BootstrapMetrics(const MetricEvaluator& evaluator,
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
  std::vector<MetricBand> estimates;
  for (std::size_t c = 0; c < width; ++c)
    estimates.push_back({evaluator.selection()[c], values[c], bands[c]});
  return estimates;
}

}  // namespace llmcal::calibration
