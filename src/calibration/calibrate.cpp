#include "calibration/calibrate.h"

#include <fmt/format.h>

#include <functional>
#include <stdexcept>

#include "calibration/base_recalibration.h"
#include "calibration/temperature_scaling.h"
#include "common/error.h"

namespace llmcal::calibration {

namespace {

BootstrapOptions Bootstrap(const CalibrateRequest& request) {
  return {.resamples = request.resamples,
          .level = kIntervalLevel,
          .seed = request.seed,
          .threads = request.threads};
}

MetricEstimates Measure(const ChoiceProbabilities& data, const CalibrateRequest& request) {
  const MetricEvaluator evaluator(data, request.metrics, request.bins);
  if (request.resamples > 0)
    return BootstrapMetrics(evaluator, Bootstrap(request));
  MetricEstimates table;
  const std::vector<MetricValue> values = evaluator.Compute();
  for (std::size_t j = 0; j < values.size(); ++j)
    table.push_back({evaluator.selection()[j], values[j], Band{}});
  return table;
}

// Runs `step`, turning a violated library requirement into an InputError on `file`.
template <typename T>
T OnFile(const std::string& file, const std::string& what, const std::function<T()>& step) {
  try {
    return step();
  } catch (const std::invalid_argument& e) {
    throw InputError::At(file, 0, "", fmt::format("{}: {}", what, e.what()));
  }
}

TemperatureSplitReport SplitTemperature(const Predictions& input, const CalibrateRequest& request) {
  const double split = *request.temperature_split;
  const TemperatureScaling scaling = OnFile<TemperatureScaling>(
      input.source, "temperature scaling", [&] { return ScaleTemperature(input.data, split); });
  return {.split = split,
          .temperature = scaling.temperature,
          .fit_items = scaling.fit_items,
          .held_out_items = scaling.held_out.size(),
          .before = Measure(scaling.held_out, request),
          .after = Measure(scaling.scaled, request)};
}

std::vector<LetterBiasRow> LetterBiasTable(const ChoiceProbabilities& data,
                                           const CalibrateRequest& request) {
  const LetterBias letters(data, request.bins.bins);
  std::vector<LetterBiasRow> rows;
  for (const LetterPosition& position : letters.Compute()) {
    LetterBiasRow row;
    row.value = position;
    rows.push_back(row);
  }
  if (request.resamples == 0)
    return rows;
  // Components 4k .. 4k + 3: position k's prediction rate, gold rate, recall, ECE.
  const std::vector<Band> bands =
      BootstrapBands(data.size(), 4 * rows.size(), Bootstrap(request),
                     [&letters](std::span<const std::uint32_t> w, std::span<double> out) {
                       const std::vector<LetterPosition> table = letters.Compute(w);
                       for (std::size_t k = 0; k < table.size(); ++k) {
                         out[4 * k] = table[k].prediction_rate;
                         out[4 * k + 1] = table[k].gold_rate;
                         out[4 * k + 2] = table[k].recall;
                         out[4 * k + 3] = table[k].ece;
                       }
                     });
  for (std::size_t k = 0; k < rows.size(); ++k) {
    rows[k].prediction_rate = bands[4 * k];
    rows[k].gold_rate = bands[4 * k + 1];
    rows[k].recall = bands[4 * k + 2];
    rows[k].ece = bands[4 * k + 3];
  }
  return rows;
}

BaseRecalibrationReport RecalibrateToBase(const Predictions& input,
                                          const CalibrateRequest& request) {
  const std::string& path = *request.base_reference;
  const Predictions base = MatchById(input, ReadPredictions(path, request.read));
  const BaseRecalibration fitted =
      OnFile<BaseRecalibration>(input.source, "recalibration from the base model",
                                [&] { return RecalibrateFromBase(input.data, base.data); });
  const double supervised = OnFile<double>(input.source, "supervised temperature scaling",
                                           [&] { return FitTemperature(input.data); });
  return {.reference = base.source,
          .temperature = fitted.temperature,
          .agreeing_items = fitted.agreeing_items,
          .supervised_temperature = supervised,
          .base = Measure(base.data, request),
          .before = Measure(input.data, request),
          .after = Measure(fitted.recalibrated, request),
          .supervised = Measure(ApplyTemperature(input.data, supervised), request)};
}

}  // namespace

CalibrateReport Calibrate(const CalibrateRequest& request) {
  const Predictions input = ReadPredictions(request.input, request.read);
  const BootstrapOptions bootstrap = Bootstrap(request);
  const BootstrapOptions* bands = request.resamples > 0 ? &bootstrap : nullptr;
  CalibrateReport report;
  report.n = input.data.size();
  report.bins = request.bins;
  report.resamples = request.resamples;
  report.seed = request.seed;
  report.metrics = Measure(input.data, request);
  if (request.temperature_split)
    report.temperature = SplitTemperature(input, request);
  if (request.reliability) {
    report.reliability = BinnedReliability(input.data, request.bins.bins, bands);
    report.smooth_reliability = SmoothReliabilityCurve(input.data, bands);
  }
  if (request.letter_bias)
    report.letter_bias = LetterBiasTable(input.data, request);
  if (request.base_reference)
    report.recalibration = RecalibrateToBase(input, request);
  return report;
}

}  // namespace llmcal::calibration
