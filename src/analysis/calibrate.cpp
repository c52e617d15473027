#include "analysis/calibrate.h"

#include <fmt/format.h>

#include <functional>
#include <stdexcept>

#include "analysis/sample_estimates.h"
#include "calibration/base_recalibration.h"
#include "calibration/bootstrap.h"
#include "calibration/letter_bias.h"
#include "calibration/temperature_scaling.h"
#include "common/error.h"

namespace llmcal::analysis {

namespace {

namespace cal = calibration;

cal::BootstrapOptions Bootstrap(const CalibrateRequest& request) {
  return {.resamples = request.resamples,
          .level = kIntervalLevel,
          .seed = request.seed,
          .threads = request.threads};
}

MetricEstimates Measure(const cal::ChoiceProbabilities& data, const CalibrateRequest& request) {
  return EstimateMetrics(data, request.metrics, request.bins, Bootstrap(request));
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

TemperatureSplitReport SplitTemperature(const cal::Predictions& input,
                                        const CalibrateRequest& request) {
  const double split = *request.temperature_split;
  const cal::TemperatureScaling scaling =
      OnFile<cal::TemperatureScaling>(input.source, "temperature scaling",
                                      [&] { return cal::ScaleTemperature(input.data, split); });
  return {.split = split,
          .temperature = scaling.temperature,
          .fit_items = scaling.fit_items,
          .held_out_items = scaling.held_out.size(),
          .before = Measure(scaling.held_out, request),
          .after = Measure(scaling.scaled, request)};
}

BandedValue Banded(double value, const cal::Band& band, int resamples) {
  return {.value = value,
          .ci = IntervalOf(band, resamples),
          .ci_resamples = resamples > 0 ? band.defined_resamples : 0};
}

std::vector<LetterBiasRow> LetterBiasTable(const cal::ChoiceProbabilities& data,
                                           const CalibrateRequest& request) {
  const cal::LetterBias letters(data, request.bins.bins);
  const std::vector<cal::LetterPosition> positions = letters.Compute();
  // Components 4k .. 4k + 3: position k's prediction rate, gold rate, recall, ECE.
  std::vector<cal::Band> bands(4 * positions.size());
  if (request.resamples > 0) {
    bands =
        cal::BootstrapBands(data.size(), 4 * positions.size(), Bootstrap(request),
                            [&letters](std::span<const std::uint32_t> w, std::span<double> out) {
                              const std::vector<cal::LetterPosition> table = letters.Compute(w);
                              for (std::size_t k = 0; k < table.size(); ++k) {
                                out[4 * k] = table[k].prediction_rate;
                                out[4 * k + 1] = table[k].gold_rate;
                                out[4 * k + 2] = table[k].recall;
                                out[4 * k + 3] = table[k].ece;
                              }
                            });
  }
  const int resamples = request.resamples;
  std::vector<LetterBiasRow> rows;
  for (std::size_t k = 0; k < positions.size(); ++k) {
    const cal::LetterPosition& p = positions[k];
    rows.push_back({.position = PositionName(k),
                    .prediction_rate = Banded(p.prediction_rate, bands[4 * k], resamples),
                    .gold_rate = Banded(p.gold_rate, bands[4 * k + 1], resamples),
                    .recall = Banded(p.recall, bands[4 * k + 2], resamples),
                    .ece = Banded(p.ece, bands[4 * k + 3], resamples)});
  }
  return rows;
}

BaseRecalibrationReport RecalibrateToBase(const cal::Predictions& input,
                                          const CalibrateRequest& request) {
  const std::string& path = *request.base_reference;
  const cal::Predictions base = cal::MatchById(input, cal::ReadPredictions(path, request.read));
  const cal::BaseRecalibration fitted = OnFile<cal::BaseRecalibration>(
      input.source, "recalibration from the base model",
      [&] { return cal::RecalibrateFromBase(input.data, base.data); });
  const double supervised = OnFile<double>(input.source, "supervised temperature scaling",
                                           [&] { return cal::FitTemperature(input.data); });
  return {.reference = base.source,
          .temperature = fitted.temperature,
          .agreeing_items = fitted.agreeing_items,
          .supervised_temperature = supervised,
          .base = Measure(base.data, request),
          .before = Measure(input.data, request),
          .after = Measure(fitted.recalibrated, request),
          .supervised = Measure(cal::ApplyTemperature(input.data, supervised), request)};
}

}  // namespace

std::string PositionName(std::size_t k) {
  return k < 26 ? std::string(1, static_cast<char>('A' + k)) : std::to_string(k);
}

CalibrateReport Calibrate(const CalibrateRequest& request) {
  const cal::Predictions input = cal::ReadPredictions(request.input, request.read);
  CalibrateReport report;
  report.n = input.data.size();
  report.settings = {.bins = request.bins.bins,
                     .resamples = request.resamples,
                     .level = kIntervalLevel,
                     .seed = request.seed};
  report.cl_bins = request.bins.cl_bins;
  report.metrics = Measure(input.data, request);
  if (request.temperature_split)
    report.temperature = SplitTemperature(input, request);
  if (request.reliability)
    report.reliability = DiagramOf(input.data, request.bins.bins, Bootstrap(request));
  if (request.letter_bias)
    report.letter_bias = LetterBiasTable(input.data, request);
  if (request.base_reference)
    report.recalibration = RecalibrateToBase(input, request);
  return report;
}

}  // namespace llmcal::analysis
