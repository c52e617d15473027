// `llmcal calibrate` as one library call: read a predictions file, compute the
// selected metrics with bootstrap intervals, and whatever else was asked for
// (temperature scaling on a split, reliability diagrams, the letter-bias
// table, label-free recalibration from a base model's predictions). The CLI
// only turns flags into a CalibrateRequest and renders the CalibrateReport.
//
//   CalibrateRequest request{.input = "it.jsonl"};
//   request.metrics = ParseMetricSelection("ece,sce_cl,auroc");
//   CalibrateReport report = Calibrate(request);
//
// Deterministic for a seed whatever request.threads is (bootstrap.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/letter_bias.h"
#include "calibration/metric_table.h"
#include "calibration/metrics.h"
#include "calibration/predictions_io.h"
#include "calibration/reliability.h"

namespace llmcal::calibration {

// Level of every interval.
inline constexpr double kIntervalLevel = 0.95;

struct CalibrateRequest {
  std::string input;  // predictions file; "-" = standard input
  PredictionsOptions read;
  std::vector<MetricSpec> metrics = AllMetrics();
  BinOptions bins;
  int resamples = kDefaultResamples;  // bootstrap resamples; 0 = no intervals
  std::uint64_t seed = 0;
  int threads = 0;  // 0 = every core
  // Fit one temperature on this fraction of the items (temperature_scaling.h's
  // split rule) and report the metrics on the others before and after.
  std::optional<double> temperature_split;
  bool reliability = false;  // binned and smooth reliability diagrams
  bool letter_bias = false;  // the per-position table
  // A base model's predictions for the same items (matched by id): fit the
  // input's temperature to them without labels (base_recalibration.h).
  std::optional<std::string> base_reference;
};

// The metrics of one sample; each estimate's band is empty when resamples == 0.
using MetricEstimates = std::vector<MetricEstimate>;

struct TemperatureSplitReport {
  double split = 0;
  double temperature = 1;
  std::size_t fit_items = 0;
  std::size_t held_out_items = 0;
  MetricEstimates before;  // held-out items as given
  MetricEstimates after;   // held-out items scaled by `temperature`
};

// One answer position of the letter-bias table with its bands.
struct LetterBiasRow {
  LetterPosition value;
  Band prediction_rate;
  Band gold_rate;
  Band recall;
  Band ece;
};

struct BaseRecalibrationReport {
  std::string reference;   // the base model's file
  double temperature = 1;  // fitted to the base, without labels
  std::size_t agreeing_items = 0;
  double supervised_temperature = 1;  // fitted to the gold labels of every item (an oracle)
  MetricEstimates base;               // the base model's metrics
  MetricEstimates before;             // the input as given
  MetricEstimates after;              // scaled by `temperature`
  MetricEstimates supervised;         // scaled by `supervised_temperature`
};

struct CalibrateReport {
  std::size_t n = 0;
  BinOptions bins;
  int resamples = 0;
  std::uint64_t seed = 0;
  MetricEstimates metrics;
  std::optional<TemperatureSplitReport> temperature;
  std::optional<std::vector<ReliabilityBin>> reliability;
  std::optional<SmoothReliability> smooth_reliability;
  std::optional<std::vector<LetterBiasRow>> letter_bias;
  std::optional<BaseRecalibrationReport> recalibration;
};

// REQUIRES: request.metrics non-empty; bins >= 1; resamples >= 0;
// temperature_split in (0, 1). Throws InputError naming the file, line and
// field for bad input, and for data the request cannot use (a temperature
// split leaving a part empty, a gold probability of 0 where a temperature is
// fitted, two files whose items do not match).
CalibrateReport Calibrate(const CalibrateRequest& request);

}  // namespace llmcal::calibration
