// The analysis of a study store: every number a report shows, recomputed
// from the stored per-token scores, without any model (DESIGN.md "Data
// flow"). It is what `llmcal metrics`, `compare`, `rank`, `report --db`,
// `study` and `demo` share; `llmcal calibrate` is the one-file case of the
// same per-sample code (analysis/calibrate.h).
//
// The work is split by the question each part answers:
//   store_samples.h     which items a (model, task, method) rests on (MMLU
//                       groups pool the subjects of an mmlu run);
//   sample_estimates.h  how well calibrated one sample is (metrics with
//                       intervals, reliability diagrams);
//   pair_changes.h      how a pair changed (paired bootstrap on common items);
//   rankings.h          how the pairs rank (competition ranks, Kendall's W);
//   store_provenance.h  where the numbers come from.
// This file resolves what a request asks for and runs those in turn.
//
// Items stored with an error (not scorable) are left out of every number,
// and counted in the notes.
//
//   store::Store store = store::Store::Open("study.sqlite", store::Database::kReadOnly);
//   AnalysisRequest request;
//   request.pairs = {{.name = "llama-2-7b", .base = "base", .instruct = "chat"}};
//   const Analysis analysis = AnalyzeStore(store, request);
//   report::WriteReport(analysis.results, report::ReportOptions{}, "out");
#pragma once

#include <string>
#include <vector>

#include "analysis/rankings.h"
#include "analysis/results.h"
#include "calibration/bootstrap.h"
#include "calibration/confidence_methods.h"
#include "calibration/metric_table.h"
#include "calibration/metrics.h"
#include "common/progress.h"
#include "store/store.h"

namespace llmcal::analysis {

// What to compute. Empty lists mean "everything the store has".
struct AnalysisRequest {
  // Models to analyse; empty: every model that has runs (pairs' models included).
  std::vector<std::string> models;
  // Pairs to compare; their models must be in the store. Empty, when
  // `changes`: the pairs the store recorded (`llmcal study` records its
  // file's pairs), if any.
  std::vector<ModelPair> pairs;
  // Tasks, as run or as MMLU groups/subjects of an `mmlu` run; empty: every
  // task with runs, each `mmlu` followed by its four groups.
  std::vector<std::string> tasks;
  // Confidence methods; empty: sum, min and choice (the paper's three), those
  // whose prompt style was run.
  std::vector<calibration::ConfidenceMethod> methods;
  // Metrics; empty: every metric (calibration::AllMetrics()).
  std::vector<calibration::MetricSpec> metrics;
  calibration::BinOptions bins;
  // resamples == 0: no intervals and no significance.
  calibration::BootstrapOptions bootstrap;
  // Rank tables; empty: sce and sce_cl under choice (whichever are selected
  // and present), when there are at least two pairs.
  std::vector<RankingRequest> rankings;
  // What to compute besides the per-model estimates.
  bool estimates = true;
  bool changes = true;
  bool reliability = true;
};

// The results, and notes for the user (left-out items, pairs without common
// items), one sentence each.
struct Analysis {
  StudyResults results;
  std::vector<std::string> notes;
};

// Computes what `request` asks of `store`. Deterministic for a bootstrap seed,
// whatever the thread count. With `progress`, reports one unit per (model,
// task, method) estimated and per (pair, task, method) compared, labelled
// "analysis".
// Throws InputError naming the store and the name when a requested model,
// pair member, task or ranking metric/method is unknown or has no stored
// scores, when two pairs share a name, when a pair's two runs disagree on an
// item's gold label or number of choices (they scored different task files),
// and naming the run and item when a stored value cannot be used.
Analysis AnalyzeStore(store::Store& store, const AnalysisRequest& request,
                      ProgressSink* progress = nullptr);

// Parses "BASE:INSTRUCT" (the pair is named after BASE) or
// "NAME=BASE:INSTRUCT". Throws InputError naming the argument otherwise.
ModelPair ParseModelPair(const std::string& argument);

}  // namespace llmcal::analysis
