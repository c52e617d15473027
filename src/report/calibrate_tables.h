// The output of `llmcal calibrate`: a calibration::CalibrateReport as result
// tables (report/table.h), and the whole report rendered in any TableFormat.
//
//   const calibration::CalibrateReport report = calibration::Calibrate(request);
//   std::fputs(RenderCalibrateReport(report, TableFormat::kMarkdown).c_str(), stdout);
//
// What each format holds:
//   table, md, latex, html  every table of the report, one after the other:
//                           the metrics, then temperature scaling, base
//                           recalibration, the binned and the smooth
//                           reliability diagrams and the letter-bias table,
//                           each when the report holds it
//   csv                     one table: the binned reliability diagram when the
//                           report holds one, else the letter-bias table when
//                           it holds one, else ScopedMetricsTable; never both
//                           optional tables (one table per CSV file)
//   json                    the JSON document of report/calibrate_json.h
//
// Cells keep full precision. A metric's interval, and its count of resamples,
// are empty when the report was not bootstrapped (resamples == 0); an
// interval is empty when no resample defines it. Intervals are at
// calibration::kIntervalLevel.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "calibration/calibrate.h"
#include "report/table.h"

namespace llmcal::report {

// The name of answer position k (0-based) in the letter-bias tables: "A" to
// "Z", then the number itself ("26", ...). PositionName(1) == "B".
std::string PositionName(std::size_t k);

// metric, value, ci, ci_resamples (resamples on which the metric is defined),
// reason (why a value is undefined; "infinite" for an infinite one): one row
// per estimate, in order. `resamples` is the report's resample count.
Table MetricEstimatesTable(std::string title, const calibration::MetricEstimates& estimates,
                           int resamples);

// scope and then MetricEstimatesTable's columns, for every estimate of the
// report: scope "all" (every item); "held_out_before" and "held_out_after"
// with temperature scaling; "base", "recalibrated_base_t" and
// "recalibrated_gold_t" with base recalibration (the input as given is "all").
// The CSV output's header: scope,metric,value,ci_lo,ci_hi,ci_resamples,reason.
Table ScopedMetricsTable(const calibration::CalibrateReport& report);

// metric, then value and interval before and after scaling by the fitted
// temperature, on the held-out items. The title gives the temperature and the
// item counts; the note lists the values that are undefined (with the reason)
// and the intervals over fewer than `resamples` resamples.
// REQUIRES: before and after hold the same metrics in the same order (as
// Calibrate makes them). Throws std::invalid_argument otherwise.
Table TemperatureScalingTable(const calibration::TemperatureSplitReport& scaling, int resamples);

// metric, then value and interval of the base model, the input as given, the
// input scaled by the base-fitted temperature and by the gold-fitted one. The
// title names the reference and gives both temperatures; the note as
// TemperatureScalingTable's.
// REQUIRES: the four estimate lists hold the same metrics in the same order
// (as Calibrate makes them). Throws std::invalid_argument otherwise.
Table BaseRecalibrationTable(const calibration::BaseRecalibrationReport& recalibration,
                             int resamples);

// bin (0-based), lo, hi, count, confidence, accuracy, accuracy_ci: one row per
// equal-width bin; confidence and accuracy are empty for an empty bin. The note
// lists the bins whose interval rests on fewer than `resamples` resamples (a
// bin may be empty in a resample).
Table ReliabilityTable(const std::vector<calibration::ReliabilityBin>& bins, int resamples);

// t, accuracy, accuracy_ci, density: one row per mesh point. The title gives
// the bandwidth sigma and the smooth ECE.
Table SmoothReliabilityTable(const calibration::SmoothReliability& curve, int resamples);

// position, then prediction_rate, gold_rate, recall and ece, each followed by
// its interval (KEY_ci): one row per answer position. The note lists the
// recall and ECE intervals over fewer than `resamples` resamples.
Table LetterBiasTable(const std::vector<calibration::LetterBiasRow>& rows, int resamples);

// The tables RenderCalibrateReport writes in `format`, in order (above).
// REQUIRES: format is not kJson; for kCsv, the report does not hold both a
// reliability diagram and a letter-bias table. Throws std::invalid_argument
// otherwise.
std::vector<Table> CalibrateTables(const calibration::CalibrateReport& report, TableFormat format);

// Returns the report rendered in `format`: the tables of CalibrateTables
// separated by a blank line, or for kJson the indented JSON document; ends
// with a line break. REQUIRES and Throws as CalibrateTables (except kJson).
std::string RenderCalibrateReport(const calibration::CalibrateReport& report, TableFormat format);

}  // namespace llmcal::report
