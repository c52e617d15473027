#include "seeded_normal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace llmcal::synthetic {
namespace {

TEST(SeededNormalTest, SameKeyGivesTheSameStream) {
  SeededNormal a(42, "blk.0.attn_q.weight", 0);
  SeededNormal b(42, "blk.0.attn_q.weight", 0);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(a.Next(), b.Next()) << "sample " << i;
  }
}

struct KeyCase {
  std::uint64_t seed;
  const char* name;
  std::uint64_t block;
};

std::ostream& operator<<(std::ostream& os, const KeyCase& c) {
  return os << c.seed << "/" << c.name << "/" << c.block;
}

class OtherKeyTest : public ::testing::TestWithParam<KeyCase> {};

TEST_P(OtherKeyTest, GivesAnotherStream) {
  const KeyCase& c = GetParam();
  SeededNormal base(42, "blk.0.attn_q.weight", 0);
  SeededNormal other(c.seed, c.name, c.block);
  int equal = 0;
  for (int i = 0; i < 100; ++i) {
    equal += base.Next() == other.Next() ? 1 : 0;
  }
  EXPECT_EQ(equal, 0);
}

INSTANTIATE_TEST_SUITE_P(SeedNameOrBlock, OtherKeyTest,
                         ::testing::Values(KeyCase{43, "blk.0.attn_q.weight", 0},
                                           KeyCase{42, "blk.0.attn_k.weight", 0},
                                           KeyCase{42, "blk.0.attn_q.weight", 1}));

TEST(SeededNormalTest, SamplesAreStandardNormal) {
  // 200000 samples: the mean's standard error is 0.0022, the variance's 0.0032,
  // and P(|z| > 1.96) is 5% for N(0, 1).
  SeededNormal normal(7, "x", 0);
  const int n = 200000;
  double sum = 0.0;
  double sum_sq = 0.0;
  int beyond = 0;
  for (int i = 0; i < n; ++i) {
    const double z = normal.Next();
    sum += z;
    sum_sq += z * z;
    beyond += std::fabs(z) > 1.96 ? 1 : 0;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(sum_sq / n - mean * mean, 1.0, 0.015);
  EXPECT_NEAR(static_cast<double>(beyond) / n, 0.05, 0.003);
}

TEST(FillNormalTest, EachBlockIsItsOwnStreamScaledByStddev) {
  // Two full blocks and a partial third, filled on however many threads.
  std::vector<float> values(2 * kNormalBlockSize + 10);
  FillNormal(values, 0.5, 9, "token_embd.weight");
  for (std::uint64_t block = 0; block < 3; ++block) {
    SeededNormal normal(9, "token_embd.weight", block);
    const std::size_t begin = block * kNormalBlockSize;
    const std::size_t end = std::min(values.size(), begin + kNormalBlockSize);
    for (std::size_t i = begin; i < end; ++i) {
      ASSERT_EQ(values[i], static_cast<float>(0.5 * normal.Next())) << "element " << i;
    }
  }
}

}  // namespace
}  // namespace llmcal::synthetic
