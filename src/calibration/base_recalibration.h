// Label-free recalibration of an aligned model from its base model: given the
// base (PT) and aligned (IT) probabilities on the same items, fit one
// temperature T for IT that minimizes
//
//   sum over the items where both predict the same choice of
//   CE(p_PT, softmax(s_IT / T))
//
// (s_IT: IT's scores; softmax(s / T) = softmax(log p / T), so the
// probabilities suffice), with the base's probabilities as soft targets: no
// gold label is used. The solver is temperature scaling's
// (FitTemperatureToTargets). When IT's scores are exactly a times PT's, T = a
// restores PT. Only items where the predictions agree are fitted on: where the
// models disagree, PT's distribution says nothing about how sure IT should be
// of its own answer.
#pragma once

#include <cstddef>

#include "calibration/choice_probabilities.h"

namespace llmcal::calibration {

struct BaseRecalibration {
  double temperature = 1;
  std::size_t agreeing_items = 0;    // the items fitted on
  ChoiceProbabilities recalibrated;  // every IT item scaled by `temperature`
};

// REQUIRES: it and pt of equal size, item i having the same number of choices
// in both; at least one item where the predictions agree; as
// FitTemperatureToTargets (no PT mass on a choice IT gives probability 0).
// Throws std::invalid_argument otherwise.
BaseRecalibration RecalibrateFromBase(const ChoiceProbabilities& it, const ChoiceProbabilities& pt);

}  // namespace llmcal::calibration
