#include "calibration/base_recalibration.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "calibration/temperature_scaling.h"

namespace llmcal::calibration {

BaseRecalibration RecalibrateFromBase(const ChoiceProbabilities& it,
                                      const ChoiceProbabilities& pt) {
  if (it.size() != pt.size())
    throw std::invalid_argument("the aligned and the base model have different item counts");
  ChoiceProbabilities agreeing;
  std::vector<double> targets;
  for (std::size_t i = 0; i < it.size(); ++i) {
    if (it.num_choices(i) != pt.num_choices(i)) {
      throw std::invalid_argument(
          "item " + std::to_string(i) + " has " + std::to_string(it.num_choices(i)) +
          " choices for one model and " + std::to_string(pt.num_choices(i)) + " for the other");
    }
    if (it.predicted(i) != pt.predicted(i))
      continue;
    agreeing.Add(it.probs(i), it.gold(i));
    targets.insert(targets.end(), pt.probs(i).begin(), pt.probs(i).end());
  }
  if (agreeing.empty())
    throw std::invalid_argument("the two models agree on no item: nothing to fit on");
  BaseRecalibration result;
  result.agreeing_items = agreeing.size();
  result.temperature = FitTemperatureToTargets(agreeing, targets);
  result.recalibrated = ApplyTemperature(it, result.temperature);
  return result;
}

}  // namespace llmcal::calibration
