// Smooth ECE (Blasiok and Nakkiran 2023, "Smooth ECE: Principled Reliability
// Diagrams via Kernel Smoothing"), on top-label confidences f_i and
// correctness y_i in {0, 1}:
//
//   g_sigma(t)     = (1/n) sum_i w_i (f_i - y_i) K_sigma(t, f_i)
//   smECE_sigma    = integral over [0, 1] of |g_sigma(t)| dt
//   smECE          = smECE_sigma* where sigma* = smECE_sigma* (fixed point)
//
// K_sigma is the Gaussian kernel reflected at 0 and 1 (all images:
// sum over integers j of phi_sigma(t - f + 2j) + phi_sigma(t + f + 2j)), so
// no mass leaks out of [0, 1]. The computation follows relplot's smECE_fast
// (relplot 1.0.3, src/relplot/metrics.py): residual mass is linearly
// interpolated onto a uniform grid, convolved with the reflected kernel, and
// the fixed point is found by a bracketing root search. docs/calibration.md
// lists where it differs (finer grid, full reflection, the fixed point to
// 1e-10 instead of 10 bisection steps).
#pragma once

#include <cstdint>
#include <span>

namespace llmcal::calibration {

struct SmoothEceResult {
  double value = 0;  // smECE
  double sigma = 0;  // the bandwidth found (the fixed point)
};

// Smallest bandwidth searched (relplot's eps): when smECE_sigma <= sigma already
// at this bandwidth, smECE_sigma there is returned.
inline constexpr double kSmoothEceMinSigma = 1e-3;

// Returns smECE of the multiset where item i (confidence[i], correct[i]) appears
// weight[i] times. An empty `weight` means every weight is 1.
// REQUIRES: confidence.size() == correct.size(); weight empty or of that size
// with a positive sum; confidences in [0, 1].
// Throws std::invalid_argument when the sizes or the weight sum are wrong.
SmoothEceResult SmoothEce(std::span<const double> confidence, std::span<const std::uint8_t> correct,
                          std::span<const std::uint32_t> weight = {});

// Returns smECE_sigma at a given bandwidth (the quantity whose fixed point
// SmoothEce finds). Same requirements; sigma > 0.
double SmoothEceAtBandwidth(std::span<const double> confidence,
                            std::span<const std::uint8_t> correct,
                            std::span<const std::uint32_t> weight, double sigma);

}  // namespace llmcal::calibration
