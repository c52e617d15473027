#include "calibration/letter_bias.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "test_samples.h"

namespace llmcal::calibration {
namespace {

// cases/letter_rstd_skewed.case: a model that favours A.
ChoiceProbabilities Skewed() {
  const std::vector<double> a = {0.7, 0.1, 0.1, 0.1};
  const std::vector<double> b = {0.1, 0.7, 0.1, 0.1};
  const std::vector<double> d = {0.1, 0.1, 0.1, 0.7};
  return testing::Make({{a, 0}, {a, 0}, {b, 1}, {a, 1}, {a, 2}, {a, 2}, {d, 3}, {a, 3}});
}

TEST(LetterBias, PerPositionTable) {
  const LetterBias letters(Skewed(), 10);
  ASSERT_EQ(letters.positions(), 4u);
  const std::vector<LetterPosition> t = letters.Compute();
  // Predicted A on items 1, 2, 4, 5, 6, 8; B on 3; D on 7.
  EXPECT_DOUBLE_EQ(t[0].prediction_rate, 6.0 / 8);
  EXPECT_DOUBLE_EQ(t[1].prediction_rate, 1.0 / 8);
  EXPECT_DOUBLE_EQ(t[2].prediction_rate, 0.0);
  EXPECT_DOUBLE_EQ(t[3].prediction_rate, 1.0 / 8);
  for (const LetterPosition& row : t)
    EXPECT_DOUBLE_EQ(row.gold_rate, 2.0 / 8);
  EXPECT_DOUBLE_EQ(t[0].recall, 1.0);
  EXPECT_DOUBLE_EQ(t[1].recall, 0.5);
  EXPECT_DOUBLE_EQ(t[2].recall, 0.0);
  EXPECT_DOUBLE_EQ(t[3].recall, 0.5);
  // ECE of the items predicted A: all at 0.7, 2 of 6 right: |1/3 - 0.7|.
  EXPECT_NEAR(t[0].ece, 0.7 - 1.0 / 3, 1e-12);
  EXPECT_NEAR(t[1].ece, 0.3, 1e-12);  // one item, right at 0.7
  EXPECT_TRUE(std::isnan(t[2].ece));  // never predicted
  EXPECT_NEAR(RecallStd(t), std::sqrt(1.0 / 8), 1e-15);
}

TEST(LetterBias, MultiplicitiesWeighItems) {
  // Dropping items 4 to 8 leaves gold A twice (right) and gold B once (right).
  const std::vector<LetterPosition> t =
      LetterBias(Skewed(), 10).Compute(std::vector<std::uint32_t>{1, 2, 1, 0, 0, 0, 0, 0});
  EXPECT_DOUBLE_EQ(t[0].prediction_rate, 0.75);
  EXPECT_DOUBLE_EQ(t[0].recall, 1.0);
  EXPECT_DOUBLE_EQ(t[1].recall, 1.0);
  EXPECT_TRUE(std::isnan(t[2].recall));  // never gold in this multiset
  EXPECT_DOUBLE_EQ(RecallStd(t), 0.0);
  EXPECT_THROW(LetterBias(Skewed(), 10).Compute(std::vector<std::uint32_t>(3, 1)),
               std::invalid_argument);
  EXPECT_THROW(LetterBias(Skewed(), 10).Compute(std::vector<std::uint32_t>(8, 0)),
               std::invalid_argument);
}

TEST(LetterBias, RejectsEmptyInput) {
  EXPECT_THROW(LetterBias(ChoiceProbabilities(), 10), std::invalid_argument);
  EXPECT_THROW(LetterBias(Skewed(), 0), std::invalid_argument);
  EXPECT_THROW(RecallStd(std::vector<LetterPosition>{}), std::invalid_argument);
}

}  // namespace
}  // namespace llmcal::calibration
