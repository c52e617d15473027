#include "report/calibrate_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "report/calibrate_json.h"

namespace llmcal::report {

namespace {

namespace cal = calibration;

std::string LevelLabel() {
  return fmt::format("{:g}% CI", cal::kIntervalLevel * 100);
}

Column IntervalColumn(std::string key) {
  return Column::Interval(std::move(key), LevelLabel());
}

Cell Integer(std::uint64_t n) {
  return static_cast<std::int64_t>(n);
}

// An undefined value is an empty cell; an infinite one stays a number.
Cell ValueCell(const cal::MetricValue& value) {
  return value.defined() ? Cell(value.value) : Cell();
}

// Blank, not empty, when there is nothing to explain: the display formats
// show an empty cell as "-".
std::string Reason(const cal::MetricValue& value) {
  if (!value.defined())
    return std::string(value.reason);
  return std::isinf(value.value) ? "infinite" : "";
}

Cell BandCell(const cal::Band& band, int resamples) {
  return resamples && band.defined() ? Cell(band.interval) : Cell();
}

Cell ResamplesCell(const cal::Band& band, int resamples) {
  return resamples ? Integer(static_cast<std::uint64_t>(band.defined_resamples)) : Cell();
}

std::vector<Column> EstimateColumns() {
  return {Column::Text("metric", "metric"), Column::Number("value", "value"), IntervalColumn("ci"),
          Column::Integer("ci_resamples", "resamples"), Column::Text("reason", "reason")};
}

std::vector<Cell> EstimateCells(const cal::MetricEstimate& e, int resamples) {
  return {e.spec.Name(), ValueCell(e.value), BandCell(e.band, resamples),
          ResamplesCell(e.band, resamples), Reason(e.value)};
}

// One column pair (value, interval) of a side-by-side table.
struct Side {
  std::string key;    // "before"; the interval's key is "before_ci"
  std::string label;  // "before"
  const cal::MetricEstimates* estimates;
};

bool SameMetrics(const cal::MetricEstimates& a, const cal::MetricEstimates& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return x.spec == y.spec; });
}

// "WHERE: interval over K of R resamples" when the interval of a value that
// is a number rests on fewer than all R resamples (the others do not define
// it); nullopt otherwise.
std::optional<std::string> ResampleRemark(std::string_view where, double value,
                                          const cal::Band& band, int resamples) {
  if (!resamples || std::isnan(value) || band.defined_resamples >= resamples)
    return std::nullopt;
  return fmt::format("{}: interval over {} of {} resamples", where, band.defined_resamples,
                     resamples);
}

// A table's note made of remarks: "a; b." or "" for none.
std::string Note(const std::vector<std::string>& remarks) {
  return remarks.empty() ? "" : fmt::format("{}.", fmt::join(remarks, "; "));
}

// What a side-by-side table's cells cannot show: why a value is undefined, and
// that an interval rests on fewer than all resamples.
std::string SideBySideNote(const std::vector<Side>& sides, int resamples) {
  std::vector<std::string> remarks;
  for (std::size_t j = 0; j < sides.front().estimates->size(); ++j) {
    for (const Side& side : sides) {
      const cal::MetricEstimate& e = (*side.estimates)[j];
      const std::string where = fmt::format("{} {}", e.spec.Name(), side.label);
      if (!e.value.defined()) {
        remarks.push_back(fmt::format("{}: undefined ({})", where, e.value.reason));
      } else if (auto remark = ResampleRemark(where, e.value.value, e.band, resamples)) {
        remarks.push_back(std::move(*remark));
      }
    }
  }
  return Note(remarks);
}

// metric, then a value and an interval per side. REQUIRES: every side holds
// the metrics of the first, in its order.
Table SideBySideTable(std::string title, const std::vector<Side>& sides, int resamples) {
  std::vector<Column> columns = {Column::Text("metric", "metric")};
  for (const Side& side : sides) {
    if (!SameMetrics(*side.estimates, *sides.front().estimates))
      throw std::invalid_argument(fmt::format("'{}': the sides hold different metrics", title));
    columns.push_back(Column::Number(side.key, side.label));
    columns.push_back(IntervalColumn(side.key + "_ci"));
  }
  Table table(std::move(title), std::move(columns));
  for (std::size_t j = 0; j < sides.front().estimates->size(); ++j) {
    std::vector<Cell> row = {(*sides.front().estimates)[j].spec.Name()};
    for (const Side& side : sides) {
      const cal::MetricEstimate& e = (*side.estimates)[j];
      row.push_back(ValueCell(e.value));
      row.push_back(BandCell(e.band, resamples));
    }
    table.AddRow(std::move(row));
  }
  table.set_note(SideBySideNote(sides, resamples));
  return table;
}

