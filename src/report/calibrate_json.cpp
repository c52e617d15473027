#include "report/calibrate_json.h"

#include <cmath>
#include <string>
#include <vector>

#include "report/calibrate_tables.h"

namespace llmcal::report {

namespace {

namespace cal = calibration;
using json = nlohmann::ordered_json;

json Number(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json IntervalJson(const cal::Band& band) {
  if (!band.defined())
    return nullptr;
  return json::array({Number(band.interval.lo), Number(band.interval.hi)});
}

json EstimateJson(const cal::MetricValue& value, const cal::Band& band, int resamples) {
  json out = {{"value", Number(value.value)}, {"ci", resamples ? IntervalJson(band) : json()}};
  if (!value.defined()) {
    out["reason"] = value.reason;
  } else if (!std::isfinite(value.value)) {
    out["reason"] = value.value > 0 ? "+infinity" : "-infinity";
  }
  if (resamples && band.defined_resamples < resamples)
    out["ci_resamples"] = band.defined_resamples;
  return out;
}

json MetricsJson(const cal::MetricEstimates& table, int resamples) {
  json metrics = json::object();
  for (const cal::MetricEstimate& e : table)
    metrics[e.spec.Name()] = EstimateJson(e.value, e.band, resamples);
  return metrics;
}

json TemperatureJson(const cal::TemperatureSplitReport& t, int resamples) {
  return {{"split", t.split},
          {"temperature", Number(t.temperature)},
          {"fit_items", t.fit_items},
          {"held_out_items", t.held_out_items},
          {"before", MetricsJson(t.before, resamples)},
          {"after", MetricsJson(t.after, resamples)}};
}

json RecalibrationJson(const cal::BaseRecalibrationReport& r, int resamples) {
  return {{"reference", r.reference},
          {"temperature", Number(r.temperature)},
          {"agreeing_items", r.agreeing_items},
          {"supervised_temperature", Number(r.supervised_temperature)},
          {"base", MetricsJson(r.base, resamples)},
          {"before", MetricsJson(r.before, resamples)},
          {"after", MetricsJson(r.after, resamples)},
          {"supervised", MetricsJson(r.supervised, resamples)}};
}

json ReliabilityJson(const std::vector<cal::ReliabilityBin>& bins) {
  json out = json::array();
  for (const cal::ReliabilityBin& b : bins) {
    out.push_back({{"lo", b.lo},
                   {"hi", b.hi},
                   {"count", b.count},
                   {"confidence", Number(b.confidence)},
                   {"accuracy", Number(b.accuracy)},
                   {"accuracy_ci", IntervalJson(b.accuracy_band)}});
  }
  return out;
}

json SmoothReliabilityJson(const cal::SmoothReliability& curve) {
  json points = json::array();
  for (const cal::SmoothReliabilityPoint& p : curve.points) {
    points.push_back({{"t", p.t},
                      {"accuracy", Number(p.accuracy)},
                      {"density", Number(p.density)},
                      {"accuracy_ci", IntervalJson(p.accuracy_band)}});
  }
  return {{"sigma", curve.sigma}, {"smece", curve.smece}, {"points", points}};
}

json LetterBiasJson(const std::vector<cal::LetterBiasRow>& rows, int resamples) {
  const auto cell = [resamples](double v, const cal::Band& band) {
    return json{{"value", Number(v)}, {"ci", resamples ? IntervalJson(band) : json()}};
  };
  json table = json::array();
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const cal::LetterBiasRow& r = rows[k];
    table.push_back({{"position", PositionName(k)},
                     {"prediction_rate", cell(r.value.prediction_rate, r.prediction_rate)},
                     {"gold_rate", cell(r.value.gold_rate, r.gold_rate)},
                     {"recall", cell(r.value.recall, r.recall)},
                     {"ece", cell(r.value.ece, r.ece)}});
  }
  return table;
}

}  // namespace

nlohmann::ordered_json CalibrateReportJson(const cal::CalibrateReport& report) {
  const int resamples = report.resamples;
  json out = {{"n", report.n},
              {"bins", report.bins.bins},
              {"cl_bins", report.bins.cl_bins},
              {"metrics", MetricsJson(report.metrics, resamples)}};
  if (report.temperature)
    out["temperature_scaling"] = TemperatureJson(*report.temperature, resamples);
  if (report.recalibration)
    out["recalibration"] = RecalibrationJson(*report.recalibration, resamples);
  if (report.reliability)
    out["reliability"] = ReliabilityJson(*report.reliability);
  if (report.smooth_reliability)
    out["smooth_reliability"] = SmoothReliabilityJson(*report.smooth_reliability);
  if (report.letter_bias)
    out["letter_bias"] = LetterBiasJson(*report.letter_bias, resamples);
  return out;
}

}  // namespace llmcal::report
