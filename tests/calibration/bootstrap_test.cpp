#include "calibration/bootstrap.h"
#include "calibration/comparisons.h"

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

TEST(DefinedPercentileInterval, SkipsUndefinedResamplesAndCountsTheRest) {
  const double nan = std::nan("");
  // {1, 2, 3, 4} defined: 50% -> 1.75 and 3.25, as PercentileInterval.
  const Band band = DefinedPercentileInterval({4, nan, 1, 3, nan, 2}, 0.5);
  EXPECT_EQ(band.defined_resamples, 4);
  EXPECT_DOUBLE_EQ(band.interval.lo, 1.75);
  EXPECT_DOUBLE_EQ(band.interval.hi, 3.25);
  const Band none = DefinedPercentileInterval({nan, nan}, 0.9);
  EXPECT_FALSE(none.defined());
  EXPECT_TRUE(std::isnan(none.interval.lo));
}

TEST(BootstrapMetrics, SameResultWhateverTheThreadCount) {
  const ChoiceProbabilities data = testing::RandomSample(3000, 4, 5.0, 1.5, 3);
  const MetricEvaluator evaluator(data);
  const std::vector<MetricBand> one =
      BootstrapMetrics(evaluator, {.resamples = 64, .seed = 9, .threads = 1});
  for (int threads : {2, 3, 7}) {
    const std::vector<MetricBand> many =
        BootstrapMetrics(evaluator, {.resamples = 64, .seed = 9, .threads = threads});
    for (std::size_t j = 0; j < one.size(); ++j) {
      EXPECT_EQ(one[j].band.interval.lo, many[j].band.interval.lo)
          << one[j].spec.Name() << " threads " << threads;
      EXPECT_EQ(one[j].band.interval.hi, many[j].band.interval.hi)
          << one[j].spec.Name() << " threads " << threads;
    }
  }
  const std::vector<MetricBand> other = BootstrapMetrics(evaluator, {.resamples = 64, .seed = 10});
  EXPECT_NE(one[1].band.interval.lo, other[1].band.interval.lo);  // ece
  const std::vector<MetricValue> values = evaluator.Compute();
  for (std::size_t j = 0; j < one.size(); ++j) {
    EXPECT_EQ(one[j].spec, evaluator.selection()[j]);
    EXPECT_EQ(one[j].band.defined_resamples, 64) << one[j].spec.Name();
    EXPECT_LE(one[j].band.interval.lo, one[j].band.interval.hi) << one[j].spec.Name();
    EXPECT_EQ(one[j].value.value, values[j].value);
  }
}

TEST(BootstrapMetrics, IntervalOfAConstantIsAPoint) {
  // Every item identical: every resample has the same metrics.
  const ChoiceProbabilities data =
      testing::Make({{{0.7, 0.3}, 0}, {{0.7, 0.3}, 0}, {{0.7, 0.3}, 0}});
  const std::vector<MetricBand> est = BootstrapMetrics(
      MetricEvaluator(data, ParseMetricSelection("ece")), {.resamples = 20, .seed = 1});
  EXPECT_NEAR(est[0].band.interval.lo, 0.3, 1e-12);
  EXPECT_NEAR(est[0].band.interval.hi, 0.3, 1e-12);
  EXPECT_THROW(BootstrapMetrics(MetricEvaluator(data), {.resamples = 0}), std::invalid_argument);
}

TEST(BootstrapMetrics, IntervalOverTheResamplesWhereAMetricIsDefined) {
  // One wrong item among 20: a resample draws it with probability
  // 1 - (19/20)^20 = 0.64; AUROC is undefined on the others.
  std::vector<testing::Item> items(19, {{0.9, 0.1}, 0});
  items.push_back({{0.6, 0.4}, 1});
  const ChoiceProbabilities data = testing::Make(items);
  const std::vector<MetricBand> est = BootstrapMetrics(
      MetricEvaluator(data, ParseMetricSelection("auroc,accuracy")), {.resamples = 400, .seed = 4});
  // The wrong item is the least confident: AUROC is 1 whenever defined.
  EXPECT_EQ(est[0].value.value, 1.0);
  EXPECT_GT(est[0].band.defined_resamples, 200);
  EXPECT_LT(est[0].band.defined_resamples, 310);
  EXPECT_EQ(est[0].band.interval.lo, 1.0);
  EXPECT_EQ(est[0].band.interval.hi, 1.0);
  EXPECT_EQ(est[1].band.defined_resamples, 400);
  // Every item right: AUROC undefined on the sample and every resample.
  const std::vector<MetricBand> right =
      BootstrapMetrics(MetricEvaluator(testing::Make({{{0.9, 0.1}, 0}, {{0.2, 0.8}, 1}}),
                                       ParseMetricSelection("auroc")),
                       {.resamples = 50, .seed = 4});
  EXPECT_FALSE(right[0].value.defined());
  EXPECT_FALSE(right[0].band.defined());
}

