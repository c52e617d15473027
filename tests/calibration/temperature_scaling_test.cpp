#include "calibration/temperature_scaling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/metrics.h"
#include "test_samples.h"

namespace llmcal::calibration {
namespace {

TEST(SplitItems, SpreadsTheFittingItemsEvenly) {
  const ItemSplit half = SplitItems(10, 0.5);
  EXPECT_EQ(half.fit, (std::vector<std::size_t>{1, 3, 5, 7, 9}));
  EXPECT_EQ(half.held_out, (std::vector<std::size_t>{0, 2, 4, 6, 8}));
  // F = 0.3: floor((i + 1) 0.3) > floor(i 0.3) at i = 3 (1.2), 6 (2.1), 9 (3.0).
  EXPECT_EQ(SplitItems(10, 0.3).fit, (std::vector<std::size_t>{3, 6, 9}));
  EXPECT_THROW(SplitItems(10, 0.0), std::invalid_argument);
  EXPECT_THROW(SplitItems(10, 1.0), std::invalid_argument);
}

TEST(ApplyTemperature, PowersAndRenormalizes) {
  const ChoiceProbabilities data = testing::Make({{{0.8, 0.2}, 0}});
  // T = 0.5: p^2 = 0.64, 0.04, / 0.68.
  const ChoiceProbabilities sharp = ApplyTemperature(data, 0.5);
  EXPECT_NEAR(sharp.probs(0)[0], 0.64 / 0.68, 1e-12);
  EXPECT_NEAR(sharp.probs(0)[1], 0.04 / 0.68, 1e-12);
  // T = 2: sqrt = 0.894427, 0.447214 -> 2/3, 1/3.
  const ChoiceProbabilities soft = ApplyTemperature(data, 2.0);
  EXPECT_NEAR(soft.probs(0)[0], 2.0 / 3, 1e-12);
  EXPECT_NEAR(ApplyTemperature(data, 1.0).probs(0)[1], 0.2, 1e-15);
  EXPECT_THROW(ApplyTemperature(data, 0.0), std::invalid_argument);
}

TEST(FitTemperature, KnownOptimum) {
  // Four items with scores (1, 0), three with gold 0: NLL(beta) =
  // -0.75 beta + log(1 + e^beta), minimal where sigmoid(beta) = 0.75, beta = ln 3.
  ChoiceProbabilities data;
  for (int gold : {0, 0, 0, 1})
    data.AddScores(std::vector<double>{1.0, 0.0}, gold);
  EXPECT_NEAR(FitTemperature(data), 1 / std::log(3.0), 1e-9);
}

TEST(FitTemperature, RecoversTheTemperatureThatMadeTheLabels) {
  // Probabilities softmax(z), labels drawn from softmax(z / 2): the model is
  // overconfident by a temperature of 2, which the fit must find.
  const ChoiceProbabilities data = testing::RandomSample(20000, 4, 8.0, 2.0, 21);
  EXPECT_NEAR(FitTemperature(data), 2.0, 0.1);
  const ChoiceProbabilities calibrated = testing::RandomSample(20000, 4, 8.0, 1.0, 22);
  EXPECT_NEAR(FitTemperature(calibrated), 1.0, 0.05);
}

TEST(FitTemperature, ClampsAndRejects) {
  // Always right: the NLL keeps falling as T -> 0.
  const ChoiceProbabilities right = testing::Make({{{0.6, 0.4}, 0}, {{0.3, 0.7}, 1}});
  EXPECT_EQ(FitTemperature(right), kMinTemperature);
  // Always wrong: the NLL keeps falling as T -> infinity (toward uniform).
  const ChoiceProbabilities wrong = testing::Make({{{0.6, 0.4}, 1}, {{0.3, 0.7}, 0}});
  EXPECT_EQ(FitTemperature(wrong), kMaxTemperature);
  EXPECT_THROW(FitTemperature(testing::Make({{{1.0, 0.0}, 1}})), std::invalid_argument);
  EXPECT_THROW(FitTemperature(ChoiceProbabilities()), std::invalid_argument);
}

TEST(ScaleTemperature, ImprovesAnOverconfidentModelOnHeldOutItems) {
  const ChoiceProbabilities data = testing::RandomSample(10000, 4, 8.0, 2.0, 31);
  const TemperatureScaling scaling = ScaleTemperature(data, 0.5);
  EXPECT_EQ(scaling.fit_items, 5000u);
  ASSERT_EQ(scaling.held_out.size(), 5000u);
  ASSERT_EQ(scaling.scaled.size(), 5000u);
  EXPECT_NEAR(scaling.temperature, 2.0, 0.15);
  using testing::MetricOf;
  EXPECT_GT(MetricOf(scaling.held_out, "ece"), 0.1);
  EXPECT_LT(MetricOf(scaling.scaled, "ece"), 0.03);
  EXPECT_LT(MetricOf(scaling.scaled, "nll"), MetricOf(scaling.held_out, "nll"));
  // argmax unchanged
  EXPECT_EQ(MetricOf(scaling.scaled, "accuracy"), MetricOf(scaling.held_out, "accuracy"));
  // Held-out items are items 0, 2, 4, ... of the input.
  EXPECT_EQ(scaling.held_out.gold(1), data.gold(2));
  EXPECT_THROW(ScaleTemperature(testing::Make({{{0.6, 0.4}, 0}}), 0.5), std::invalid_argument);
}

}  // namespace
}  // namespace llmcal::calibration
