#include "calibration/smooth_ece.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "calibration/bootstrap.h"
#include "test_samples.h"

namespace llmcal::calibration {
namespace {

// An independent, slow evaluation straight from the definition: the
// reflected Gaussian kernel as a sum over images, g(t) summed item by item at
// 4001 points, the integral of |g| by Simpson's rule.
double NaiveSmoothEceAt(const std::vector<double>& f, const std::vector<std::uint8_t>& y,
                        double sigma) {
  const auto kernel = [sigma](double t, double x) {
    double k = 0;
    for (int j = -2; j <= 2; ++j) {
      for (double image : {x + 2 * j, -x + 2 * j}) {
        const double z = (t - image) / sigma;
        k += std::exp(-0.5 * z * z) / (sigma * std::sqrt(2 * std::numbers::pi));
      }
    }
    return k;
  };
  const int intervals = 2000;
  double integral = 0;
  for (int i = 0; i <= intervals; ++i) {
    const double t = static_cast<double>(i) / intervals;
    double g = 0;
    for (std::size_t n = 0; n < f.size(); ++n)
      g += (f[n] - y[n]) * kernel(t, f[n]);
    g /= static_cast<double>(f.size());
    const double w = (i == 0 || i == intervals) ? 1 : (i % 2 ? 4 : 2);
    integral += w * std::abs(g);
  }
  return integral / (3.0 * intervals);
}

// Fixed point sigma = smECE_sigma by plain bisection on the naive evaluation.
double NaiveSmoothEce(const std::vector<double>& f, const std::vector<std::uint8_t>& y) {
  double lo = 1e-3, hi = 1;
  for (int step = 0; step < 30; ++step) {
    const double mid = 0.5 * (lo + hi);
    (NaiveSmoothEceAt(f, y, mid) > mid ? lo : hi) = mid;
  }
  return NaiveSmoothEceAt(f, y, hi);
}

struct Sample {
  std::vector<double> f;
  std::vector<std::uint8_t> y;
};

// 40 items with confidences spread over [0.25, 1] and labels that disagree
// with them, plus residuals on both ends of [0, 1] (1.0 wrong, 0.0 right),
// where the reflected kernel is its own mirror image.
Sample SmallSample(std::uint64_t seed, double label_shift) {
  SplitMix64 rng(seed);
  Sample s = {{1.0, 0.0}, {0, 1}};
  for (int i = 0; i < 38; ++i) {
    const double f = 0.25 + 0.75 * testing::Uniform(rng);
    s.f.push_back(f);
    s.y.push_back(testing::Uniform(rng) < f - label_shift ? 1 : 0);
  }
  return s;
}

TEST(SmoothEce, BandwidthValueMatchesNaiveEvaluation) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const Sample s = SmallSample(seed, 0.2);
    for (double sigma : {0.02, 0.05, 0.1, 0.3, 0.5}) {
      const double naive = NaiveSmoothEceAt(s.f, s.y, sigma);
      const double fast = SmoothEceAtBandwidth(s.f, s.y, {}, sigma);
      EXPECT_NEAR(fast, naive, 2e-3 * naive + 1e-6) << "seed " << seed << " sigma " << sigma;
    }
  }
}

TEST(SmoothEce, FixedPointMatchesNaiveEvaluation) {
  for (std::uint64_t seed : {4, 5}) {
    for (double shift : {0.0, 0.3}) {
      const Sample s = SmallSample(seed, shift);
      const SmoothEceResult result = SmoothEce(s.f, s.y);
      const double naive = NaiveSmoothEce(s.f, s.y);
      EXPECT_NEAR(result.value, naive, 2e-3 * naive + 1e-6) << seed << " " << shift;
      // At the fixed point the bandwidth equals the value.
      EXPECT_NEAR(result.sigma, result.value, 1e-5);
    }
  }
}

TEST(SmoothEce, HandValues) {
  // One residual r at f: g = r K(., f) integrates to |r| for every bandwidth,
  // also when f is on an end of [0, 1].
  const std::vector<std::uint8_t> wrong = {0};
  for (double f : {0.0, 0.3, 0.5, 1.0}) {
    EXPECT_NEAR(SmoothEce(std::vector<double>{f}, wrong).value, f, 1e-6) << f;
  }
  // Residuals +0.5 and -0.5 at the same point cancel.
  const std::vector<double> twice = {0.5, 0.5};
  const std::vector<std::uint8_t> one_right = {0, 1};
  EXPECT_NEAR(SmoothEce(twice, one_right).value, 0.0, 1e-12);
  // Weights: the first item counted 3 times, the second once: residual
  // (3 * 0.5 - 0.5) / 4 = 0.25 at 0.5.
  const std::vector<std::uint32_t> weight = {3, 1};
  EXPECT_NEAR(SmoothEce(twice, one_right, weight).value, 0.25, 1e-6);
}

TEST(SmoothEce, RejectsBadInput) {
  const std::vector<double> f = {0.5, 0.6};
  const std::vector<std::uint8_t> y = {1};
  EXPECT_THROW(SmoothEce(f, y), std::invalid_argument);
  const std::vector<std::uint8_t> y2 = {1, 0};
  EXPECT_THROW(SmoothEce(f, y2, std::vector<std::uint32_t>{0, 0}), std::invalid_argument);
  EXPECT_THROW(SmoothEceAtBandwidth(f, y2, {}, 0.0), std::invalid_argument);
}

}  // namespace
}  // namespace llmcal::calibration
