#include "report/calibrate_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace llmcal::report {

namespace {

using analysis::CalibrateReport;
using analysis::MetricEstimate;
using analysis::MetricEstimates;

std::string LevelLabel(const CalibrateReport& report) {
  return fmt::format("{:g}% CI", report.settings.level * 100);
}

Column IntervalColumn(const CalibrateReport& report, std::string key) {
  return Column::Interval(std::move(key), LevelLabel(report));
}

Cell Integer(std::uint64_t n) {
  return static_cast<std::int64_t>(n);
}

// An undefined value is an empty cell; an infinite one stays a number.
Cell ValueCell(const MetricEstimate& e) {
  return e.defined() ? Cell(e.value) : Cell();
}

// Blank, not empty, when there is nothing to explain: the display formats
// show an empty cell as "-".
std::string Reason(const MetricEstimate& e) {
  if (!e.defined())
    return e.undefined_reason;
  return std::isinf(e.value) ? "infinite" : "";
}

Cell IntervalCell(const std::optional<Interval>& ci) {
  return ci ? Cell(*ci) : Cell();
}

std::vector<Column> EstimateColumns(const CalibrateReport& report) {
  return {Column::Text("metric", "metric"), Column::Number("value", "value"),
          IntervalColumn(report, "ci"), Column::Integer("ci_resamples", "resamples"),
          Column::Text("reason", "reason")};
}

std::vector<Cell> EstimateCells(const MetricEstimate& e, const CalibrateReport& report) {
  const Cell resamples =
      report.settings.intervals() ? Integer(static_cast<std::uint64_t>(e.ci_resamples)) : Cell();
  return {e.metric, ValueCell(e), IntervalCell(e.ci), resamples, Reason(e)};
}

// One column pair (value, interval) of a side-by-side table.
struct Side {
  std::string key;    // "before"; the interval's key is "before_ci"
  std::string label;  // "before"
  const MetricEstimates* estimates;
};

bool SameMetrics(const MetricEstimates& a, const MetricEstimates& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return x.metric == y.metric; });
}

// "WHERE: interval over K of R resamples" when the interval of a value that
// is a number rests on fewer than all R resamples (the others do not define
// it); nullopt otherwise.
std::optional<std::string> ResampleRemark(std::string_view where, double value,
                                          int defined_resamples, const CalibrateReport& report) {
  const int resamples = report.settings.resamples;
  if (!resamples || std::isnan(value) || defined_resamples >= resamples)
    return std::nullopt;
  return fmt::format("{}: interval over {} of {} resamples", where, defined_resamples, resamples);
}

// A table's note made of remarks: "a; b." or "" for none.
std::string Note(const std::vector<std::string>& remarks) {
  return remarks.empty() ? "" : fmt::format("{}.", fmt::join(remarks, "; "));
}

// What a side-by-side table's cells cannot show: why a value is undefined, and
// that an interval rests on fewer than all resamples.
std::string SideBySideNote(const std::vector<Side>& sides, const CalibrateReport& report) {
  std::vector<std::string> remarks;
  for (std::size_t j = 0; j < sides.front().estimates->size(); ++j) {
    for (const Side& side : sides) {
      const MetricEstimate& e = (*side.estimates)[j];
      const std::string where = fmt::format("{} {}", e.metric, side.label);
      if (!e.defined()) {
        remarks.push_back(fmt::format("{}: undefined ({})", where, e.undefined_reason));
      } else if (auto remark = ResampleRemark(where, e.value, e.ci_resamples, report)) {
        remarks.push_back(std::move(*remark));
      }
    }
  }
  return Note(remarks);
}

