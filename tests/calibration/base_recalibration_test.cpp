#include "calibration/base_recalibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "calibration/temperature_scaling.h"
#include "test_samples.h"

namespace llmcal::calibration {
namespace {

// PT with random scores s; IT with scores a * s: the same network at
// temperature 1/a (what `llmcal-make-model --logit-scale a` makes).
void ScaledPair(double a, ChoiceProbabilities& pt, ChoiceProbabilities& it) {
  SplitMix64 rng(77);
  for (int i = 0; i < 500; ++i) {
    std::vector<double> s(2 + rng.UniformBelow(4));
    for (double& v : s)
      v = 5 * (testing::Uniform(rng) - 0.5);
    std::vector<double> scaled;
    for (double v : s)
      scaled.push_back(a * v);
    const int gold = static_cast<int>(rng.UniformBelow(s.size()));
    pt.AddScores(s, gold);
    it.AddScores(scaled, gold);
  }
}

TEST(RecalibrateFromBase, RecoversTheScaleExactly) {
  ChoiceProbabilities pt, it;
  ScaledPair(2.0, pt, it);
  const BaseRecalibration r = RecalibrateFromBase(it, pt);
  EXPECT_NEAR(r.temperature, 2.0, 1e-9);
  EXPECT_EQ(r.agreeing_items, it.size());  // scaling never changes a prediction
  // T = 2 restores PT.
  for (std::size_t i = 0; i < it.size(); ++i) {
    for (std::size_t k = 0; k < it.num_choices(i); ++k)
      ASSERT_NEAR(r.recalibrated.probs(i)[k], pt.probs(i)[k], 1e-9) << i << " " << k;
  }
  ChoiceProbabilities pt_soft, it_soft;
  ScaledPair(0.5, pt_soft, it_soft);
  EXPECT_NEAR(RecalibrateFromBase(it_soft, pt_soft).temperature, 0.5, 1e-9);
}

TEST(RecalibrateFromBase, FitsOnlyWhereThePredictionsAgree) {
  // Item 1 agrees (both predict A): IT [0.8, 0.2] must become PT's [2/3, 1/3]:
  // scores ln 4 apart -> ln 2 apart, T = 2. Item 2 disagrees and would pull T
  // elsewhere; it is left out (gold labels play no part either).
  const ChoiceProbabilities it = testing::Make({{{0.8, 0.2}, 1}, {{0.9, 0.1}, 0}});
  const ChoiceProbabilities pt = testing::Make({{{2.0 / 3, 1.0 / 3}, 1}, {{0.4, 0.6}, 0}});
  const BaseRecalibration r = RecalibrateFromBase(it, pt);
  EXPECT_EQ(r.agreeing_items, 1u);
  EXPECT_NEAR(r.temperature, 2.0, 1e-9);
  ASSERT_EQ(r.recalibrated.size(), 2u);                 // every item is recalibrated
  EXPECT_NEAR(r.recalibrated.probs(1)[0], 0.75, 1e-9);  // 0.9/0.1 = 9 -> sqrt: 3 -> 3/4
}

TEST(RecalibrateFromBase, RefusesItemsThatDoNotPair) {
  const ChoiceProbabilities two = testing::Make({{{0.8, 0.2}, 0}});
  const ChoiceProbabilities three = testing::Make({{{0.8, 0.1, 0.1}, 0}});
  EXPECT_THROW(RecalibrateFromBase(two, three), std::invalid_argument);
  EXPECT_THROW(RecalibrateFromBase(two, testing::Make({{{0.8, 0.2}, 0}, {{0.8, 0.2}, 0}})),
               std::invalid_argument);
  // No item where both predict the same choice.
  EXPECT_THROW(RecalibrateFromBase(two, testing::Make({{{0.2, 0.8}, 0}})), std::invalid_argument);
  // PT puts mass where IT has probability 0: infinite cross-entropy at every T.
  EXPECT_THROW(RecalibrateFromBase(testing::Make({{{1.0, 0.0}, 0}}), two), std::invalid_argument);
}

TEST(FitTemperatureToTargets, KnownOptimum) {
  // Scores (1, 0) and soft target (3/4, 1/4): optimal where sigmoid(beta) = 3/4,
  // beta = ln 3, T = 1 / ln 3 (the one-hot case of FitTemperature, averaged).
  ChoiceProbabilities data;
  data.AddScores(std::vector<double>{1.0, 0.0}, 0);
  EXPECT_NEAR(FitTemperatureToTargets(data, std::vector<double>{0.75, 0.25}), 1 / std::log(3.0),
              1e-9);
  EXPECT_THROW(FitTemperatureToTargets(data, std::vector<double>{1.0}), std::invalid_argument);
  EXPECT_THROW(FitTemperatureToTargets(data, std::vector<double>{-0.5, 1.5}),
               std::invalid_argument);
}

}  // namespace
}  // namespace llmcal::calibration
