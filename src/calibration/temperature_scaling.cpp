#include "calibration/temperature_scaling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace llmcal::calibration {

namespace {

// Returns d/d(beta) of the mean NLL at inverse temperature beta:
// (1/n) sum_i (E_{q_i}[s] - s_{i,gold}), s = log p, q_i = softmax(beta * s_i).
// It increases with beta (its derivative is a variance).
double NllSlope(const ChoiceProbabilities& data, double beta) {
  double slope = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::span<const double> p = data.probs(i);
    double max_s = -std::numeric_limits<double>::infinity();
    for (double pk : p) {
      if (pk > 0)
        max_s = std::max(max_s, std::log(pk));
    }
    double weight_sum = 0, weighted_s = 0;
    for (double pk : p) {
      if (pk <= 0)
        continue;  // q = 0 whatever beta
      const double s = std::log(pk);
      const double q = std::exp(beta * (s - max_s));
      weight_sum += q;
      weighted_s += q * s;
    }
    slope += weighted_s / weight_sum - std::log(p[static_cast<std::size_t>(data.gold(i))]);
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
  if (data.empty())
    throw std::invalid_argument("no items to fit a temperature on");
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data.probs(i)[static_cast<std::size_t>(data.gold(i))] <= 0) {
      throw std::invalid_argument("item " + std::to_string(i) +
                                  " gives its gold choice probability 0: its NLL is infinite "
                                  "at every temperature");
    }
  }
  // Search u = log(beta), beta = 1/T; the slope in beta has the sign of the slope in u.
  double lo = -std::log(kMaxTemperature);
  double hi = -std::log(kMinTemperature);
  if (NllSlope(data, std::exp(lo)) >= 0)
    return kMaxTemperature;
  if (NllSlope(data, std::exp(hi)) <= 0)
    return kMinTemperature;
  while (hi - lo > 1e-12) {
    const double mid = 0.5 * (lo + hi);
    if (NllSlope(data, std::exp(mid)) < 0) {
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
