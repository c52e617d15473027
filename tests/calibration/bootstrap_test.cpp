#include "calibration/bootstrap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "test_samples.h"

namespace llmcal::calibration {
namespace {

TEST(SplitMix64, MatchesTheReferenceSequence) {
  // Vigna's splitmix64.c seeded with 0.
  SplitMix64 rng(0);
  EXPECT_EQ(rng.Next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(rng.Next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(rng.Next(), 0x06C45D188009454FULL);
}

TEST(SplitMix64, UniformBelowStaysInRangeAndIsUniform) {
  SplitMix64 rng(42);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 60000; ++i)
    ++counts[rng.UniformBelow(6)];
  // Expected 10000 each, standard deviation about 91.
  for (int c : counts)
    EXPECT_NEAR(c, 10000, 500);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(rng.UniformBelow(1), 0u);
}

TEST(DrawResample, DependsOnlyOnSeedAndIndex) {
  std::vector<std::uint32_t> a(1000), b(1000), c(1000), d(1000);
  DrawResample(7, 3, a);
  DrawResample(7, 3, b);
  DrawResample(7, 4, c);
  DrawResample(8, 3, d);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  EXPECT_EQ(std::accumulate(a.begin(), a.end(), 0u), 1000u);
}

TEST(PercentileInterval, InterpolatesBetweenOrderStatistics) {
  std::vector<double> v(101);
  std::iota(v.begin(), v.end(), 1.0);  // 1..101, shuffled order must not matter
  std::swap(v[0], v[100]);
  // 90%: positions 0.05 * 100 = 5 and 0.95 * 100 = 95 -> values 6 and 96.
  const Interval a = PercentileInterval(v, 0.9);
  EXPECT_DOUBLE_EQ(a.lo, 6);
  EXPECT_DOUBLE_EQ(a.hi, 96);
  // {1, 2, 3, 4}, 50%: positions 0.25 * 3 = 0.75 and 2.25 -> 1.75 and 3.25.
  const Interval b = PercentileInterval({4, 1, 3, 2}, 0.5);
  EXPECT_DOUBLE_EQ(b.lo, 1.75);
  EXPECT_DOUBLE_EQ(b.hi, 3.25);
  EXPECT_TRUE(std::isnan(PercentileInterval({1, std::nan(""), 2}, 0.9).lo));
  EXPECT_THROW(PercentileInterval({}, 0.9), std::invalid_argument);
  EXPECT_THROW(PercentileInterval({1}, 1.0), std::invalid_argument);
}

TEST(Interval, ExcludesZero) {
  EXPECT_TRUE((Interval{0.1, 0.2}).ExcludesZero());
  EXPECT_TRUE((Interval{-0.2, -0.1}).ExcludesZero());
  EXPECT_FALSE((Interval{-0.1, 0.2}).ExcludesZero());
  EXPECT_FALSE((Interval{0.0, 0.2}).ExcludesZero());
}

TEST(BootstrapMetrics, SameResultWhateverTheThreadCount) {
  const ChoiceProbabilities data = testing::RandomSample(3000, 4, 5.0, 1.5, 3);
  const MetricEvaluator evaluator(data, 10);
  const MetricEstimates one =
      BootstrapMetrics(evaluator, {.resamples = 64, .seed = 9, .threads = 1});
  for (int threads : {2, 3, 7}) {
    const MetricEstimates many =
        BootstrapMetrics(evaluator, {.resamples = 64, .seed = 9, .threads = threads});
    for (Metric m : kAllMetrics) {
      EXPECT_EQ(one.ci(m).lo, many.ci(m).lo) << MetricName(m) << " threads " << threads;
      EXPECT_EQ(one.ci(m).hi, many.ci(m).hi) << MetricName(m) << " threads " << threads;
    }
  }
  const MetricEstimates other = BootstrapMetrics(evaluator, {.resamples = 64, .seed = 10});
  EXPECT_NE(one.ci(Metric::kEce).lo, other.ci(Metric::kEce).lo);
  for (Metric m : kAllMetrics) {
    EXPECT_LE(one.ci(m).lo, one.ci(m).hi) << MetricName(m);
    EXPECT_EQ(one.value[m], evaluator.Compute()[m]);
  }
}

TEST(BootstrapMetrics, IntervalOfAConstantIsAPoint) {
  // Every item identical: every resample has the same metrics.
  const ChoiceProbabilities data =
      testing::Make({{{0.7, 0.3}, 0}, {{0.7, 0.3}, 0}, {{0.7, 0.3}, 0}});
  const MetricEstimates est =
      BootstrapMetrics(MetricEvaluator(data, 10), {.resamples = 20, .seed = 1});
  EXPECT_NEAR(est.ci(Metric::kEce).lo, 0.3, 1e-12);
  EXPECT_NEAR(est.ci(Metric::kEce).hi, 0.3, 1e-12);
  EXPECT_THROW(BootstrapMetrics(MetricEvaluator(data, 10), {.resamples = 0}),
               std::invalid_argument);
}

TEST(PairedBootstrap, IdenticalModelsShowNoChange) {
  const ChoiceProbabilities data = testing::RandomSample(500, 4, 5.0, 1.0, 4);
  const std::vector<MetricChange> changes =
      PairedBootstrap(data, data, 10, {.resamples = 50, .seed = 2});
  ASSERT_EQ(changes.size(), kMetricCount);
  for (const MetricChange& c : changes) {
    EXPECT_EQ(c.difference, 0.0) << MetricName(c.metric);
    EXPECT_EQ(c.difference_ci.lo, 0.0);
    EXPECT_EQ(c.difference_ci.hi, 0.0);
    EXPECT_FALSE(c.significant);
  }
}

TEST(PairedBootstrap, SharperModelIsSignificantlyWorseCalibrated) {
  // PT calibrated; IT = the same probabilities sharpened (p^3, renormalized):
  // same predictions, overconfident. Its ECE rises significantly.
  const ChoiceProbabilities pt = testing::RandomSample(4000, 4, 4.0, 1.0, 8);
  ChoiceProbabilities it;
  for (std::size_t i = 0; i < pt.size(); ++i) {
    std::vector<double> scores;
    for (double p : pt.probs(i))
      scores.push_back(3 * std::log(p));
    it.AddScores(scores, pt.gold(i));
  }
  const std::vector<MetricChange> changes =
      PairedBootstrap(pt, it, 10, {.resamples = 200, .seed = 3, .threads = 2});
  const MetricChange& ece = changes[static_cast<std::size_t>(Metric::kEce)];
  EXPECT_EQ(ece.metric, Metric::kEce);
  EXPECT_GT(ece.difference, 0.05);
  EXPECT_TRUE(ece.significant);
  EXPECT_GT(ece.difference_ci.lo, 0.0);
  EXPECT_NEAR(ece.change_rate, (ece.it - ece.pt) / ece.pt * 100, 1e-9);
  EXPECT_LE(ece.change_rate_ci.lo, ece.change_rate_ci.hi);
  // Same predictions: accuracy does not change at all.
  const MetricChange& acc = changes[static_cast<std::size_t>(Metric::kAccuracy)];
  EXPECT_EQ(acc.difference, 0.0);
  EXPECT_FALSE(acc.significant);
}

TEST(PairedBootstrap, RejectsDifferentItems) {
  const ChoiceProbabilities a = testing::Make({{{0.6, 0.4}, 0}, {{0.3, 0.7}, 1}});
  const ChoiceProbabilities b = testing::Make({{{0.6, 0.4}, 0}, {{0.3, 0.7}, 0}});
  const ChoiceProbabilities c = testing::Make({{{0.6, 0.4}, 0}});
  EXPECT_THROW(PairedBootstrap(a, b, 10, {}), std::invalid_argument);
  EXPECT_THROW(PairedBootstrap(a, c, 10, {}), std::invalid_argument);
}

}  // namespace
}  // namespace llmcal::calibration
