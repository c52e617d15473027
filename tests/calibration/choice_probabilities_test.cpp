#include "calibration/choice_probabilities.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace llmcal::calibration {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(Softmax, IsStableForLargeScores) {
  const std::vector<double> scores = {1000, 1000, 1000 - std::log(2.0)};
  std::vector<double> p(3);
  Softmax(scores, p);
  // exp weights 1 : 1 : 1/2 -> 0.4, 0.4, 0.2
  EXPECT_NEAR(p[0], 0.4, 1e-12);
  EXPECT_NEAR(p[1], 0.4, 1e-12);
  EXPECT_NEAR(p[2], 0.2, 1e-12);
}

TEST(Softmax, MinusInfinityGivesZero) {
  const std::vector<double> scores = {-kInf, std::log(3.0), 0.0};
  std::vector<double> p(3);
  Softmax(scores, p);
  EXPECT_EQ(p[0], 0.0);
  EXPECT_NEAR(p[1], 0.75, 1e-12);  // 3 / (3 + 1)
  EXPECT_NEAR(p[2], 0.25, 1e-12);
}

TEST(Softmax, RejectsNaNPlusInfinityAndAllMinusInfinity) {
  std::vector<double> p(2);
  EXPECT_THROW(Softmax(std::vector<double>{0, std::nan("")}, p), std::invalid_argument);
  EXPECT_THROW(Softmax(std::vector<double>{0, kInf}, p), std::invalid_argument);
  EXPECT_THROW(Softmax(std::vector<double>{-kInf, -kInf}, p), std::invalid_argument);
}

TEST(ChoiceProbabilities, StoresItemsOfDifferentSizes) {
  ChoiceProbabilities data;
  data.Add(std::vector<double>{0.2, 0.8}, 1);
  data.Add(std::vector<double>{0.1, 0.3, 0.3, 0.2, 0.1}, 0);
  data.AddScores(std::vector<double>{0.0, 0.0, 0.0}, 2);
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(data.num_choices(0), 2u);
  EXPECT_EQ(data.num_choices(1), 5u);
  EXPECT_EQ(data.num_choices(2), 3u);
  EXPECT_EQ(data.max_choices(), 5u);
  EXPECT_EQ(data.offsets(), (std::vector<std::size_t>{0, 2, 7, 10}));
  EXPECT_EQ(data.predicted(0), 1);
  EXPECT_EQ(data.predicted(1), 1);  // tie 0.3 / 0.3: the lowest index
  EXPECT_EQ(data.predicted(2), 0);  // three-way tie
  EXPECT_DOUBLE_EQ(data.confidence(1), 0.3);
  EXPECT_NEAR(data.confidence(2), 1.0 / 3, 1e-15);
  EXPECT_EQ(data.gold(2), 2);
}

TEST(ChoiceProbabilities, RejectsBadItems) {
  ChoiceProbabilities data;
  EXPECT_THROW(data.Add(std::vector<double>{}, 0), std::invalid_argument);
  EXPECT_THROW(data.Add(std::vector<double>{0.5, 0.5}, 2), std::invalid_argument);
  EXPECT_THROW(data.Add(std::vector<double>{0.5, 0.5}, -1), std::invalid_argument);
  EXPECT_THROW(data.Add(std::vector<double>{1.5, -0.5}, 0), std::invalid_argument);
  EXPECT_THROW(data.Add(std::vector<double>{std::nan(""), 1}, 0), std::invalid_argument);
  EXPECT_THROW(data.AddScores(std::vector<double>{0, std::nan("")}, 0), std::invalid_argument);
  EXPECT_TRUE(data.empty());
  EXPECT_EQ(data.flat_probs().size(), 0u);  // a rejected item leaves nothing behind
}

}  // namespace
}  // namespace llmcal::calibration
