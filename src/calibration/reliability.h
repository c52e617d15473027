// Reliability diagrams as plain data, for reports and figures: how accuracy
// follows top-label confidence c_i = max_k p_ik, each with a bootstrap band.
//
// Binned: `bins` equal-width bins of the confidence (binning.h), per bin the
// count, mean confidence and accuracy (the bins of the `ece` metric), and the
// percentile band of the bin's accuracy over the resamples where the bin is
// not empty.
//
// Smooth: relplot's smooth reliability diagram (Blasiok and Nakkiran 2023;
// relplot 1.0.3 `prepare_rel_diagram`): at the smooth-ECE fixed-point
// bandwidth sigma*, the kernel-smoothed accuracy
//   mu(t) = sum_i K(t, c_i) y_i / sum_i K(t, c_i)
// and the kernel density of the confidences
//   density(t) = (1/N) sum_i K(t, c_i)
// with K the reflected Gaussian kernel of smooth_ece.h, on the mesh
// t = 0, 1/(M-1), ..., 1. mu is undefined (NaN) where no confidence lies within
// 6 sigma* (the kernel's reach). The band of mu(t) is the percentile band over
// resamples, smoothed at the same sigma* (as relplot bags its smoother at a
// fixed bandwidth).
//
// Both are deterministic for a seed, whatever the thread count (bootstrap.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/choice_probabilities.h"

namespace llmcal::calibration {

// One equal-width bin. confidence and accuracy are NaN when count == 0.
struct ConfidenceBin {
  double lo = 0;  // lower edge (inclusive)
  double hi = 0;  // upper edge (exclusive; inclusive for the last bin)
  std::uint64_t count = 0;
  double confidence = 0;  // mean top-label confidence
  double accuracy = 0;    // share of correct predictions
  Band accuracy_band;     // empty (0 resamples) when not bootstrapped
};

// Returns the binned diagram of `data` with `bins` bins; with options, each
// bin's accuracy band over options->resamples resamples.
// REQUIRES: data non-empty, bins >= 1. Throws std::invalid_argument otherwise.
std::vector<ConfidenceBin> BinnedReliability(const ChoiceProbabilities& data, int bins,
                                             const BootstrapOptions* options = nullptr);

// Mesh points of the smooth diagram (t = 0, 0.005, ..., 1).
inline constexpr std::size_t kSmoothMeshPoints = 201;

struct SmoothReliabilityPoint {
  double t = 0;
  double accuracy = 0;  // mu(t); NaN where undefined
  double density = 0;   // kernel density of the confidences at t
  Band accuracy_band;   // empty (0 resamples) when not bootstrapped
};

struct SmoothReliability {
  double sigma = 0;                            // the bandwidth: smooth ECE's fixed point
  double smece = 0;                            // smooth ECE at sigma
  std::vector<SmoothReliabilityPoint> points;  // kSmoothMeshPoints, t ascending
};

// Returns the smooth diagram of `data`; with options, the band of mu(t).
// REQUIRES: data non-empty. Throws std::invalid_argument otherwise.
SmoothReliability SmoothReliabilityCurve(const ChoiceProbabilities& data,
                                         const BootstrapOptions* options = nullptr);

}  // namespace llmcal::calibration
