#include "calibration/reliability.h"

#include <limits>
#include <stdexcept>

#include "calibration/binning.h"
#include "calibration/internal/reflected_kernel.h"
#include "calibration/internal/weights.h"
#include "calibration/smooth_ece.h"

namespace llmcal::calibration {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Top-label confidence and correctness of every item.
struct TopLabel {
  std::vector<double> conf;
  std::vector<std::uint8_t> correct;

  explicit TopLabel(const ChoiceProbabilities& data) {
    if (data.empty())
      throw std::invalid_argument("no items: a reliability diagram needs at least one item");
    for (std::size_t i = 0; i < data.size(); ++i) {
      conf.push_back(data.confidence(i));
      correct.push_back(data.predicted(i) == data.gold(i) ? 1 : 0);
    }
  }
};

// Per-bin sums of the multiset (empty w: every item once).
std::vector<internal::BinSums> SumBins(const TopLabel& items,
                                       const std::vector<std::uint32_t>& bin_of, std::size_t bins,
                                       std::span<const std::uint32_t> w) {
  std::vector<internal::BinSums> sums(bins);
  for (std::size_t i = 0; i < items.conf.size(); ++i) {
    const double wi = w.empty() ? 1.0 : static_cast<double>(w[i]);
    internal::BinSums& s = sums[bin_of[i]];
    s.count += wi;
    s.conf += wi * items.conf[i];
    s.hits += wi * items.correct[i];
  }
  return sums;
}

// The smoothed accuracy and density of the multiset (empty w: every item
// once) at bandwidth sigma, linearly interpolated from the grid nodes onto the
// mesh.
struct Curve {
  std::vector<double> accuracy;
  std::vector<double> density;
};

Curve SmoothCurve(const TopLabel& items, std::span<const std::uint32_t> w, double sigma) {
  internal::GridMasses hits, counts;
  double total = 0;
  for (std::size_t i = 0; i < items.conf.size(); ++i) {
    const double wi = w.empty() ? 1.0 : static_cast<double>(w[i]);
    total += wi;
    hits.Add(items.conf[i], wi * items.correct[i]);
    counts.Add(items.conf[i], wi);
  }
  hits.Finish(1 / total);
  counts.Finish(1 / total);
  internal::ReflectedSmoother smoother;
  const std::span<const double> smoothed_hits = smoother.Smooth(hits.ForBandwidth(sigma), sigma);
  const std::vector<double> hit_density(smoothed_hits.begin(), smoothed_hits.end());
  const std::span<const double> density = smoother.Smooth(counts.ForBandwidth(sigma), sigma);

  const auto intervals = static_cast<double>(density.size() - 1);
  Curve curve;
  for (std::size_t j = 0; j < kSmoothMeshPoints; ++j) {
    const double x =
        static_cast<double>(j) / static_cast<double>(kSmoothMeshPoints - 1) * intervals;
    const auto left = std::min(static_cast<std::size_t>(x), density.size() - 2);
    const double frac = x - static_cast<double>(left);
    const double d = (1 - frac) * density[left] + frac * density[left + 1];
    const double h = (1 - frac) * hit_density[left] + frac * hit_density[left + 1];
    curve.density.push_back(d);
    curve.accuracy.push_back(d > 0 ? h / d : kNaN);
  }
  return curve;
}

}  // namespace

std::vector<ConfidenceBin> BinnedReliability(const ChoiceProbabilities& data, int bins,
                                             const BootstrapOptions* options) {
  if (bins < 1)
    throw std::invalid_argument("the number of bins must be at least 1");
  const TopLabel items(data);
  std::vector<std::uint32_t> bin_of(items.conf.size());
  for (std::size_t i = 0; i < bin_of.size(); ++i)
    bin_of[i] = static_cast<std::uint32_t>(EqualWidthBin(items.conf[i], bins));
  const auto width = static_cast<std::size_t>(bins);
  const std::vector<internal::BinSums> sums = SumBins(items, bin_of, width, {});
  std::vector<ConfidenceBin> diagram(width);
  for (std::size_t b = 0; b < width; ++b) {
    ConfidenceBin& bin = diagram[b];
    const internal::BinSums& s = sums[b];
    bin.lo = BinEdge(static_cast<int>(b), bins);
    bin.hi = BinEdge(static_cast<int>(b) + 1, bins);
    bin.count = static_cast<std::uint64_t>(s.count);
    bin.confidence = s.count > 0 ? s.conf / s.count : kNaN;
    bin.accuracy = s.count > 0 ? s.hits / s.count : kNaN;
  }
  if (options) {
    const std::vector<Band> bands = BootstrapBands(
        items.conf.size(), width, *options,
        [&](std::span<const std::uint32_t> w, std::span<double> out) {
          const std::vector<internal::BinSums> resample = SumBins(items, bin_of, width, w);
          for (std::size_t b = 0; b < width; ++b)
            out[b] = resample[b].count > 0 ? resample[b].hits / resample[b].count : kNaN;
        });
    for (std::size_t b = 0; b < width; ++b)
      diagram[b].accuracy_band = bands[b];
  }
  return diagram;
}

SmoothReliability SmoothReliabilityCurve(const ChoiceProbabilities& data,
                                         const BootstrapOptions* options) {
  const TopLabel items(data);
  const SmoothEceResult smece = SmoothEce(items.conf, items.correct);
  const Curve curve = SmoothCurve(items, {}, smece.sigma);
  SmoothReliability result;
  result.sigma = smece.sigma;
  result.smece = smece.value;
  for (std::size_t j = 0; j < kSmoothMeshPoints; ++j) {
    result.points.push_back({.t = static_cast<double>(j) / (kSmoothMeshPoints - 1),
                             .accuracy = curve.accuracy[j],
                             .density = curve.density[j],
                             .accuracy_band = {}});
  }
  if (options) {
    const std::vector<Band> bands =
        BootstrapBands(items.conf.size(), kSmoothMeshPoints, *options,
                       [&](std::span<const std::uint32_t> w, std::span<double> out) {
                         const Curve resample = SmoothCurve(items, w, smece.sigma);
                         std::copy(resample.accuracy.begin(), resample.accuracy.end(), out.begin());
                       });
    for (std::size_t j = 0; j < kSmoothMeshPoints; ++j)
      result.points[j].accuracy_band = bands[j];
  }
  return result;
}

}  // namespace llmcal::calibration
