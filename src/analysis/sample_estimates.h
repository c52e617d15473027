// How well calibrated is one sample? The selected metrics of one set of
// predictions with their bootstrap intervals, and its reliability diagrams,
// as the result types of analysis/results.h. `llmcal calibrate` (one
// predictions file, analysis/calibrate.h) and the store analysis (every
// model, task and method, analysis/analyze_store.h) both compute them here,
// so the two cannot disagree.
//
//   const ChoiceProbabilities data = ...;
//   const SampleLabel label{.model = "base", .task = "arc_easy", .method = "choice"};
//   std::vector<MetricEstimate> estimates =
//       EstimateMetrics(data, calibration::AllMetrics(), {}, {.resamples = 1000}, label);
//
// Deterministic for a bootstrap seed, whatever the thread count (bootstrap.h).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "analysis/results.h"
#include "calibration/bootstrap.h"
#include "calibration/choice_probabilities.h"
#include "calibration/metric_table.h"
#include "calibration/metrics.h"

namespace llmcal::analysis {

// The names an estimate is filed under; empty for a predictions file.
struct SampleLabel {
  std::string model;
  std::string task;
  std::string method;
};

// The interval of `band`, absent without bootstrap (resamples == 0) or when
// no resample defines the statistic.
std::optional<Interval> IntervalOf(const calibration::Band& band, int resamples);

// The metrics of `data` in selection order, each with its percentile interval
// over bootstrap.resamples resamples (none when resamples == 0).
// REQUIRES: data non-empty, metrics non-empty. Throws std::invalid_argument otherwise.
std::vector<MetricEstimate> EstimateMetrics(const calibration::ChoiceProbabilities& data,
                                            std::span<const calibration::MetricSpec> metrics,
                                            const calibration::BinOptions& bins,
                                            const calibration::BootstrapOptions& bootstrap,
                                            const SampleLabel& label = {});

// The binned diagram (`bins` equal-width bins) and the smooth one of `data`,
// with bootstrap bands when bootstrap.resamples > 0.
// REQUIRES: data non-empty, bins >= 1. Throws std::invalid_argument otherwise.
ReliabilityDiagram DiagramOf(const calibration::ChoiceProbabilities& data, int bins,
                             const calibration::BootstrapOptions& bootstrap,
                             const SampleLabel& label = {});

}  // namespace llmcal::analysis
