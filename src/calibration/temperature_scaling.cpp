#include "calibration/temperature_scaling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace llmcal::calibration {

namespace {

// Returns d/d(beta) of the mean cross-entropy at inverse temperature beta:
// (1/n) sum_i (E_{q_i}[s] - E_{t_i}[s]), s = log p, q_i = softmax(beta * s_i),
// t_i the targets. It increases with beta (its derivative is a variance).
double CrossEntropySlope(const ChoiceProbabilities& data, std::span<const double> targets,
                         double beta) {
  double slope = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::span<const double> p = data.probs(i);
    const std::span<const double> t = targets.subspan(data.offsets()[i], p.size());
    double max_s = -std::numeric_limits<double>::infinity();
    for (double pk : p) {
      if (pk > 0)
        max_s = std::max(max_s, std::log(pk));
    }
    double weight_sum = 0, weighted_s = 0, target_s = 0;
    for (std::size_t k = 0; k < p.size(); ++k) {
      if (p[k] <= 0)
        continue;  // q = 0 whatever beta, and the target is 0 there too
      const double s = std::log(p[k]);
      const double q = std::exp(beta * (s - max_s));
      weight_sum += q;
      weighted_s += q * s;
      target_s += t[k] * s;
    }
    slope += weighted_s / weight_sum - target_s;
  }
  return slope / static_cast<double>(data.size());
}

}  // namespace

ItemSplit SplitItems(std::size_t n, double fit_fraction) {
  if (!(fit_fraction > 0 && fit_fraction < 1)) {
    throw std::invalid_argument("the temperature split must be a fraction in (0, 1)");
  }
  ItemSplit split;
  for (std::size_t i = 0; i < n; ++i) {
    const bool fit = std::floor(static_cast<double>(i + 1) * fit_fraction) >
                     std::floor(static_cast<double>(i) * fit_fraction);
    (fit ? split.fit : split.held_out).push_back(i);
  }
  return split;
}

ChoiceProbabilities Subset(const ChoiceProbabilities& data, std::span<const std::size_t> indices) {
  ChoiceProbabilities subset;
  for (std::size_t i : indices)
    subset.Add(data.probs(i), data.gold(i));
  return subset;
}

ChoiceProbabilities ApplyTemperature(const ChoiceProbabilities& data, double temperature) {
  if (!(temperature > 0) || !std::isfinite(temperature)) {
    throw std::invalid_argument("the temperature must be positive and finite");
  }
  ChoiceProbabilities scaled;
  scaled.Reserve(data.size(), data.flat_probs().size());
  std::vector<double> scores;
  for (std::size_t i = 0; i < data.size(); ++i) {
    scores.clear();
    for (double p : data.probs(i))
      scores.push_back(std::log(p) / temperature);
    scaled.AddScores(scores, data.gold(i));
  }
  return scaled;
}

double FitTemperature(const ChoiceProbabilities& data) {
  std::vector<double> one_hot(data.flat_probs().size(), 0.0);
  for (std::size_t i = 0; i < data.size(); ++i)
    one_hot[data.offsets()[i] + static_cast<std::size_t>(data.gold(i))] = 1;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data.probs(i)[static_cast<std::size_t>(data.gold(i))] <= 0) {
      throw std::invalid_argument("item " + std::to_string(i) +
                                  " gives its gold choice probability 0: its NLL is infinite "
                                  "at every temperature");
    }
  }
  return FitTemperatureToTargets(data, one_hot);
}

double FitTemperatureToTargets(const ChoiceProbabilities& data, std::span<const double> targets) {
  if (data.empty())
    throw std::invalid_argument("no items to fit a temperature on");
  if (targets.size() != data.flat_probs().size())
    throw std::invalid_argument("the targets do not match the probabilities");
  for (std::size_t e = 0; e < targets.size(); ++e) {
    if (!std::isfinite(targets[e]) || targets[e] < 0)
      throw std::invalid_argument("a target is negative or not finite");
    if (targets[e] > 0 && data.flat_probs()[e] <= 0) {
      throw std::invalid_argument(
          "a target puts mass on a choice of probability 0: its cross-entropy is infinite at "
          "every temperature");
    }
  }
  // Search u = log(beta), beta = 1/T; the slope in beta has the sign of the slope in u.
  double lo = -std::log(kMaxTemperature);
  double hi = -std::log(kMinTemperature);
  if (CrossEntropySlope(data, targets, std::exp(lo)) >= 0)
    return kMaxTemperature;
  if (CrossEntropySlope(data, targets, std::exp(hi)) <= 0)
    return kMinTemperature;
  while (hi - lo > 1e-12) {
    const double mid = 0.5 * (lo + hi);
    if (CrossEntropySlope(data, targets, std::exp(mid)) < 0) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return std::exp(-0.5 * (lo + hi));
}

TemperatureScaling ScaleTemperature(const ChoiceProbabilities& data, double fit_fraction) {
  const ItemSplit split = SplitItems(data.size(), fit_fraction);
  if (split.fit.empty() || split.held_out.empty()) {
    throw std::invalid_argument("the temperature split leaves " + std::to_string(split.fit.size()) +
                                " items to fit and " + std::to_string(split.held_out.size()) +
                                " to evaluate; both need at least one");
  }
  TemperatureScaling result;
  result.fit_items = split.fit.size();
  result.temperature = FitTemperature(Subset(data, split.fit));
  result.held_out = Subset(data, split.held_out);
  result.scaled = ApplyTemperature(result.held_out, result.temperature);
  return result;
}

}  // namespace llmcal::calibration
