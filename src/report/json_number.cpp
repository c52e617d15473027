#include "report/json_number.h"

#include <cmath>

namespace llmcal::report {

nlohmann::ordered_json JsonNumber(double v) {
  if (std::isnan(v))
    return nullptr;
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  return v;
}

}  // namespace llmcal::report
