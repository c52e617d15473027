// Subsets must be identical on every platform: the expected lists below were
// computed by an independent Python implementation of mt19937_64 (checked
// against the standard's 10000th-output value) with the same rejection draw
// and partial Fisher-Yates shuffle.
#include "tasks/subset.h"

#include <gtest/gtest.h>

namespace llmcal::tasks {
namespace {

TEST(Mt19937_64, RawOutputIsTheStandardOne) {
  std::mt19937_64 engine;  // default seed 5489
  engine.discard(9999);
  EXPECT_EQ(engine(), 9981545732273789042ULL);  // [rand.predef] requires this value
}

TEST(UniformBelow, MatchesReferenceDraws) {
  std::mt19937_64 engine(1);
  const std::uint64_t bounds[] = {1, 2, 3, 10, 1000, (1ULL << 63) + 1};
  const std::uint64_t expected[] = {0, 0, 0, 6, 384, 7588216632478230600ULL};
  for (std::size_t i = 0; i < std::size(bounds); ++i) {
    EXPECT_EQ(UniformBelow(engine, bounds[i]), expected[i]) << "bound " << bounds[i];
  }
}

struct SampleCase {
  std::size_t count;
  std::size_t n;
  std::uint64_t seed;
  std::vector<std::size_t> expected;
};

TEST(SampleItems, MatchesReferenceLists) {
  const SampleCase cases[] = {
      {2376, 10, 42, {485, 629, 638, 1312, 1450, 1615, 1684, 1701, 2292, 2334}},
      {100, 5, 0, {6, 19, 80, 89, 94}},
      {1838, 8, 2026, {154, 424, 434, 455, 511, 938, 1009, 1187}},
      {10, 10, 7, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
      {3, 50, 1, {0, 1, 2}},  // asking for more than there is gives all
      {0, 5, 1, {}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(SampleItems(c.count, c.n, c.seed), c.expected) << c.count << " " << c.seed;
  }
}

TEST(SampleItems, SameSeedSameSampleOtherSeedOtherSample) {
  EXPECT_EQ(SampleItems(10042, 100, 9), SampleItems(10042, 100, 9));
  EXPECT_NE(SampleItems(10042, 100, 9), SampleItems(10042, 100, 10));
}

TEST(FirstItems, TakesThePrefix) {
  EXPECT_EQ(FirstItems(5, 3), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(FirstItems(2, 3), (std::vector<std::size_t>{0, 1}));
  EXPECT_TRUE(FirstItems(0, 3).empty());
}

}  // namespace
}  // namespace llmcal::tasks