std::string MetricsTitle(const cal::CalibrateReport& report) {
  const std::string bootstrap = report.resamples ? fmt::format("{} bootstrap resamples (seed {})",
                                                               report.resamples, report.seed)
                                                 : std::string("no bootstrap");
  return fmt::format("Calibration metrics: {} items, {} bins ({} for ece_cl and sce_cl), {}",
                     report.n, report.bins.bins, report.bins.cl_bins, bootstrap);
}

Table CsvTable(const cal::CalibrateReport& report) {
  if (report.reliability && report.letter_bias) {
    throw std::invalid_argument(
        "CSV holds one table: a reliability diagram or a letter-bias table, not both");
  }
  if (report.reliability)
    return ReliabilityTable(*report.reliability, report.resamples);
  if (report.letter_bias)
    return LetterBiasTable(*report.letter_bias, report.resamples);
  return ScopedMetricsTable(report);
}

}  // namespace

std::string PositionName(std::size_t k) {
  return k < 26 ? std::string(1, static_cast<char>('A' + k)) : std::to_string(k);
}

Table MetricEstimatesTable(std::string title, const cal::MetricEstimates& estimates,
                           int resamples) {
  Table table(std::move(title), EstimateColumns());
  for (const cal::MetricEstimate& e : estimates)
    table.AddRow(EstimateCells(e, resamples));
  return table;
}

Table ScopedMetricsTable(const cal::CalibrateReport& report) {
  std::vector<std::pair<std::string, const cal::MetricEstimates*>> scopes = {
      {"all", &report.metrics}};
  if (report.temperature) {
    scopes.emplace_back("held_out_before", &report.temperature->before);
    scopes.emplace_back("held_out_after", &report.temperature->after);
  }
  if (report.recalibration) {
    scopes.emplace_back("base", &report.recalibration->base);
    scopes.emplace_back("recalibrated_base_t", &report.recalibration->after);
    scopes.emplace_back("recalibrated_gold_t", &report.recalibration->supervised);
  }
  std::vector<Column> columns = EstimateColumns();
  columns.insert(columns.begin(), Column::Text("scope", "scope"));
  Table table("Calibration metrics by scope", std::move(columns));
  for (const auto& [scope, estimates] : scopes) {
    for (const cal::MetricEstimate& e : *estimates) {
      std::vector<Cell> row = EstimateCells(e, report.resamples);
      row.insert(row.begin(), scope);
      table.AddRow(std::move(row));
    }
  }
  return table;
}

Table TemperatureScalingTable(const cal::TemperatureSplitReport& scaling, int resamples) {
  return SideBySideTable(
      fmt::format("Temperature scaling: T = {:.4f} fitted on {} items, metrics on the {} others",
                  scaling.temperature, scaling.fit_items, scaling.held_out_items),
      {{"before", "before", &scaling.before}, {"after", "after", &scaling.after}}, resamples);
}

Table BaseRecalibrationTable(const cal::BaseRecalibrationReport& r, int resamples) {
  return SideBySideTable(
      fmt::format("Recalibration from the base model {}: T = {:.4f} fitted without labels on the "
                  "{} items where both models predict the same choice; gold T = {:.4f} fitted "
                  "on the gold labels of every item",
                  r.reference, r.temperature, r.agreeing_items, r.supervised_temperature),
      {{"base", "base", &r.base},
       {"input", "input", &r.before},
       {"base_t", "base T", &r.after},
       {"gold_t", "gold T", &r.supervised}},
      resamples);
}

