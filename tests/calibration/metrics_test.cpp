#include "calibration/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "calibration/bootstrap.h"
#include "test_samples.h"

namespace llmcal::calibration {
namespace {

using testing::Make;

constexpr double kTol = 1e-12;

// Five binary items (prediction, top-label confidence, correct?):
//   1 [0.60, 0.40] gold 0 -> 0, 0.60, yes
//   2 [0.80, 0.20] gold 0 -> 0, 0.80, yes
//   3 [0.35, 0.65] gold 0 -> 1, 0.65, no
//   4 [0.45, 0.55] gold 0 -> 1, 0.55, no
//   5 [0.50, 0.50] gold 1 -> 0 (tie: lowest index), 0.50, no
ChoiceProbabilities FiveItems() {
  return Make({{{0.60, 0.40}, 0},
               {{0.80, 0.20}, 0},
               {{0.35, 0.65}, 0},
               {{0.45, 0.55}, 0},
               {{0.50, 0.50}, 1}});
}

TEST(Metrics, FiveItemsTenBins) {
  const MetricValues m = ComputeMetrics(FiveItems(), 10);
  EXPECT_NEAR(m[Metric::kAccuracy], 0.4, kTol);  // 2 of 5
  // Top-label bins: bin 5 {0.50 no, 0.55 no}: acc 0, conf 0.525, gap 0.525;
  // bin 6 {0.60 yes, 0.65 no}: acc 0.5, conf 0.625, gap 0.125; bin 8 {0.80 yes}: gap 0.2.
  // ECE = (2 * 0.525 + 2 * 0.125 + 1 * 0.2) / 5 = 1.5 / 5.
  EXPECT_NEAR(m[Metric::kEce], 0.3, kTol);
  EXPECT_NEAR(m[Metric::kMce], 0.525, kTol);
  // Equal mass, 10 bins of 5 items: one item per non-empty bin, gaps
  // 0.5, 0.55, 0.4, 0.65, 0.2 (sorted by confidence) -> 2.3 / 5.
  EXPECT_NEAR(m[Metric::kEceEm], 0.46, kTol);
  // SCE. Class 0, p = 0.6 y, 0.8 y, 0.35 y, 0.45 y, 0.5 n, each alone in its
  // bin: (0.4 + 0.2 + 0.65 + 0.55 + 0.5) / 5 = 0.46. Class 1, p = 0.4 n, 0.2 n,
  // 0.65 n, 0.55 n, 0.5 y: bin 5 {0.55 n, 0.5 y} acc 0.5 conf 0.525 gap 0.025;
  // others 0.4, 0.2, 0.65: (2 * 0.025 + 0.4 + 0.2 + 0.65) / 5 = 0.26.
  // SCE = (0.46 + 0.26) / 2.
  EXPECT_NEAR(m[Metric::kSce], 0.36, kTol);
  // ACE, R = 10 ranges of 5 entries per class: ranges [floor(5r/10), floor(5(r+1)/10))
  // hold one entry or none; each class's gaps sum to 2.3 (as above);
  // ACE = (2.3 + 2.3) / (K R) = 4.6 / 20.
  EXPECT_NEAR(m[Metric::kAce], 0.23, kTol);
  // Brier: 0.32 + 0.08 + 0.845 + 0.605 + 0.5 = 2.35, / 5.
  EXPECT_NEAR(m[Metric::kBrier], 0.47, kTol);
  // NLL = -(ln 0.6 + ln 0.8 + ln 0.35 + ln 0.45 + ln 0.5) / 5
  //     = (0.510826 + 0.223144 + 1.049822 + 0.798508 + 0.693147) / 5
  EXPECT_NEAR(m[Metric::kNll], 0.6550893, 1e-6);
}

TEST(Metrics, FiveItemsTwoBins) {
  const MetricValues m = ComputeMetrics(FiveItems(), 2);
  // Every confidence is >= 0.5: one bin, acc 0.4, conf 3.1 / 5 = 0.62.
  EXPECT_NEAR(m[Metric::kEce], 0.22, kTol);
  EXPECT_NEAR(m[Metric::kMce], 0.22, kTol);
  // Equal mass: positions [0, 2) and [2, 5): {0.50 n, 0.55 n} gap 0.525, weight 2/5;
  // {0.60 y, 0.65 n, 0.80 y} acc 2/3, conf 2.05/3, gap 1/60, weight 3/5 -> 0.21 + 0.01.
  EXPECT_NEAR(m[Metric::kEceEm], 0.22, kTol);
  // SCE: class 0 bin 0 {0.35 y, 0.45 y} gap 0.6 * 2/5; bin 1 {0.5 n, 0.6 y, 0.8 y}
  // gap |2/3 - 1.9/3| = 1/30, * 3/5 -> 0.24 + 0.02. Class 1 bin 0 {0.4 n, 0.2 n} gap 0.3 * 2/5;
  // bin 1 {0.65 n, 0.55 n, 0.5 y} gap |1/3 - 1.7/3| = 0.7/3, * 3/5 -> 0.12 + 0.14.
  EXPECT_NEAR(m[Metric::kSce], 0.26, kTol);
  // ACE, 2 ranges per class: class 0 sorted 0.35 y, 0.45 y | 0.5 n, 0.6 y, 0.8 y:
  // gaps 0.6 and 1/30; class 1 sorted 0.2 n, 0.4 n | 0.5 y, 0.55 n, 0.65 n: gaps 0.3
  // and 0.7/3. ACE = (0.6 + 1/30 + 0.3 + 0.7/3) / (2 * 2) = (35/30) / 4.
  EXPECT_NEAR(m[Metric::kAce], 35.0 / 120, kTol);
}

TEST(Metrics, ChoicesVaryFromTwoToFive) {
  const ChoiceProbabilities data = Make({{{0.7, 0.3}, 0},
                                         {{0.2, 0.5, 0.3}, 2},
                                         {{0.25, 0.25, 0.25, 0.25}, 3},
                                         {{0.1, 0.1, 0.1, 0.1, 0.6}, 4}});
  const MetricValues m = ComputeMetrics(data, 2);
  // Predictions: 0 (yes, 0.7), 1 (no, 0.5), 0 (tie, no, 0.25), 4 (yes, 0.6).
  EXPECT_NEAR(m[Metric::kAccuracy], 0.5, kTol);
  // Two bins: bin 0 {0.25 n} gap 0.25; bin 1 {0.7 y, 0.5 n, 0.6 y} acc 2/3 conf 0.6 gap 1/15.
  // ECE = 0.25 / 4 + (1/15) * 3 / 4 = 0.0625 + 0.05.
  EXPECT_NEAR(m[Metric::kEce], 0.1125, kTol);
  // SCE with K = 5 (the largest K_i), N_k = 4, 4, 3, 2, 1:
  //  k=0: bin 0 {0.2 n, 0.25 n, 0.1 n} conf 0.55/3 gap 0.55/3 * 3/4; bin 1 {0.7 y} 0.3 * 1/4 ->
  //  0.2125 k=1: bin 0 {0.3, 0.25, 0.1 all n} conf 0.65/3 * 3/4; bin 1 {0.5 n} 0.5 * 1/4 -> 0.2875
  //  k=2: bin 0 {0.3 y, 0.25 n, 0.1 n} acc 1/3 conf 0.65/3 gap 0.35/3 -> 0.116667
  //  k=3: bin 0 {0.25 y, 0.1 n} acc 0.5 conf 0.175 -> 0.325
  //  k=4: bin 1 {0.6 y} -> 0.4
  // SCE = (0.2125 + 0.2875 + 0.35/3 + 0.325 + 0.4) / 5.
  EXPECT_NEAR(m[Metric::kSce], (0.2125 + 0.2875 + 0.35 / 3 + 0.325 + 0.4) / 5, kTol);
  // Brier: 0.18 + (0.04 + 0.25 + 0.49) + (3 * 0.0625 + 0.5625) + (4 * 0.01 + 0.16) = 1.91.
  EXPECT_NEAR(m[Metric::kBrier], 1.91 / 4, kTol);
  // NLL = -(ln 0.7 + ln 0.3 + ln 0.25 + ln 0.6) / 4.
  EXPECT_NEAR(m[Metric::kNll],
              -(std::log(0.7) + std::log(0.3) + std::log(0.25) + std::log(0.6)) / 4, kTol);
  // ACE with 2 ranges, classes as for SCE:
  //  k=0 sorted 0.1 n, 0.2 n | 0.25 n, 0.7 y: gaps 0.15, |0.5 - 0.475| = 0.025
  //  k=1 sorted 0.1 n, 0.25 n | 0.3 n, 0.5 n: gaps 0.175, 0.4
  //  k=2 (3 entries: positions [0, 1) and [1, 3)) 0.1 n | 0.25 n, 0.3 y: gaps 0.1, |0.5 - 0.275| =
  //  0.225 k=3 (2 entries) 0.1 n | 0.25 y: gaps 0.1, 0.75 k=4 (1 entry: range 0 empty) | 0.6 y: gap
  //  0.4
  // ACE = sum / (K R) = (0.15 + 0.025 + 0.175 + 0.4 + 0.1 + 0.225 + 0.1 + 0.75 + 0.4) / 10.
  EXPECT_NEAR(m[Metric::kAce], 2.325 / 10, kTol);
}

TEST(Metrics, EqualMassTiesSplitByItemOrder) {
  // Four items at confidence 0.5 (predicted 0), gold 0, 0, 1, 1. Equal-width:
  // one bin, acc 0.5, conf 0.5 -> ECE 0. Equal mass, 2 bins: ties keep item
  // order, so bin 0 = {right, right} (gap 0.5), bin 1 = {wrong, wrong} (gap 0.5).
  const ChoiceProbabilities data =
      Make({{{0.5, 0.5}, 0}, {{0.5, 0.5}, 0}, {{0.5, 0.5}, 1}, {{0.5, 0.5}, 1}});
  const MetricValues m = ComputeMetrics(data, 2);
  EXPECT_NEAR(m[Metric::kEce], 0.0, kTol);
  EXPECT_NEAR(m[Metric::kEceEm], 0.5, kTol);
}

TEST(Metrics, SingleItem) {
  const MetricValues m = ComputeMetrics(Make({{{0.3, 0.7}, 1}}), 10);
  EXPECT_NEAR(m[Metric::kAccuracy], 1.0, kTol);
  EXPECT_NEAR(m[Metric::kEce], 0.3, kTol);  // |1 - 0.7|
  EXPECT_NEAR(m[Metric::kEceEm], 0.3, kTol);
  EXPECT_NEAR(m[Metric::kMce], 0.3, kTol);
  EXPECT_NEAR(m[Metric::kSce], 0.3, kTol);     // (|0 - 0.3| + |1 - 0.7|) / 2
  EXPECT_NEAR(m[Metric::kAce], 0.03, kTol);    // (0.3 + 0.3) / (2 classes * 10 ranges)
  EXPECT_NEAR(m[Metric::kBrier], 0.18, kTol);  // 0.09 + 0.09
  EXPECT_NEAR(m[Metric::kNll], -std::log(0.7), kTol);
  // One residual 0.7 - 1 at 0.7: |g| integrates to 0.3 whatever the bandwidth.
  EXPECT_NEAR(m[Metric::kSmece], 0.3, 1e-6);
}

TEST(Metrics, ConfidenceOneAllCorrectIsPerfect) {
  const MetricValues m = ComputeMetrics(Make({{{1.0, 0.0}, 0}, {{0.0, 0.0, 1.0}, 2}}), 10);
  EXPECT_EQ(m[Metric::kAccuracy], 1.0);
  for (Metric metric : {Metric::kEce, Metric::kEceEm, Metric::kMce, Metric::kSce, Metric::kAce,
                        Metric::kBrier, Metric::kNll, Metric::kSmece}) {
    EXPECT_NEAR(m[metric], 0.0, kTol) << MetricName(metric);
  }
}

TEST(Metrics, ConfidenceOneAllWrongIsWorst) {
  const MetricValues m = ComputeMetrics(Make({{{1.0, 0.0}, 1}, {{0.0, 1.0}, 0}}), 10);
  EXPECT_EQ(m[Metric::kAccuracy], 0.0);
  EXPECT_NEAR(m[Metric::kEce], 1.0, kTol);
  EXPECT_NEAR(m[Metric::kMce], 1.0, kTol);
  // Each class: p = 1 for a non-gold item (bin 9, gap 1) and p = 0 for a gold
  // one (bin 0, gap 1), each weight 1/2 -> SCE = 1.
  EXPECT_NEAR(m[Metric::kSce], 1.0, kTol);
  EXPECT_NEAR(m[Metric::kBrier], 2.0, kTol);                            // (1 + 1) per item
  EXPECT_EQ(m[Metric::kNll], std::numeric_limits<double>::infinity());  // log 0
  EXPECT_NEAR(m[Metric::kSmece], 1.0, 1e-6);
}

TEST(Metrics, AllWrongAtHalfConfidence) {
  // Two items [0.5, 0.5] gold 1: predicted 0, wrong, confidence 0.5 (bin 5).
  const MetricValues m = ComputeMetrics(Make({{{0.5, 0.5}, 1}, {{0.5, 0.5}, 1}}), 10);
  EXPECT_EQ(m[Metric::kAccuracy], 0.0);
  EXPECT_NEAR(m[Metric::kEce], 0.5, kTol);
  EXPECT_NEAR(m[Metric::kBrier], 0.5, kTol);  // 0.25 + 0.25
  EXPECT_NEAR(m[Metric::kNll], std::log(2.0), kTol);
  // Class 0: p = 0.5 never gold, gap 0.5; class 1: p = 0.5 always gold, gap 0.5.
  EXPECT_NEAR(m[Metric::kSce], 0.5, kTol);
}

TEST(Reliability, EdgeValueAndEmptyBins) {
  // Top-label confidence exactly 0.3 (K = 4) goes to bin 3, not bin 2.
  const ChoiceProbabilities data =
      Make({{{0.3, 0.25, 0.25, 0.2}, 0}, {{0.9, 0.1}, 1}, {{0.95, 0.05}, 0}});
  const MetricEvaluator evaluator(data, 10);
  const std::vector<ReliabilityBin> bins = evaluator.Reliability();
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
  // ECE: bin 3 gap 0.7 (1 item), bin 9 gap 0.425 (2 items): (0.7 + 0.85) / 3.
  EXPECT_NEAR(evaluator.Compute()[Metric::kEce], 1.55 / 3, kTol);
}

TEST(Metrics, NoItemsIsAnError) {
  EXPECT_THROW(ComputeMetrics(ChoiceProbabilities(), 10), std::invalid_argument);
  EXPECT_THROW(ComputeMetrics(FiveItems(), 0), std::invalid_argument);
  const MetricEvaluator evaluator(FiveItems(), 10);
  EXPECT_THROW(evaluator.Compute(std::vector<std::uint32_t>(5, 0)), std::invalid_argument);
  EXPECT_THROW(evaluator.Compute(std::vector<std::uint32_t>(4, 1)), std::invalid_argument);
}

TEST(Metrics, MultiplicitiesEqualRepeatedItems) {
  // Counting item 1 three times and dropping item 4 equals a sample written out so.
  const ChoiceProbabilities five = FiveItems();
  const std::vector<std::uint32_t> multiplicity = {3, 1, 1, 0, 1};
  const MetricValues weighted = MetricEvaluator(five, 4).Compute(multiplicity);
  const MetricValues expanded = ComputeMetrics(Make({{{0.60, 0.40}, 0},
                                                     {{0.60, 0.40}, 0},
                                                     {{0.60, 0.40}, 0},
                                                     {{0.80, 0.20}, 0},
                                                     {{0.35, 0.65}, 0},
                                                     {{0.50, 0.50}, 1}}),
                                               4);
  for (Metric m : kAllMetrics) {
    EXPECT_NEAR(weighted[m], expanded[m], 1e-12) << MetricName(m);
  }
}

TEST(Metrics, PermutingItemsChangesNothing) {
  const ChoiceProbabilities data = testing::RandomSample(2000, 4, 6.0, 1.3, 7);
  std::vector<std::size_t> order(data.size());
  std::iota(order.begin(), order.end(), 0);
  SplitMix64 rng(99);
  for (std::size_t i = order.size() - 1; i > 0; --i) {
    std::swap(order[i], order[rng.UniformBelow(i + 1)]);
  }
  ChoiceProbabilities shuffled;
  for (std::size_t i : order)
    shuffled.Add(data.probs(i), data.gold(i));
  const MetricValues a = ComputeMetrics(data, 15);
  const MetricValues b = ComputeMetrics(shuffled, 15);
  for (Metric m : kAllMetrics)
    EXPECT_NEAR(a[m], b[m], 1e-12) << MetricName(m);
}

TEST(Metrics, CalibratedSampleHasEceNearZeroWithinItsInterval) {
  // Labels drawn from the model's own probabilities: calibrated by construction.
  const ChoiceProbabilities data = testing::RandomSample(20000, 4, 6.0, 1.0, 11);
  const MetricEvaluator evaluator(data, 10);
  const MetricEstimates est =
      BootstrapMetrics(evaluator, {.resamples = 100, .level = 0.95, .seed = 5, .threads = 2});
  EXPECT_LT(est.value[Metric::kEce], 0.015);
  EXPECT_LE(est.ci(Metric::kEce).lo, est.value[Metric::kEce]);
  EXPECT_GE(est.ci(Metric::kEce).hi, est.value[Metric::kEce]);
  // smECE is near 0 too; its resamples (with duplicated items) sit above the
  // full-sample value, so only its nearness to 0 is asserted.
  EXPECT_LT(est.value[Metric::kSmece], 0.015);
  EXPECT_LT(est.ci(Metric::kSmece).hi, 0.03);
  // An overconfident model on the same scheme (labels from softer probabilities)
  // is clearly miscalibrated: its whole interval lies above the calibrated ECE.
  const ChoiceProbabilities over = testing::RandomSample(20000, 4, 6.0, 2.0, 11);
  const MetricEstimates est_over = BootstrapMetrics(
      MetricEvaluator(over, 10), {.resamples = 100, .level = 0.95, .seed = 5, .threads = 2});
  EXPECT_GT(est_over.ci(Metric::kEce).lo, 0.1);
  EXPECT_GT(est_over.ci(Metric::kEce).lo, est.ci(Metric::kEce).hi);
}

}  // namespace
}  // namespace llmcal::calibration
