// `llmcal calibrate`'s whole output in one format: the tables of
// report/calibrate_tables.h, or the JSON document of report/calibrate_json.h.
//
//   const analysis::CalibrateReport report = analysis::Calibrate(request);
//   std::fputs(RenderCalibrateReport(report, TableFormat::kMarkdown).c_str(), stdout);
#pragma once

#include <string>

#include "analysis/calibrate.h"
#include "report/table.h"

namespace llmcal::report {

// Returns the report rendered in `format`: the tables of CalibrateTables
// separated by a blank line, or for kJson the indented JSON document; ends
// with a line break. REQUIRES and Throws as CalibrateTables (except kJson).
std::string RenderCalibrateReport(const analysis::CalibrateReport& report, TableFormat format);

}  // namespace llmcal::report
