#include "calibration/smooth_ece.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace llmcal::calibration {

namespace {

// The grid step is at most sigma / kStepsPerSigma; linear interpolation of the
// masses then moves the smoothed residual by O((step/sigma)^2), about 1e-3
// relative. The kernel is cut at kKernelReach sigmas (tail mass < 2e-9).
constexpr double kStepsPerSigma = 16;
constexpr double kKernelReach = 6;
constexpr std::size_t kMinIntervals = 32;
// The finest grid, enough for kSmoothEceMinSigma: 16 / 2^14 < 1e-3.
constexpr std::size_t kMaxIntervals = std::size_t{1} << 14;
// The root search stops when |smECE_sigma - sigma| or the bracket is this small.
constexpr double kValueTolerance = 1e-10;
constexpr double kSigmaTolerance = 1e-9;
constexpr int kMaxSteps = 200;

// The residual masses (1/n) sum_i w_i (f_i - y_i), linearly interpolated onto
// grids of 2^k intervals over [0, 1]. The items are read once, onto the finest
// grid; each coarser grid is restricted from the next finer one, which is exact:
// a coarse hat function is linear between fine nodes, so distributing each fine
// node's mass to its coarse neighbours gives what interpolating the items
// directly would.
class ResidualGrids {
 public:
  ResidualGrids(std::span<const double> f, std::span<const std::uint8_t> y,
                std::span<const std::uint32_t> w) {
    if (f.size() != y.size() || (!w.empty() && w.size() != f.size())) {
      throw std::invalid_argument("smooth ECE: confidence, correct and weight sizes differ");
    }
    double total = 0;
    std::vector<double> mass(kMaxIntervals + 1, 0.0);
    const auto scale = static_cast<double>(kMaxIntervals);
    for (std::size_t i = 0; i < f.size(); ++i) {
      // Weight 0 adds 0 (no branch: resample weights are unpredictable).
      const double weight = w.empty() ? 1.0 : static_cast<double>(w[i]);
      total += weight;
      const double x = std::clamp(f[i], 0.0, 1.0) * scale;
      const auto left = std::min(static_cast<std::size_t>(x), kMaxIntervals - 1);
      const double frac = x - static_cast<double>(left);
      const double r = weight * (f[i] - static_cast<double>(y[i]));
      mass[left] += (1 - frac) * r;
      mass[left + 1] += frac * r;
    }
    if (!(total > 0))
      throw std::invalid_argument("smooth ECE: no items");
    for (double& m : mass)
      m /= total;
    // grids_[j] has kMaxIntervals >> j intervals.
    grids_.push_back(std::move(mass));
    while ((kMaxIntervals >> (grids_.size() - 1)) > kMinIntervals) {
      const std::vector<double>& fine = grids_.back();
      std::vector<double> coarse(fine.size() / 2 + 1, 0.0);
      for (std::size_t j = 0; j < fine.size(); ++j) {
        if (j % 2 == 0) {
          coarse[j / 2] += fine[j];
        } else {
          coarse[j / 2] += 0.5 * fine[j];
          coarse[j / 2 + 1] += 0.5 * fine[j];
        }
      }
      grids_.push_back(std::move(coarse));
    }
  }

  // Returns smECE_sigma.
  double At(double sigma) {
    std::size_t level = grids_.size() - 1;  // coarsest
    while (level > 0 && static_cast<double>(kMaxIntervals >> level) * sigma < kStepsPerSigma) {
      --level;
    }
    const std::vector<double>& mass = grids_[level];
    const std::size_t intervals = mass.size() - 1;
    const double step = 1.0 / static_cast<double>(intervals);
    const auto reach = static_cast<std::ptrdiff_t>(std::ceil(kKernelReach * sigma / step));

    // Kernel phi_sigma(e * step) for e = 0..reach.
    kernel_.resize(static_cast<std::size_t>(reach) + 1);
    const double norm = 1.0 / (sigma * std::sqrt(2 * std::numbers::pi));
    for (std::ptrdiff_t e = 0; e <= reach; ++e) {
      const double x = static_cast<double>(e) * step / sigma;
      kernel_[static_cast<std::size_t>(e)] = norm * std::exp(-0.5 * x * x);
    }
    // Reflecting the masses at 0 and 1 (period 2 on the unfolded line) turns the
    // reflected kernel into a plain convolution over the extended array. A mass on
    // 0 or 1 is its own mirror image (t + 2j and -t + 2j coincide), so it counts
    // twice there: K(t, 1) = 2 phi(t - 1) + ..., which integrates to 1 over [0, 1].
    const auto points = static_cast<std::ptrdiff_t>(intervals) + 1;
    const auto period = 2 * static_cast<std::ptrdiff_t>(intervals);
    extended_.resize(static_cast<std::size_t>(points + 2 * reach));
    for (std::ptrdiff_t j = -reach; j < points + reach; ++j) {
      std::ptrdiff_t folded = ((j % period) + period) % period;
      if (folded > static_cast<std::ptrdiff_t>(intervals))
        folded = period - folded;
      const bool boundary = folded == 0 || folded == static_cast<std::ptrdiff_t>(intervals);
      extended_[static_cast<std::size_t>(j + reach)] =
          (boundary ? 2.0 : 1.0) * mass[static_cast<std::size_t>(folded)];
    }
    // g on the grid, accumulated one kernel offset at a time: the inner loop
    // runs over independent grid points, so it vectorizes.
    const double* base = extended_.data() + reach;
    smoothed_.assign(static_cast<std::size_t>(points), 0.0);
    double* g = smoothed_.data();
    for (std::ptrdiff_t i = 0; i < points; ++i)
      g[i] = kernel_[0] * base[i];
    for (std::ptrdiff_t e = 1; e <= reach; ++e) {
      const double k = kernel_[static_cast<std::size_t>(e)];
      const double* right = base + e;
      const double* left = base - e;
      for (std::ptrdiff_t i = 0; i < points; ++i)
        g[i] += k * (right[i] + left[i]);
    }
    // Trapezoid rule over the grid for the integral of |g|.
    double integral = 0.5 * (std::abs(g[0]) + std::abs(g[points - 1]));
    for (std::ptrdiff_t i = 1; i + 1 < points; ++i)
      integral += std::abs(g[i]);
    return integral * step;
  }

 private:
  std::vector<std::vector<double>> grids_;
  std::vector<double> kernel_;
  std::vector<double> extended_;
  std::vector<double> smoothed_;
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
