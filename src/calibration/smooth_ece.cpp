#include "calibration/smooth_ece.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
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
// Bisection stops when the bracket on sigma is this narrow.
constexpr double kSigmaTolerance = 1e-7;

// The residual masses (1/n) sum_i w_i (f_i - y_i) linearly interpolated onto
// grids of 2^k intervals over [0, 1], one grid per resolution, built on demand.
class ResidualGrids {
 public:
  ResidualGrids(std::span<const double> f, std::span<const std::uint8_t> y,
                std::span<const std::uint32_t> w)
      : f_(f), y_(y), w_(w) {
    if (f.size() != y.size() || (!w.empty() && w.size() != f.size())) {
      throw std::invalid_argument("smooth ECE: confidence, correct and weight sizes differ");
    }
    total_ = 0;
    if (w.empty()) {
      total_ = static_cast<double>(f.size());
    } else {
      for (std::uint32_t x : w)
        total_ += x;
    }
    if (!(total_ > 0))
      throw std::invalid_argument("smooth ECE: no items");
  }

  // Returns smECE_sigma.
  double At(double sigma) {
    std::size_t intervals = kMinIntervals;
    while (static_cast<double>(intervals) * sigma < kStepsPerSigma)
      intervals *= 2;
    const std::vector<double>& mass = Masses(intervals);
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
    // Trapezoid rule over the grid for the integral of |g|.
    double integral = 0;
    for (std::ptrdiff_t i = 0; i < points; ++i) {
      const double* center = extended_.data() + (i + reach);
      double g = kernel_[0] * center[0];
      for (std::ptrdiff_t e = 1; e <= reach; ++e) {
        g += kernel_[static_cast<std::size_t>(e)] * (center[e] + center[-e]);
      }
      const double weight = (i == 0 || i == points - 1) ? 0.5 : 1.0;
      integral += weight * std::abs(g);
    }
    return integral * step;
  }

 private:
  const std::vector<double>& Masses(std::size_t intervals) {
    auto it = grids_.find(intervals);
    if (it != grids_.end())
      return it->second;
    std::vector<double> mass(intervals + 1, 0.0);
    const double scale = static_cast<double>(intervals);
    for (std::size_t i = 0; i < f_.size(); ++i) {
      const double weight = w_.empty() ? 1.0 : static_cast<double>(w_[i]);
      if (weight == 0)
        continue;
      const double x = std::clamp(f_[i], 0.0, 1.0) * scale;
      const auto left = std::min(static_cast<std::size_t>(x), intervals - 1);
      const double frac = x - static_cast<double>(left);
      const double r = weight * (f_[i] - static_cast<double>(y_[i])) / total_;
      mass[left] += (1 - frac) * r;
      mass[left + 1] += frac * r;
    }
    return grids_.emplace(intervals, std::move(mass)).first->second;
  }

  std::span<const double> f_;
  std::span<const std::uint8_t> y_;
  std::span<const std::uint32_t> w_;
  double total_;
  std::map<std::size_t, std::vector<double>> grids_;
  std::vector<double> kernel_;
  std::vector<double> extended_;
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
  // smECE_sigma does not increase with sigma, so sigma - smECE_sigma has one
  // root; bracket it in [kSmoothEceMinSigma, 1].
  double lo = kSmoothEceMinSigma;
  const double at_lo = grids.At(lo);
  if (at_lo <= lo)
    return {at_lo, lo};
  double hi = 1.0;
  double at_hi = grids.At(hi);
  if (at_hi >= hi)
    return {at_hi, hi};
  while (hi - lo > kSigmaTolerance) {
    const double mid = 0.5 * (lo + hi);
    const double at_mid = grids.At(mid);
    if (at_mid > mid) {
      lo = mid;
    } else {
      hi = mid;
      at_hi = at_mid;
    }
  }
  return {at_hi, hi};
}

}  // namespace llmcal::calibration
