#include "calibration/binning.h"

#include <gtest/gtest.h>

#include <cmath>

namespace llmcal::calibration {
namespace {

struct BinCase {
  double value;
  int bins;
  int expected;
};

TEST(EqualWidthBin, ValuesOnAndAroundEdges) {
  const BinCase cases[] = {
      {0.0, 10, 0},
      {0.05, 10, 0},
      {0.1, 10, 1},
      {0.2, 10, 2},
      {0.3, 10, 3},  // 0.3 * 10 is not exactly 3 in doubles; the edge decides
      {0.6, 10, 6},
      {0.7, 10, 7},
      {0.9, 10, 9},
      {0.99999, 10, 9},
      {1.0, 10, 9},                       // the last bin holds 1.0
      {std::nextafter(0.3, 0.0), 10, 2},  // just below an edge
      {std::nextafter(0.7, 0.0), 10, 6},
      {0.5, 2, 1},
      {0.49, 2, 0},
      {1.0 / 3, 3, 1},
      {2.0 / 3, 3, 2},
      {0.25, 1, 0},
      {1.0, 1, 0},
      {-0.1, 10, 0},
      {1.5, 10, 9},  // out of range values are clamped
  };
  for (const BinCase& c : cases) {
    EXPECT_EQ(EqualWidthBin(c.value, c.bins), c.expected) << c.value << " with " << c.bins;
  }
}

TEST(EqualWidthBin, EveryEdgeStartsItsBin) {
  for (int bins = 1; bins <= 200; ++bins) {
    for (int b = 0; b < bins; ++b) {
      const double edge = BinEdge(b, bins);
      ASSERT_EQ(EqualWidthBin(edge, bins), b) << b << "/" << bins;
      if (b > 0) {
        ASSERT_EQ(EqualWidthBin(std::nextafter(edge, 0.0), bins), b - 1);
      }
    }
  }
}

}  // namespace
}  // namespace llmcal::calibration
