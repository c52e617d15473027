#include "calibration/internal/reflected_kernel.h"

#include <cmath>
#include <numbers>

namespace llmcal::calibration::internal {

void GridMasses::Finish(double factor) {
  for (double& m : finest_)
    m *= factor;
  coarser_.clear();
  const std::vector<double>* fine = &finest_;
  while (fine->size() - 1 > kMinIntervals) {
    std::vector<double> coarse(fine->size() / 2 + 1, 0.0);
    for (std::size_t j = 0; j < fine->size(); ++j) {
      if (j % 2 == 0) {
        coarse[j / 2] += (*fine)[j];
      } else {
        coarse[j / 2] += 0.5 * (*fine)[j];
        coarse[j / 2 + 1] += 0.5 * (*fine)[j];
      }
    }
    coarser_.push_back(std::move(coarse));
    fine = &coarser_.back();
  }
}

std::span<const double> GridMasses::ForBandwidth(double sigma) const {
  // Walk from the coarsest grid to finer ones until the step is fine enough.
  for (std::size_t j = coarser_.size(); j-- > 0;) {
    const auto intervals = static_cast<double>(coarser_[j].size() - 1);
    if (intervals * sigma >= kStepsPerSigma)
      return coarser_[j];
  }
  return finest_;
}

std::span<const double> ReflectedSmoother::Smooth(std::span<const double> mass, double sigma) {
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
  // Accumulated one kernel offset at a time: the inner loop runs over
  // independent grid points, so it vectorizes.
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
  return smoothed_;
}

}  // namespace llmcal::calibration::internal
