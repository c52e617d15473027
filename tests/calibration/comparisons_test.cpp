#include "calibration/comparisons.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace llmcal::calibration {
namespace {

TEST(ChangeRate, IsRelativeChangeInPercent) {
  EXPECT_DOUBLE_EQ(ChangeRate(0.2, 0.3), 50.0);  // (0.3 - 0.2) / 0.2 * 100
  EXPECT_DOUBLE_EQ(ChangeRate(0.5, 0.25), -50.0);
  EXPECT_DOUBLE_EQ(ChangeRate(-0.04, -0.02), -50.0);  // divides by PT, sign included
  EXPECT_EQ(ChangeRate(0.0, 0.1), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(ChangeRate(0.0, 0.0)));
}

struct RankCase {
  std::vector<double> values;
  std::vector<int> ranks;
};

TEST(CompetitionRanks, DescendingTiesShareTheLowerRank) {
  const RankCase cases[] = {
      {{}, {}},
      {{0.5}, {1}},
      {{3, 1, 2}, {1, 3, 2}},
      {{5, 5, 3, 1}, {1, 1, 3, 4}},
      {{1, 2, 2, 0}, {3, 1, 1, 4}},
      {{-1, -1, -1}, {1, 1, 1}},
      {{283.77, -40.51, 30.08, 764.72, 745.62, -14.65, -33.87}, {3, 7, 4, 1, 2, 5, 6}},
      // Unrounded values decide: 0.1234 > 0.12339 although both round to 0.12.
      {{0.12339, 0.1234}, {2, 1}},
  };
  for (const RankCase& c : cases)
    EXPECT_EQ(CompetitionRanks(c.values), c.ranks);
  EXPECT_THROW(CompetitionRanks(std::vector<double>{1, std::nan("")}), std::invalid_argument);
}

TEST(AverageRanks, TiesShareTheMeanRank) {
  EXPECT_EQ(AverageRanks(std::vector<double>{5, 5, 3, 1}), (std::vector<double>{1.5, 1.5, 3, 4}));
  EXPECT_EQ(AverageRanks(std::vector<double>{2, 2, 2}), (std::vector<double>{2, 2, 2}));
}

TEST(KendallsW, PerfectAgreement) {
  // 3 tasks rank 4 models alike: W = 1, chi-square = m (n - 1) W = 9 with 3 df;
  // P(chi2_3 >= 9) = 2 (1 - Phi(3)) + sqrt(18 / pi) exp(-4.5) = 0.0029998 + 0.0265910.
  const KendallW w = KendallsW({{4, 3, 2, 1}, {40, 30, 20, 10}, {0.4, 0.3, 0.2, 0.1}});
  EXPECT_NEAR(w.w, 1.0, 1e-12);
  EXPECT_NEAR(w.chi_square, 9.0, 1e-12);
  EXPECT_EQ(w.degrees_of_freedom, 3);
  EXPECT_NEAR(w.p_value, 0.0292909, 1e-6);
}

TEST(KendallsW, OppositeRankingsHaveNoConcordance) {
  const KendallW w = KendallsW({{3, 2, 1}, {1, 2, 3}});
  EXPECT_NEAR(w.w, 0.0, 1e-12);
  EXPECT_NEAR(w.p_value, 1.0, 1e-12);
}

TEST(KendallsW, PartialAgreement) {
  // Ranks (1, 2, 3) and (1, 3, 2): rank sums 2, 5, 5, mean m (n + 1) / 2 = 4,
  // S = 4 + 1 + 1 = 6, W = 12 S / (m^2 (n^3 - n)) = 72 / 96 = 0.75;
  // chi-square = 2 * 2 * 0.75 = 3 with 2 df, p = exp(-3 / 2).
  const KendallW w = KendallsW({{3, 2, 1}, {3, 1, 2}});
  EXPECT_NEAR(w.w, 0.75, 1e-12);
  EXPECT_NEAR(w.chi_square, 3.0, 1e-12);
  EXPECT_NEAR(w.p_value, std::exp(-1.5), 1e-12);
}

TEST(KendallsW, TieCorrection) {
  // Ranks (1.5, 1.5, 3) and (1, 2, 3): rank sums 2.5, 3.5, 6; S = 2.25 + 0.25 + 4 = 6.5;
  // T = 2^3 - 2 = 6; W = 12 * 6.5 / (4 * 24 - 2 * 6) = 78 / 84.
  const KendallW w = KendallsW({{1, 1, 0}, {3, 2, 1}});
  EXPECT_NEAR(w.w, 78.0 / 84, 1e-12);
  // Every task ties every model: W is undefined.
  EXPECT_TRUE(std::isnan(KendallsW({{1, 1}, {2, 2}}).w));
}

TEST(KendallsW, RejectsBadShapes) {
  EXPECT_THROW(KendallsW({}), std::invalid_argument);
  EXPECT_THROW(KendallsW({{1}}), std::invalid_argument);
  EXPECT_THROW(KendallsW({{1, 2}, {1, 2, 3}}), std::invalid_argument);
}

TEST(ChiSquareUpperTail, KnownValues) {
  EXPECT_NEAR(ChiSquareUpperTail(3.841459, 1), 0.05, 1e-7);        // the 95% quantile of chi2_1
  EXPECT_NEAR(ChiSquareUpperTail(4.0, 2), std::exp(-2.0), 1e-12);  // chi2_2 is exponential
  EXPECT_DOUBLE_EQ(ChiSquareUpperTail(0.0, 5), 1.0);
}

}  // namespace
}  // namespace llmcal::calibration