// metric, then a value and an interval per side. REQUIRES: every side holds
// the metrics of the first, in its order.
Table SideBySideTable(std::string title, const std::vector<Side>& sides,
                      const CalibrateReport& report) {
  std::vector<Column> columns = {Column::Text("metric", "metric")};
  for (const Side& side : sides) {
    if (!SameMetrics(*side.estimates, *sides.front().estimates))
      throw std::invalid_argument(fmt::format("'{}': the sides hold different metrics", title));
    columns.push_back(Column::Number(side.key, side.label));
    columns.push_back(IntervalColumn(report, side.key + "_ci"));
  }
  Table table(std::move(title), std::move(columns));
  for (std::size_t j = 0; j < sides.front().estimates->size(); ++j) {
    std::vector<Cell> row = {(*sides.front().estimates)[j].metric};
    for (const Side& side : sides) {
      const MetricEstimate& e = (*side.estimates)[j];
      row.push_back(ValueCell(e));
      row.push_back(IntervalCell(e.ci));
    }
    table.AddRow(std::move(row));
  }
  table.set_note(SideBySideNote(sides, report));
  return table;
}

std::string MetricsTitle(const CalibrateReport& report) {
  const analysis::AnalysisSettings& s = report.settings;
  const std::string bootstrap =
      s.intervals() ? fmt::format("{} bootstrap resamples (seed {})", s.resamples, s.seed)
                    : std::string("no bootstrap");
  return fmt::format("Calibration metrics: {} items, {} bins ({} for ece_cl and sce_cl), {}",
                     report.n, s.bins, report.cl_bins, bootstrap);
}

Table CsvTable(const CalibrateReport& report) {
  if (report.reliability && report.letter_bias) {
    throw std::invalid_argument(
        "CSV holds one table: a reliability diagram or a letter-bias table, not both");
  }
  if (report.reliability)
    return ReliabilityTable(report);
  if (report.letter_bias)
    return LetterBiasTable(report);
  return ScopedMetricsTable(report);
}

template <typename T>
const T& Part(const std::optional<T>& part, const char* table) {
  if (!part)
    throw std::invalid_argument(fmt::format("the report holds no {}", table));
  return *part;
}

}  // namespace

Table CalibrateMetricsTable(const CalibrateReport& report) {
  Table table(MetricsTitle(report), EstimateColumns(report));
  for (const MetricEstimate& e : report.metrics)
    table.AddRow(EstimateCells(e, report));
  return table;
}

Table ScopedMetricsTable(const CalibrateReport& report) {
  std::vector<std::pair<std::string, const MetricEstimates*>> scopes = {{"all", &report.metrics}};
  if (report.temperature) {
    scopes.emplace_back("held_out_before", &report.temperature->before);
    scopes.emplace_back("held_out_after", &report.temperature->after);
  }
  if (report.recalibration) {
    scopes.emplace_back("base", &report.recalibration->base);
    scopes.emplace_back("recalibrated_base_t", &report.recalibration->after);
    scopes.emplace_back("recalibrated_gold_t", &report.recalibration->supervised);
  }
  std::vector<Column> columns = EstimateColumns(report);
  columns.insert(columns.begin(), Column::Text("scope", "scope"));
  Table table("Calibration metrics by scope", std::move(columns));
  for (const auto& [scope, estimates] : scopes) {
    for (const MetricEstimate& e : *estimates) {
      std::vector<Cell> row = EstimateCells(e, report);
      row.insert(row.begin(), scope);
      table.AddRow(std::move(row));
    }
  }
  return table;
}

Table TemperatureScalingTable(const CalibrateReport& report) {
  const analysis::TemperatureSplitReport& scaling = Part(report.temperature, "temperature scaling");
  return SideBySideTable(
      fmt::format("Temperature scaling: T = {:.4f} fitted on {} items, metrics on the {} others",
                  scaling.temperature, scaling.fit_items, scaling.held_out_items),
      {{"before", "before", &scaling.before}, {"after", "after", &scaling.after}}, report);
}

Table BaseRecalibrationTable(const CalibrateReport& report) {
  const analysis::BaseRecalibrationReport& r = Part(report.recalibration, "recalibration");
  return SideBySideTable(
      fmt::format("Recalibration from the base model {}: T = {:.4f} fitted without labels on the "
                  "{} items where both models predict the same choice; gold T = {:.4f} fitted "
                  "on the gold labels of every item",
                  r.reference, r.temperature, r.agreeing_items, r.supervised_temperature),
      {{"base", "base", &r.base},
       {"input", "input", &r.before},
       {"base_t", "base T", &r.after},
       {"gold_t", "gold T", &r.supervised}},
      report);
}

