// Internal to smooth ECE and the smooth reliability curve: kernel smoothing
// on [0, 1] with the Gaussian kernel reflected at 0 and 1 (all images:
// K_sigma(t, x) = sum over integers j of phi_sigma(t - x + 2j) + phi_sigma(t + x + 2j)),
// computed as relplot does: masses linearly interpolated onto a uniform grid,
// then convolved with the kernel sampled on the grid.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace llmcal::calibration::internal {

// Masses on grids of 2^k intervals over [0, 1], from kMaxIntervals (the
// finest) down to kMinIntervals. Masses are added on the finest grid; each
// coarser grid is restricted from the next finer one, which is exact: a coarse
// hat function is linear between fine nodes, so distributing each fine node's
// mass to its coarse neighbours gives what interpolating the points directly
// onto the coarse grid would.
class GridMasses {
 public:
  // Fine enough for smooth ECE's smallest bandwidth: 16 / 2^14 < 1e-3.
  static constexpr std::size_t kMaxIntervals = std::size_t{1} << 14;
  static constexpr std::size_t kMinIntervals = 32;

  GridMasses() : finest_(kMaxIntervals + 1, 0.0) {}

  // Adds `mass` at x (clamped to [0, 1]), split linearly between the two
  // nearest nodes of the finest grid. Call before Finish.
  void Add(double x, double mass) {
    const double scaled = (x < 0 ? 0 : x > 1 ? 1 : x) * static_cast<double>(kMaxIntervals);
    auto left = static_cast<std::size_t>(scaled);
    if (left > kMaxIntervals - 1)
      left = kMaxIntervals - 1;
    const double frac = scaled - static_cast<double>(left);
    finest_[left] += (1 - frac) * mass;
    finest_[left + 1] += frac * mass;
  }

  // Multiplies every mass by `factor`, then builds the coarser grids.
  void Finish(double factor);

  // The coarsest grid whose step is at most sigma / kStepsPerSigma (the
  // finest when none is). REQUIRES: Finish called.
  std::span<const double> ForBandwidth(double sigma) const;

 private:
  std::vector<double> finest_;
  std::vector<std::vector<double>> coarser_;  // coarser_[j]: kMaxIntervals >> (j + 1) intervals
};

// The grid step is at most sigma / kStepsPerSigma; linear interpolation of the
// masses then moves the smoothed values by O((step/sigma)^2), about 1e-3
// relative. The kernel is cut at kKernelReach sigmas (tail mass < 2e-9).
inline constexpr double kStepsPerSigma = 16;
inline constexpr double kKernelReach = 6;

// Computes, at every node t_j of the grid of `mass` (mass.size() - 1
// intervals over [0, 1]), sum over nodes x of mass(x) K_sigma(t_j, x).
// A mass on 0 or 1 is its own mirror image, so it counts twice there and
// K_sigma(t, x) integrates to 1 over [0, 1] for every x. Reuses the buffers of
// `this` across calls; not thread-safe, one smoother per thread.
class ReflectedSmoother {
 public:
  // Returns the smoothed values, valid until the next call.
  // REQUIRES: mass.size() >= 2, sigma > 0.
  std::span<const double> Smooth(std::span<const double> mass, double sigma);

 private:
  std::vector<double> kernel_;
  std::vector<double> extended_;
  std::vector<double> smoothed_;
};

}  // namespace llmcal::calibration::internal
