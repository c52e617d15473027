// The output of `llmcal calibrate` as result tables (report/table.h): an
// analysis::CalibrateReport, table by table. report/calibrate_output.h
// renders the whole report in any format; report/calibrate_json.h is its
// JSON document.
//
//   const analysis::CalibrateReport report = analysis::Calibrate(request);
//   for (const Table& t : CalibrateTables(report, TableFormat::kMarkdown)) ...
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
//
// Cells keep full precision. The bootstrap count and level are the report's
// (report.settings): a metric's interval, and its count of resamples, are
// empty when the report was not bootstrapped (resamples == 0); an interval is
// empty when no resample defines it.
#pragma once

#include <vector>

#include "analysis/calibrate.h"
#include "report/table.h"

namespace llmcal::report {

// metric, value, ci, ci_resamples (resamples on which the metric is defined),
// reason (why a value is undefined; "infinite" for an infinite one): one row
// per metric of the whole input. The title gives the items, bins and bootstrap.
Table CalibrateMetricsTable(const analysis::CalibrateReport& report);

// scope and then CalibrateMetricsTable's columns, for every estimate of the report:
// scope "all" (every item); "held_out_before" and "held_out_after" with
// temperature scaling; "base", "recalibrated_base_t" and
// "recalibrated_gold_t" with base recalibration (the input as given is "all").
// The CSV output's header: scope,metric,value,ci_lo,ci_hi,ci_resamples,reason.
Table ScopedMetricsTable(const analysis::CalibrateReport& report);

// metric, then value and interval before and after scaling by the fitted
// temperature, on the held-out items. The title gives the temperature and the
// item counts; the note lists the values that are undefined (with the reason)
// and the intervals over fewer than all resamples.
// REQUIRES: report.temperature, whose before and after hold the same metrics
// in the same order (as Calibrate makes them). Throws std::invalid_argument otherwise.
Table TemperatureScalingTable(const analysis::CalibrateReport& report);

// metric, then value and interval of the base model, the input as given, the
// input scaled by the base-fitted temperature and by the gold-fitted one. The
// title names the reference and gives both temperatures; the note as
// TemperatureScalingTable's.
// REQUIRES: report.recalibration, whose four estimate lists hold the same
// metrics in the same order. Throws std::invalid_argument otherwise.
Table BaseRecalibrationTable(const analysis::CalibrateReport& report);

// bin (0-based), lo, hi, count, confidence, accuracy, accuracy_ci: one row per
// equal-width bin; confidence and accuracy are empty for an empty bin. The note
// lists the bins whose interval rests on fewer than all resamples (a bin may
// be empty in a resample). REQUIRES: report.reliability; throws
// std::invalid_argument otherwise.
Table ReliabilityTable(const analysis::CalibrateReport& report);

// t, accuracy, accuracy_ci, density: one row per mesh point. The title gives
// the bandwidth sigma and the smooth ECE. REQUIRES: report.reliability;
// throws std::invalid_argument otherwise.
Table SmoothReliabilityTable(const analysis::CalibrateReport& report);

// position, then prediction_rate, gold_rate, recall and ece, each followed by
// its interval (KEY_ci): one row per answer position. The note lists the
// recall and ECE intervals over fewer than all resamples.
// REQUIRES: report.letter_bias; throws std::invalid_argument otherwise.
Table LetterBiasTable(const analysis::CalibrateReport& report);

// The tables of the report in `format`, in order (above).
// REQUIRES: format is not kJson; for kCsv, the report does not hold both a
// reliability diagram and a letter-bias table. Throws std::invalid_argument
// otherwise.
std::vector<Table> CalibrateTables(const analysis::CalibrateReport& report, TableFormat format);

}  // namespace llmcal::report