TEST(BootstrapBands, OneIntervalPerComponent) {
  // Component 0: the share of draws of item 0 (mean 1/4); component 1: always 7;
  // component 2: undefined when item 0 is drawn.
  const std::vector<Band> bands =
      BootstrapBands(4, 3, {.resamples = 300, .seed = 8},
                     [](std::span<const std::uint32_t> w, std::span<double> out) {
                       out[0] = w[0] / 4.0;
                       out[1] = 7;
                       out[2] = w[0] ? std::nan("") : 1.0;
                     });
  ASSERT_EQ(bands.size(), 3u);
  EXPECT_EQ(bands[0].interval.lo, 0.0);
  EXPECT_GE(bands[0].interval.hi, 0.5);
  EXPECT_EQ(bands[1].interval.lo, 7.0);
  EXPECT_EQ(bands[1].interval.hi, 7.0);
  // (3/4)^4 = 0.32 of the resamples miss item 0.
  EXPECT_GT(bands[2].defined_resamples, 60);
  EXPECT_LT(bands[2].defined_resamples, 135);
}

TEST(PairedBootstrap, IdenticalModelsShowNoChange) {
  const ChoiceProbabilities data = testing::RandomSample(500, 4, 5.0, 1.0, 4);
  const std::vector<MetricChange> changes =
      PairedBootstrap(data, data, AllMetrics(), {}, {.resamples = 50, .seed = 2});
  ASSERT_EQ(changes.size(), AllMetrics().size());
  for (const MetricChange& c : changes) {
    EXPECT_EQ(c.difference, 0.0) << c.spec.Name();
    EXPECT_EQ(c.difference_ci.interval.lo, 0.0) << c.spec.Name();
    EXPECT_EQ(c.difference_ci.interval.hi, 0.0) << c.spec.Name();
    EXPECT_FALSE(c.significant) << c.spec.Name();
  }
}

TEST(PairedBootstrap, SharperModelIsSignificantlyWorseCalibrated) {
  // PT calibrated; IT = the same probabilities sharpened (p^3, renormalized):
  // same predictions, overconfident. Its ECE and sce_cl rise significantly.
  const ChoiceProbabilities pt = testing::RandomSample(4000, 4, 4.0, 1.0, 8);
  ChoiceProbabilities it;
  for (std::size_t i = 0; i < pt.size(); ++i) {
    std::vector<double> scores;
    for (double p : pt.probs(i))
      scores.push_back(3 * std::log(p));
    it.AddScores(scores, pt.gold(i));
  }
  const std::vector<MetricChange> changes =
      PairedBootstrap(pt, it, ParseMetricSelection("ece,accuracy,sce_cl"), {},
                      {.resamples = 200, .seed = 3, .threads = 2});
  const MetricChange& ece = changes[0];
  EXPECT_EQ(ece.spec.id, MetricId::kEce);
  EXPECT_GT(ece.difference, 0.05);
  EXPECT_TRUE(ece.significant);
  EXPECT_GT(ece.difference_ci.interval.lo, 0.0);
  EXPECT_NEAR(ece.change_rate, (ece.it.value - ece.pt.value) / ece.pt.value * 100, 1e-9);
  EXPECT_LE(ece.change_rate_ci.interval.lo, ece.change_rate_ci.interval.hi);
  // Same predictions: accuracy does not change at all.
  EXPECT_EQ(changes[1].difference, 0.0);
  EXPECT_FALSE(changes[1].significant);
  EXPECT_GT(changes[2].difference, 0.0);
  EXPECT_TRUE(changes[2].significant);
}

TEST(PairedBootstrap, RejectsDifferentItems) {
  const ChoiceProbabilities a = testing::Make({{{0.6, 0.4}, 0}, {{0.3, 0.7}, 1}});
  const ChoiceProbabilities b = testing::Make({{{0.6, 0.4}, 0}, {{0.3, 0.7}, 0}});
  const ChoiceProbabilities c = testing::Make({{{0.6, 0.4}, 0}});
  EXPECT_THROW(PairedBootstrap(a, b, AllMetrics(), {}, {}), std::invalid_argument);
  EXPECT_THROW(PairedBootstrap(a, c, AllMetrics(), {}, {}), std::invalid_argument);
}

}  // namespace
}  // namespace llmcal::calibration
