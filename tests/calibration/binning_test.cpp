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

TEST(LinspaceBin, ClosedOnTheRightAsCalibrationLibrary) {
  const BinCase cases[] = {
      {0.0, 15, -1},  // 0 is in no bin: the first bin is (0, 1/15]
      {-0.0, 15, -1},
      {1e-300, 15, 0},
      {1.0 / 15, 15, 0},  // an upper edge belongs to the bin below
      {std::nextafter(1.0 / 15, 1.0), 15, 1},
      {0.2, 15, 2},  // 3 * (1/15) == 0.2: the edge, so bin 2
      {0.5, 15, 7},
      {1.0, 15, 14},
      {std::nextafter(1.0, 2.0), 15, -1},  // above 1: no bin
      {0.3, 10, 2},
      // np.linspace's edge 7 of 10 is 7 * 0.1 = 0.7000000000000001, not 0.7.
      {0.7000000000000001, 10, 6},
      {std::nextafter(0.7000000000000001, 1.0), 10, 7},
      {0.5, 1, 0},
  };
  for (const BinCase& c : cases) {
    EXPECT_EQ(LinspaceBin(c.value, c.bins), c.expected) << c.value << " with " << c.bins;
  }
}

TEST(LinspaceBin, EdgesAreNumpyLinspace) {
  // np.linspace(0, 1, 11): i * 0.1 with the last exactly 1.
  EXPECT_EQ(LinspaceEdge(3, 10), 3 * 0.1);
  EXPECT_NE(LinspaceEdge(3, 10), 0.3);
  EXPECT_EQ(LinspaceEdge(10, 10), 1.0);
  for (int bins = 1; bins <= 200; ++bins) {
    for (int b = 0; b < bins; ++b) {
      const double upper = LinspaceEdge(b + 1, bins);
      ASSERT_EQ(LinspaceBin(upper, bins), b) << b << "/" << bins;
      if (b + 1 < bins) {
        ASSERT_EQ(LinspaceBin(std::nextafter(upper, 2.0), bins), b + 1) << b << "/" << bins;
      }
    }
  }
}

}  // namespace
}  // namespace llmcal::calibration
