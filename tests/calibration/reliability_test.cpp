#include "calibration/reliability.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "calibration/metrics.h"
#include "calibration/smooth_ece.h"
#include "test_samples.h"

namespace llmcal::calibration {
namespace {

TEST(BinnedReliability, EdgeValueAndEmptyBins) {
  // Top-label confidence exactly 0.3 (K = 4) goes to bin 3, not bin 2.
  const ChoiceProbabilities data =
      testing::Make({{{0.3, 0.25, 0.25, 0.2}, 0}, {{0.9, 0.1}, 1}, {{0.95, 0.05}, 0}});
  const std::vector<ConfidenceBin> bins = BinnedReliability(data, 10);
  ASSERT_EQ(bins.size(), 10u);
  EXPECT_EQ(bins[2].count, 0u);
  EXPECT_EQ(bins[3].count, 1u);
  EXPECT_DOUBLE_EQ(bins[3].confidence, 0.3);
  EXPECT_DOUBLE_EQ(bins[3].accuracy, 1.0);
  EXPECT_EQ(bins[9].count, 2u);
  EXPECT_DOUBLE_EQ(bins[9].confidence, 0.925);
  EXPECT_DOUBLE_EQ(bins[9].accuracy, 0.5);
  EXPECT_DOUBLE_EQ(bins[3].lo, 0.3);
  EXPECT_DOUBLE_EQ(bins[3].hi, 0.4);
  EXPECT_TRUE(std::isnan(bins[0].confidence));  // empty bins have no mean
  EXPECT_TRUE(std::isnan(bins[0].accuracy));
  EXPECT_FALSE(bins[3].accuracy_band.defined());  // not bootstrapped
  // The bins are the ECE's: bin 3 gap 0.7 (1 item), bin 9 gap 0.425 (2 items).
  EXPECT_NEAR(testing::MetricOf(data, "ece"), (0.7 + 0.85) / 3, 1e-12);
  EXPECT_THROW(BinnedReliability(data, 0), std::invalid_argument);
  EXPECT_THROW(BinnedReliability(ChoiceProbabilities(), 10), std::invalid_argument);
}

TEST(BinnedReliability, AccuracyBandOverResamplesWhereTheBinIsFilled) {
  // Bin 9 holds 40 items, 30 right; bin 5 holds one wrong item.
  std::vector<testing::Item> items;
  for (int i = 0; i < 40; ++i)
    items.push_back({{0.95, 0.05}, i % 4 == 0 ? 1 : 0});
  items.push_back({{0.55, 0.45}, 1});
  const ChoiceProbabilities data = testing::Make(items);
  const BootstrapOptions options{.resamples = 300, .seed = 6, .threads = 2};
  const std::vector<ConfidenceBin> bins = BinnedReliability(data, 10, &options);
  EXPECT_DOUBLE_EQ(bins[9].accuracy, 0.75);
  EXPECT_EQ(bins[9].accuracy_band.defined_resamples, 300);
  EXPECT_LT(bins[9].accuracy_band.interval.lo, 0.75);
  EXPECT_GT(bins[9].accuracy_band.interval.hi, 0.75);
  // A resample misses the lone item with probability (40/41)^41 = 0.36.
  EXPECT_LT(bins[5].accuracy_band.defined_resamples, 240);
  EXPECT_GT(bins[5].accuracy_band.defined_resamples, 150);
  EXPECT_EQ(bins[5].accuracy_band.interval.hi, 0.0);
  EXPECT_FALSE(bins[0].accuracy_band.defined());
  // Same bands on one thread.
  const BootstrapOptions one{.resamples = 300, .seed = 6, .threads = 1};
  EXPECT_EQ(BinnedReliability(data, 10, &one)[9].accuracy_band.interval.lo,
            bins[9].accuracy_band.interval.lo);
}

// The reflected Gaussian kernel summed over images, straight from the definition.
double Kernel(double t, double x, double sigma) {
  double k = 0;
  for (int j = -3; j <= 3; ++j) {
    for (double image : {x + 2 * j, -x + 2 * j}) {
      const double z = (t - image) / sigma;
      k += std::exp(-0.5 * z * z) / (sigma * std::sqrt(2 * std::numbers::pi));
    }
  }
  return k;
}

TEST(SmoothReliabilityCurve, MatchesKernelSmoothingFromTheDefinition) {
  const ChoiceProbabilities data = testing::RandomSample(400, 4, 6.0, 1.6, 13);
  const SmoothReliability curve = SmoothReliabilityCurve(data);
  std::vector<double> conf;
  std::vector<std::uint8_t> correct;
  for (std::size_t i = 0; i < data.size(); ++i) {
    conf.push_back(data.confidence(i));
    correct.push_back(data.predicted(i) == data.gold(i) ? 1 : 0);
  }
  const SmoothEceResult smece = SmoothEce(conf, correct);
  EXPECT_EQ(curve.sigma, smece.sigma);
  EXPECT_EQ(curve.smece, smece.value);
  ASSERT_EQ(curve.points.size(), kSmoothMeshPoints);
  double integral = 0;
  for (std::size_t j = 0; j < curve.points.size(); ++j) {
    const SmoothReliabilityPoint& p = curve.points[j];
    EXPECT_DOUBLE_EQ(p.t, static_cast<double>(j) / (kSmoothMeshPoints - 1));
    double mass = 0, hits = 0;
    for (std::size_t i = 0; i < conf.size(); ++i) {
      const double k = Kernel(p.t, conf[i], curve.sigma);
      mass += k;
      hits += k * correct[i];
    }
    const double density = mass / static_cast<double>(conf.size());
    EXPECT_NEAR(p.density, density, 2e-3 * std::max(1.0, density)) << p.t;
    if (density > 0.05) {
      EXPECT_NEAR(p.accuracy, hits / mass, 2e-3) << p.t;
    }
    integral += (j == 0 || j + 1 == curve.points.size() ? 0.5 : 1.0) * p.density;
  }
  EXPECT_NEAR(integral / (kSmoothMeshPoints - 1), 1.0, 2e-3);  // a density on [0, 1]
}

TEST(SmoothReliabilityCurve, UndefinedFarFromEveryConfidence) {
  // 200 items at confidence 0.95, 190 right: exactly calibrated, smECE 0 at every
  // bandwidth, so sigma is the smallest searched (0.001) and the kernel reaches
  // 0.006 around 0.95 only.
  std::vector<testing::Item> items;
  for (int i = 0; i < 200; ++i)
    items.push_back({{0.95, 0.05}, i < 190 ? 0 : 1});
  const SmoothReliability curve = SmoothReliabilityCurve(testing::Make(items));
  EXPECT_EQ(curve.sigma, kSmoothEceMinSigma);
  EXPECT_NEAR(curve.smece, 0.0, 1e-12);
  const SmoothReliabilityPoint& at = curve.points[190];  // t = 0.95
  EXPECT_DOUBLE_EQ(at.t, 0.95);
  EXPECT_NEAR(at.accuracy, 0.95, 1e-12);
  EXPECT_GT(at.density, 100);
  EXPECT_TRUE(std::isnan(curve.points[100].accuracy));  // t = 0.5
  EXPECT_EQ(curve.points[100].density, 0.0);
}

TEST(SmoothReliabilityCurve, BandIsDeterministicAndHoldsTheCurve) {
  const ChoiceProbabilities data = testing::RandomSample(1000, 4, 6.0, 1.6, 14);
  const BootstrapOptions two{.resamples = 100, .seed = 2, .threads = 2};
  const BootstrapOptions one{.resamples = 100, .seed = 2, .threads = 1};
  const SmoothReliability a = SmoothReliabilityCurve(data, &two);
  const SmoothReliability b = SmoothReliabilityCurve(data, &one);
  int inside = 0, defined = 0;
  for (std::size_t j = 0; j < a.points.size(); ++j) {
    EXPECT_EQ(a.points[j].accuracy_band.interval.lo, b.points[j].accuracy_band.interval.lo);
    if (!a.points[j].accuracy_band.defined() || std::isnan(a.points[j].accuracy))
      continue;
    ++defined;
    const Interval& band = a.points[j].accuracy_band.interval;
    inside += band.lo <= a.points[j].accuracy && a.points[j].accuracy <= band.hi ? 1 : 0;
  }
  EXPECT_GT(defined, 100);
  EXPECT_GT(inside, defined * 9 / 10);
}

}  // namespace
}  // namespace llmcal::calibration
