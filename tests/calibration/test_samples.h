// Samples shared by the calibration suites.
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/choice_probabilities.h"
#include "calibration/metric_table.h"
#include "calibration/metrics.h"

namespace llmcal::calibration::testing {

struct Item {
  std::vector<double> probs;
  int gold;
};

inline ChoiceProbabilities Make(const std::vector<Item>& items) {
  ChoiceProbabilities data;
  for (const Item& item : items)
    data.Add(item.probs, item.gold);
  return data;
}

// A uniform double in [0, 1) from 53 random bits.
inline double Uniform(SplitMix64& rng) {
  return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53;
}

// Draws index k with probability p[k].
inline int Draw(SplitMix64& rng, const std::vector<double>& p) {
  double u = Uniform(rng);
  for (std::size_t k = 0; k + 1 < p.size(); ++k) {
    if (u < p[k])
      return static_cast<int>(k);
    u -= p[k];
  }
  return static_cast<int>(p.size()) - 1;
}

// n items of `choices` choices whose probabilities are softmax(z) with
// z_k = spread * (uniform - 0.5); the gold label is drawn from
// softmax(z / label_temperature). label_temperature 1 gives a calibrated model;
// above 1 an overconfident one.
inline ChoiceProbabilities RandomSample(std::size_t n, int choices, double spread,
                                        double label_temperature, std::uint64_t seed) {
  SplitMix64 rng(seed);
  ChoiceProbabilities data;
  std::vector<double> z(static_cast<std::size_t>(choices));
  std::vector<double> p(z.size());
  std::vector<double> truth(z.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (double& v : z)
      v = spread * (Uniform(rng) - 0.5);
    Softmax(z, p);
    for (std::size_t k = 0; k < z.size(); ++k)
      truth[k] = z[k] / label_temperature;
    Softmax(truth, truth);
    data.Add(p, Draw(rng, truth));
  }
  return data;
}

// n items with 2 to max_choices choices (at least 2), probabilities w_k / sum w
// for integer weights w_k in 1..levels: many exact ties, values on bin edges
// (0.5, 0.25, 0.2, ...), and different K. Gold drawn from the probabilities.
inline ChoiceProbabilities TiedMixedSample(std::size_t n, int max_choices, int levels,
                                           std::uint64_t seed) {
  SplitMix64 rng(seed);
  ChoiceProbabilities data;
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = 2 + rng.UniformBelow(static_cast<std::uint64_t>(max_choices - 1));
    std::vector<double> p(k);
    double sum = 0;
    for (double& v : p) {
      v = static_cast<double>(1 + rng.UniformBelow(static_cast<std::uint64_t>(levels)));
      sum += v;
    }
    for (double& v : p)
      v /= sum;
    data.Add(p, Draw(rng, p));
  }
  return data;
}

// The value of metric `name` (a MetricSpec name) over `data`.
inline double MetricOf(const ChoiceProbabilities& data, std::string_view name,
                       BinOptions bins = {}) {
  return ComputeMetrics(data, {ParseMetricSpec(name)}, bins).front().value;
}

}  // namespace llmcal::calibration::testing
