// The JSON document of `llmcal calibrate --format json`: one object holding a
// whole analysis::CalibrateReport, in the layout docs/calibration.md
// documents ("Output"). It is not a table (report/table.h): metrics are keyed
// by name and the optional parts nest, so scripts read
// out["metrics"]["ece"]["value"] whatever else was asked for.
//
//   const analysis::CalibrateReport report = analysis::Calibrate(request);
//   std::puts(CalibrateReportJson(report).dump(2).c_str());
//   // {"n": 5, "bins": 10, "cl_bins": 15,
//   //  "metrics": {"ece": {"value": 0.3, "ci": [0.12, 0.5]}, ...}, ...}
//
// Numbers: JSON has no NaN or infinity, so both are null here (unlike the
// tables' "inf", report/json_number.h); an undefined or infinite metric value
// says why in "reason" ("+infinity" for an infinite one).
#pragma once

#include <nlohmann/json.hpp>

#include "analysis/calibrate.h"

namespace llmcal::report {

// Returns `report` as {"n", "bins", "cl_bins", "metrics": {name: {"value",
// "ci": [lo, hi] | null, "ci_resamples" (when fewer than all resamples),
// "reason" (when not a finite number)}}}, plus "temperature_scaling",
// "recalibration", "reliability" with "smooth_reliability", and
// "letter_bias" when the report holds them. Keys keep insertion order:
// metrics appear in the order they were selected.
nlohmann::ordered_json CalibrateReportJson(const analysis::CalibrateReport& report);

}  // namespace llmcal::report
