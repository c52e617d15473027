// Temperature scaling (Guo et al. 2017), beyond the paper: one temperature T
// per (model, task, method), fitted by minimizing the NLL on one part of the
// items, then applied to the other part, whose metrics are reported before
// and after. It tells whether alignment's damage to calibration is only a
// matter of temperature.
//
// Scaling divides each item's log-probabilities by T and renormalizes:
// p'_k = p_k^(1/T) / sum_j p_j^(1/T), the same as dividing the scores that
// gave p. The prediction (argmax) never changes; only the confidence does.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "calibration/choice_probabilities.h"

namespace llmcal::calibration {

// The deterministic split: item i (0-based, input order) belongs to the
// fitting part iff floor((i + 1) * F) > floor(i * F), which spreads about
// F * N fitting items evenly through the input (F = 0.5: items 1, 3, 5, ...),
// so an input sorted by subject or difficulty still splits evenly.
struct ItemSplit {
  std::vector<std::size_t> fit;
  std::vector<std::size_t> held_out;
};

// Returns the split of n items with fitting fraction F.
// REQUIRES: 0 < F < 1. Throws std::invalid_argument otherwise.
ItemSplit SplitItems(std::size_t n, double fit_fraction);

// Returns the items of `data` at `indices`, in that order. REQUIRES: indices < data.size().
ChoiceProbabilities Subset(const ChoiceProbabilities& data, std::span<const std::size_t> indices);

// Returns `data` scaled by temperature T. REQUIRES: T > 0 and finite.
ChoiceProbabilities ApplyTemperature(const ChoiceProbabilities& data, double temperature);

// Smallest and largest temperature searched; an optimum outside is clamped.
inline constexpr double kMinTemperature = 1e-4;
inline constexpr double kMaxTemperature = 1e4;

// Returns the T in [kMinTemperature, kMaxTemperature] minimizing the mean NLL
// of `data` scaled by T. The NLL is convex in 1/T, so the root of its
// derivative is found by bisection on log(1/T) to relative precision 1e-12.
// REQUIRES: data non-empty, no gold choice with probability 0 (its NLL is
// infinite whatever T). Throws std::invalid_argument otherwise.
double FitTemperature(const ChoiceProbabilities& data);

// Returns the T in [kMinTemperature, kMaxTemperature] minimizing the mean
// cross-entropy sum over items of CE(t_i, p_i scaled by T), with soft targets
// t_i: targets[offsets[i] + k] is t_ik (data's flat layout), each item's
// targets summing to 1. FitTemperature is the case of one-hot targets at the
// gold choices. Convex in 1/T, solved as FitTemperature.
// REQUIRES: data non-empty; targets.size() == data.flat_probs().size(), each
// finite and >= 0; no target > 0 on a choice of probability 0 (its
// cross-entropy is infinite whatever T). Throws std::invalid_argument otherwise.
double FitTemperatureToTargets(const ChoiceProbabilities& data, std::span<const double> targets);

struct TemperatureScaling {
  double temperature = 1;
  std::size_t fit_items = 0;
  ChoiceProbabilities held_out;  // the evaluation part as given
  ChoiceProbabilities scaled;    // the evaluation part scaled by `temperature`
};

// Splits `data` (SplitItems), fits T on the fitting part and scales the other.
// REQUIRES: both parts non-empty; as FitTemperature for the fitting part.
// Throws std::invalid_argument otherwise.
TemperatureScaling ScaleTemperature(const ChoiceProbabilities& data, double fit_fraction);

}  // namespace llmcal::calibration