Table ReliabilityTable(const CalibrateReport& report) {
  const std::vector<analysis::ReliabilityBin>& bins =
      Part(report.reliability, "reliability diagram").bins;
  Table table(
      fmt::format("Reliability diagram: top-label confidence in {} equal-width bins", bins.size()),
      {Column::Integer("bin", "bin"), Column::Number("lo", "from", 3),
       Column::Number("hi", "to", 3), Column::Integer("count", "count"),
       Column::Number("confidence", "confidence"), Column::Number("accuracy", "accuracy"),
       IntervalColumn(report, "accuracy_ci")});
  std::vector<std::string> remarks;
  for (std::size_t b = 0; b < bins.size(); ++b) {
    const analysis::ReliabilityBin& bin = bins[b];
    table.AddRow({Integer(b), bin.lo, bin.hi, bin.count, bin.confidence, bin.accuracy,
                  IntervalCell(bin.accuracy_band)});
    if (auto remark =
            ResampleRemark(fmt::format("bin {}", b), bin.accuracy, bin.band_resamples, report))
      remarks.push_back(std::move(*remark));
  }
  table.set_note(Note(remarks));
  return table;
}

Table SmoothReliabilityTable(const CalibrateReport& report) {
  const analysis::ReliabilityDiagram& curve = Part(report.reliability, "reliability diagram");
  Table table(fmt::format("Smooth reliability diagram: sigma = {:.4f}, smooth ECE = {:.4f}",
                          curve.bandwidth, curve.smece),
              {Column::Number("t", "confidence", 3), Column::Number("accuracy", "accuracy"),
               IntervalColumn(report, "accuracy_ci"), Column::Number("density", "density")});
  for (const analysis::SmoothPoint& p : curve.smooth)
    table.AddRow({p.t, p.accuracy, IntervalCell(p.band), p.density});
  return table;
}

Table LetterBiasTable(const CalibrateReport& report) {
  const std::vector<analysis::LetterBiasRow>& rows = Part(report.letter_bias, "letter-bias table");
  Table table("Letter bias per answer position",
              {Column::Text("position", "position"), Column::Number("prediction_rate", "predicted"),
               IntervalColumn(report, "prediction_rate_ci"),
               Column::Number("gold_rate", "gold rate"), IntervalColumn(report, "gold_rate_ci"),
               Column::Number("recall", "recall"), IntervalColumn(report, "recall_ci"),
               Column::Number("ece", "ECE"), IntervalColumn(report, "ece_ci")});
  std::vector<std::string> remarks;
  for (const analysis::LetterBiasRow& r : rows) {
    table.AddRow({r.position, r.prediction_rate.value, IntervalCell(r.prediction_rate.ci),
                  r.gold_rate.value, IntervalCell(r.gold_rate.ci), r.recall.value,
                  IntervalCell(r.recall.ci), r.ece.value, IntervalCell(r.ece.ci)});
    // Rates are defined on every resample; recall and ECE need a gold or a
    // predicted item at the position.
    for (auto remark :
         {ResampleRemark(r.position + " recall", r.recall.value, r.recall.ci_resamples, report),
          ResampleRemark(r.position + " ECE", r.ece.value, r.ece.ci_resamples, report)}) {
      if (remark)
        remarks.push_back(std::move(*remark));
    }
  }
  table.set_note(Note(remarks));
  return table;
}

std::vector<Table> CalibrateTables(const CalibrateReport& report, TableFormat format) {
  if (format == TableFormat::kJson)
    throw std::invalid_argument("the JSON output is a document, not tables");
  if (format == TableFormat::kCsv)
    return {CsvTable(report)};
  std::vector<Table> tables = {CalibrateMetricsTable(report)};
  if (report.temperature)
    tables.push_back(TemperatureScalingTable(report));
  if (report.recalibration)
    tables.push_back(BaseRecalibrationTable(report));
  if (report.reliability) {
    tables.push_back(ReliabilityTable(report));
    tables.push_back(SmoothReliabilityTable(report));
  }
  if (report.letter_bias)
    tables.push_back(LetterBiasTable(report));
  return tables;
}

}  // namespace llmcal::report
