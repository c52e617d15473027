// Samples shared by the calibration suites.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/choice_probabilities.h"

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

}  // namespace llmcal::calibration::testing
