#include "calibration/smooth_ece.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "calibration/internal/reflected_kernel.h"

namespace llmcal::calibration {

namespace {

// The root search stops when |smECE_sigma - sigma| or the bracket is this small.
constexpr double kValueTolerance = 1e-10;
constexpr double kSigmaTolerance = 1e-9;
constexpr int kMaxSteps = 200;

// The residual masses (1/n) sum_i w_i (f_i - y_i) on every grid, and
// smECE_sigma from them.
class ResidualGrids {
 public:
  ResidualGrids(std::span<const double> f, std::span<const std::uint8_t> y,
                std::span<const std::uint32_t> w) {
    if (f.size() != y.size() || (!w.empty() && w.size() != f.size())) {
      throw std::invalid_argument("smooth ECE: confidence, correct and weight sizes differ");
    }
    double total = 0;
    for (std::size_t i = 0; i < f.size(); ++i) {
      // Weight 0 adds 0 (no branch: resample weights are unpredictable).
      const double weight = w.empty() ? 1.0 : static_cast<double>(w[i]);
      total += weight;
      masses_.Add(f[i], weight * (f[i] - static_cast<double>(y[i])));
    }
    if (!(total > 0))
      throw std::invalid_argument("smooth ECE: no items");
    masses_.Finish(1 / total);
  }

  // Returns smECE_sigma: the integral of |g_sigma| over [0, 1] by the trapezoid rule.
  double At(double sigma) {
    const std::span<const double> mass = masses_.ForBandwidth(sigma);
    const std::span<const double> g = smoother_.Smooth(mass, sigma);
    const std::size_t points = g.size();
    double integral = 0.5 * (std::abs(g[0]) + std::abs(g[points - 1]));
    for (std::size_t i = 1; i + 1 < points; ++i)
      integral += std::abs(g[i]);
    return integral / static_cast<double>(points - 1);
  }

 private:
  internal::GridMasses masses_;
  internal::ReflectedSmoother smoother_;
};

}  // namespace

double SmoothEceAtBandwidth(std::span<const double> confidence,
                            std::span<const std::uint8_t> correct,
                            std::span<const std::uint32_t> weight, double sigma) {
  if (!(sigma > 0))
    throw std::invalid_argument("smooth ECE: bandwidth must be positive");
  return ResidualGrids(confidence, correct, weight).At(sigma);
}

SmoothEceResult SmoothEce(std::span<const double> confidence, std::span<const std::uint8_t> correct,
                          std::span<const std::uint32_t> weight) {
  ResidualGrids grids(confidence, correct, weight);
  // smECE_sigma does not increase with sigma, so h(sigma) = smECE_sigma - sigma
  // falls through 0 once in [kSmoothEceMinSigma, 1]. Bracket the root walking
  // down from 1 by factors of 4: small bandwidths need fine grids, so the walk
  // stops before the costly ones it does not need.
  double hi = 1.0;
  double at_hi = grids.At(hi);
  if (at_hi >= hi)
    return {at_hi, hi};
  double lo = hi;
  double at_lo = at_hi;
  while (true) {
    lo = std::max(hi / 4, kSmoothEceMinSigma);
    at_lo = grids.At(lo);
    if (at_lo > lo)
      break;
    if (lo == kSmoothEceMinSigma)
      return {at_lo, lo};
    hi = lo;
    at_hi = at_lo;
  }
  // Illinois variant of regula falsi: keeps the bracket, converges superlinearly.
  double h_lo = at_lo - lo;  // > 0
  double h_hi = at_hi - hi;  // < 0
  SmoothEceResult best{at_hi, hi};
  int stuck_side = 0;
  for (int step = 0; step < kMaxSteps && hi - lo > kSigmaTolerance; ++step) {
    double sigma = (lo * h_hi - hi * h_lo) / (h_hi - h_lo);
    if (!(sigma > lo && sigma < hi))
      sigma = 0.5 * (lo + hi);
    const double value = grids.At(sigma);
    const double h = value - sigma;
    best = {value, sigma};
    if (std::abs(h) < kValueTolerance)
      break;
    if (h > 0) {
      lo = sigma;
      h_lo = h;
      if (stuck_side == 1)
        h_hi /= 2;
      stuck_side = 1;
    } else {
      hi = sigma;
      h_hi = h;
      if (stuck_side == -1)
        h_lo /= 2;
      stuck_side = -1;
    }
  }
  return best;
}

}  // namespace llmcal::calibration
