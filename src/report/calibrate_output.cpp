#include "report/calibrate_output.h"

#include <fmt/format.h>

#include <vector>

#include "report/calibrate_json.h"
#include "report/calibrate_tables.h"

namespace llmcal::report {

std::string RenderCalibrateReport(const analysis::CalibrateReport& report, TableFormat format) {
  if (format == TableFormat::kJson)
    return CalibrateReportJson(report).dump(2) + "\n";
  std::vector<std::string> rendered;
  for (const Table& table : CalibrateTables(report, format))
    rendered.push_back(RenderTable(table, format));
  return fmt::format("{}", fmt::join(rendered, "\n"));
}

}  // namespace llmcal::report