Table ReliabilityTable(const std::vector<cal::ReliabilityBin>& bins, int resamples) {
  Table table(
      fmt::format("Reliability diagram: top-label confidence in {} equal-width bins", bins.size()),
      {Column::Integer("bin", "bin"), Column::Number("lo", "from", 3),
       Column::Number("hi", "to", 3), Column::Integer("count", "count"),
       Column::Number("confidence", "confidence"), Column::Number("accuracy", "accuracy"),
       IntervalColumn("accuracy_ci")});
  std::vector<std::string> remarks;
  for (std::size_t b = 0; b < bins.size(); ++b) {
    const cal::ReliabilityBin& bin = bins[b];
    table.AddRow({Integer(b), bin.lo, bin.hi, Integer(bin.count), bin.confidence, bin.accuracy,
                  BandCell(bin.accuracy_band, resamples)});
    if (auto remark =
            ResampleRemark(fmt::format("bin {}", b), bin.accuracy, bin.accuracy_band, resamples))
      remarks.push_back(std::move(*remark));
  }
  table.set_note(Note(remarks));
  return table;
}

Table SmoothReliabilityTable(const cal::SmoothReliability& curve, int resamples) {
  Table table(fmt::format("Smooth reliability diagram: sigma = {:.4f}, smooth ECE = {:.4f}",
                          curve.sigma, curve.smece),
              {Column::Number("t", "confidence", 3), Column::Number("accuracy", "accuracy"),
               IntervalColumn("accuracy_ci"), Column::Number("density", "density")});
  for (const cal::SmoothReliabilityPoint& p : curve.points)
    table.AddRow({p.t, p.accuracy, BandCell(p.accuracy_band, resamples), p.density});
  return table;
}

Table LetterBiasTable(const std::vector<cal::LetterBiasRow>& rows, int resamples) {
  Table table(
      "Letter bias per answer position",
      {Column::Text("position", "position"), Column::Number("prediction_rate", "predicted"),
       IntervalColumn("prediction_rate_ci"), Column::Number("gold_rate", "gold rate"),
       IntervalColumn("gold_rate_ci"), Column::Number("recall", "recall"),
       IntervalColumn("recall_ci"), Column::Number("ece", "ECE"), IntervalColumn("ece_ci")});
  std::vector<std::string> remarks;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const cal::LetterBiasRow& r = rows[k];
    table.AddRow({PositionName(k), r.value.prediction_rate, BandCell(r.prediction_rate, resamples),
                  r.value.gold_rate, BandCell(r.gold_rate, resamples), r.value.recall,
                  BandCell(r.recall, resamples), r.value.ece, BandCell(r.ece, resamples)});
    // Rates are defined on every resample; recall and ECE need a gold or a
    // predicted item at the position.
    const std::string position = PositionName(k);
    for (auto remark : {ResampleRemark(position + " recall", r.value.recall, r.recall, resamples),
                        ResampleRemark(position + " ECE", r.value.ece, r.ece, resamples)}) {
      if (remark)
        remarks.push_back(std::move(*remark));
    }
  }
  table.set_note(Note(remarks));
  return table;
}

std::vector<Table> CalibrateTables(const cal::CalibrateReport& report, TableFormat format) {
  if (format == TableFormat::kJson)
    throw std::invalid_argument("the JSON output is a document, not tables");
  if (format == TableFormat::kCsv)
    return {CsvTable(report)};
  const int resamples = report.resamples;
  std::vector<Table> tables = {
      MetricEstimatesTable(MetricsTitle(report), report.metrics, resamples)};
  if (report.temperature)
    tables.push_back(TemperatureScalingTable(*report.temperature, resamples));
  if (report.recalibration)
    tables.push_back(BaseRecalibrationTable(*report.recalibration, resamples));
  if (report.reliability)
    tables.push_back(ReliabilityTable(*report.reliability, resamples));
  if (report.smooth_reliability)
    tables.push_back(SmoothReliabilityTable(*report.smooth_reliability, resamples));
  if (report.letter_bias)
    tables.push_back(LetterBiasTable(*report.letter_bias, resamples));
  return tables;
}

std::string RenderCalibrateReport(const cal::CalibrateReport& report, TableFormat format) {
  if (format == TableFormat::kJson)
    return CalibrateReportJson(report).dump(2) + "\n";
  std::vector<std::string> rendered;
  for (const Table& table : CalibrateTables(report, format))
    rendered.push_back(RenderTable(table, format));
  return fmt::format("{}", fmt::join(rendered, "\n"));
}

}  // namespace llmcal::report
