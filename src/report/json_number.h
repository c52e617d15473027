// How the report's JSON writes a double, in one place: a number, null for NaN
// (undefined or missing), and the strings "inf" / "-inf" for infinities, which
// JSON cannot hold. Tables (report/table.h) and the results file
// (report/study_results_json.h) both write numbers this way.
#pragma once

#include <nlohmann/json.hpp>

namespace llmcal::report {

// JsonNumber(0.5) == 0.5, JsonNumber(NaN) == null, JsonNumber(-inf) == "-inf".
nlohmann::ordered_json JsonNumber(double v);

}  // namespace llmcal::report
