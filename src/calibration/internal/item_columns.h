// Internal to the metric evaluator: the per-item top-label columns that
// several metric families read (confidence, correctness, prediction, gold).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "calibration/choice_probabilities.h"

namespace llmcal::calibration::internal {

struct ItemColumns {
  std::vector<double> conf;           // c_i = max_k p_ik
  std::vector<std::uint8_t> correct;  // 1[prediction == gold]
  std::vector<std::uint32_t> predicted;
  std::vector<std::uint32_t> gold;
  std::size_t classes = 0;  // the largest K_i: the class set of the whole sample

  // REQUIRES: data has fewer than 2^32 items.
  static ItemColumns From(const ChoiceProbabilities& data) {
    ItemColumns c;
    const std::size_t n = data.size();
    c.conf.resize(n);
    c.correct.resize(n);
    c.predicted.resize(n);
    c.gold.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto predicted = static_cast<std::uint32_t>(data.predicted(i));
      c.predicted[i] = predicted;
      c.gold[i] = static_cast<std::uint32_t>(data.gold(i));
      c.conf[i] = data.probs(i)[predicted];
      c.correct[i] = predicted == c.gold[i] ? 1 : 0;
    }
    c.classes = data.max_choices();
    return c;
  }
};

}  // namespace llmcal::calibration::internal
