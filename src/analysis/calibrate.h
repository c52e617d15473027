// `llmcal calibrate` as one library call: the analysis of one predictions
// file. It reads the file, computes the selected metrics with bootstrap
// intervals and the reliability diagrams through the same code as the store
// analysis (analysis/sample_estimates.h), and whatever else was asked for
// (temperature scaling on a split, the letter-bias table, label-free
// recalibration from a base model's predictions). The CLI only turns flags
// into a CalibrateRequest; report/calibrate_output.h renders the
// CalibrateReport.
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

#include "analysis/results.h"
#include "calibration/metric_table.h"
#include "calibration/metrics.h"
#include "calibration/predictions_io.h"

namespace llmcal::analysis {

// Level of every interval.
inline constexpr double kIntervalLevel = 0.95;

struct CalibrateRequest {
  std::string input;  // predictions file; "-" = standard input
  calibration::PredictionsOptions read;
  std::vector<calibration::MetricSpec> metrics = calibration::AllMetrics();
  calibration::BinOptions bins;
  int resamples = calibration::kDefaultResamples;  // bootstrap resamples; 0 = no intervals
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

// The metrics of one sample, in selection order; model, task and method are
// empty. Each interval is absent when resamples == 0.
using MetricEstimates = std::vector<MetricEstimate>;

// A value of the letter-bias table with its bootstrap interval.
struct BandedValue {
  double value = kNaN;
  std::optional<Interval> ci;  // absent without bootstrap or when no resample defines it
  int ci_resamples = 0;        // resamples that define it (0 without bootstrap)
};

struct TemperatureSplitReport {
  double split = 0;
  double temperature = 1;
  std::size_t fit_items = 0;
  std::size_t held_out_items = 0;
  MetricEstimates before;  // held-out items as given
  MetricEstimates after;   // held-out items scaled by `temperature`
};

// The name of answer position k (0-based) in the letter-bias table: "A" to
// "Z", then the number itself ("26", ...). PositionName(1) == "B".
std::string PositionName(std::size_t k);

// One answer position of the letter-bias table (calibration/letter_bias.h).
struct LetterBiasRow {
  std::string position;  // PositionName of its index
  BandedValue prediction_rate;
  BandedValue gold_rate;
  BandedValue recall;
  BandedValue ece;
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
  // bins, resamples (0: no intervals), level and seed of every number.
  AnalysisSettings settings;
  int cl_bins = 15;  // bins of ece_cl and sce_cl
  MetricEstimates metrics;
  std::optional<TemperatureSplitReport> temperature;
  std::optional<ReliabilityDiagram> reliability;  // binned and smooth
  std::optional<std::vector<LetterBiasRow>> letter_bias;
  std::optional<BaseRecalibrationReport> recalibration;
};

// REQUIRES: request.metrics non-empty; bins >= 1; resamples >= 0;
// temperature_split in (0, 1). Throws InputError naming the file, line and
// field for bad input, and for data the request cannot use (a temperature
// split leaving a part empty, a gold probability of 0 where a temperature is
// fitted, two files whose items do not match).
CalibrateReport Calibrate(const CalibrateRequest& request);

}  // namespace llmcal::analysis
