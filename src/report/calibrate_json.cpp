#include "report/calibrate_json.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace llmcal::report {

namespace {

using analysis::CalibrateReport;
using json = nlohmann::ordered_json;

json Number(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json IntervalJson(const std::optional<analysis::Interval>& ci) {
  if (!ci)
    return nullptr;
  return json::array({Number(ci->lo), Number(ci->hi)});
}

json EstimateJson(const analysis::MetricEstimate& e, const analysis::AnalysisSettings& settings) {
  json out = {{"value", Number(e.value)}, {"ci", IntervalJson(e.ci)}};
  if (!e.defined()) {
    out["reason"] = e.undefined_reason;
  } else if (!std::isfinite(e.value)) {
    out["reason"] = e.value > 0 ? "+infinity" : "-infinity";
  }
  if (settings.intervals() && e.ci_resamples < settings.resamples)
    out["ci_resamples"] = e.ci_resamples;
  return out;
}

json MetricsJson(const analysis::MetricEstimates& table,
                 const analysis::AnalysisSettings& settings) {
  json metrics = json::object();
  for (const analysis::MetricEstimate& e : table)
    metrics[e.metric] = EstimateJson(e, settings);
  return metrics;
}

json TemperatureJson(const analysis::TemperatureSplitReport& t,
                     const analysis::AnalysisSettings& settings) {
  return {{"split", t.split},
          {"temperature", Number(t.temperature)},
          {"fit_items", t.fit_items},
          {"held_out_items", t.held_out_items},
          {"before", MetricsJson(t.before, settings)},
          {"after", MetricsJson(t.after, settings)}};
}

json RecalibrationJson(const analysis::BaseRecalibrationReport& r,
                       const analysis::AnalysisSettings& settings) {
  return {{"reference", r.reference},
          {"temperature", Number(r.temperature)},
          {"agreeing_items", r.agreeing_items},
          {"supervised_temperature", Number(r.supervised_temperature)},
          {"base", MetricsJson(r.base, settings)},
          {"before", MetricsJson(r.before, settings)},
          {"after", MetricsJson(r.after, settings)},
          {"supervised", MetricsJson(r.supervised, settings)}};
}

json ReliabilityJson(const analysis::ReliabilityDiagram& diagram) {
  json out = json::array();
  for (const analysis::ReliabilityBin& b : diagram.bins) {
    out.push_back({{"lo", b.lo},
                   {"hi", b.hi},
                   {"count", b.count},
                   {"confidence", Number(b.confidence)},
                   {"accuracy", Number(b.accuracy)},
                   {"accuracy_ci", IntervalJson(b.accuracy_band)}});
  }
  return out;
}

json SmoothReliabilityJson(const analysis::ReliabilityDiagram& diagram) {
  json points = json::array();
  for (const analysis::SmoothPoint& p : diagram.smooth) {
    points.push_back({{"t", p.t},
                      {"accuracy", Number(p.accuracy)},
                      {"density", Number(p.density)},
                      {"accuracy_ci", IntervalJson(p.band)}});
  }
  return {{"sigma", diagram.bandwidth}, {"smece", diagram.smece}, {"points", points}};
}

json LetterBiasJson(const std::vector<analysis::LetterBiasRow>& rows) {
  const auto cell = [](const analysis::BandedValue& v) {
    return json{{"value", Number(v.value)}, {"ci", IntervalJson(v.ci)}};
  };
  json table = json::array();
  for (const analysis::LetterBiasRow& r : rows) {
    table.push_back({{"position", r.position},
                     {"prediction_rate", cell(r.prediction_rate)},
                     {"gold_rate", cell(r.gold_rate)},
                     {"recall", cell(r.recall)},
                     {"ece", cell(r.ece)}});
  }
  return table;
}

}  // namespace

nlohmann::ordered_json CalibrateReportJson(const CalibrateReport& report) {
  json out = {{"n", report.n},
              {"bins", report.settings.bins},
              {"cl_bins", report.cl_bins},
              {"metrics", MetricsJson(report.metrics, report.settings)}};
  if (report.temperature)
    out["temperature_scaling"] = TemperatureJson(*report.temperature, report.settings);
  if (report.recalibration)
    out["recalibration"] = RecalibrationJson(*report.recalibration, report.settings);
  if (report.reliability) {
    out["reliability"] = ReliabilityJson(*report.reliability);
    out["smooth_reliability"] = SmoothReliabilityJson(*report.reliability);
  }
  if (report.letter_bias)
    out["letter_bias"] = LetterBiasJson(*report.letter_bias);
  return out;
}

}  // namespace llmcal::report
