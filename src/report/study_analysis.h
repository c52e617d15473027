// The analysis of a study store: every number a report shows, recomputed
// from the stored per-token scores, without any model (DESIGN.md "Data
// flow"). It is what `llmcal metrics`, `compare`, `rank`, `report --db`,
// `study` and `demo` share.
//
// For each (model, task, method) it turns the stored choices of the run of
// that method's prompt style (choice: the lettered style; every other method:
// the answer-text style) into probabilities over the choices
// (calibration/confidence_methods.h), and computes the selected metrics with
// bootstrap intervals and the reliability diagrams. For each pair of models
// it computes the paired-bootstrap change of every metric on the items both
// models have, and per (metric, method) the rank table of the pairs by change
// rate across tasks with Kendall's W.
//
// Task groups pool items: a task without a run of its own that is an MMLU
// group or subject ("mmlu_stem", "mmlu_anatomy") takes the items of the
// model's `mmlu` run whose subject belongs to it. Items stored with an error
// (not scorable) are left out of every number, and counted in the notes.
//
//   store::Store store = store::Store::Open("study.sqlite", store::Database::kReadOnly);
//   AnalysisRequest request;
//   request.pairs = {{.name = "llama-2-7b", .base = "base", .instruct = "chat"}};
//   const Analysis analysis = AnalyzeStore(store, request);
//   WriteReport(analysis.results, ReportOptions{}, "out");
#pragma once

#include <string>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/confidence_methods.h"
#include "calibration/metric_table.h"
#include "calibration/metrics.h"
#include "report/study_results.h"
#include "store/store.h"

namespace llmcal::report {

// One rank table to compute: the pairs ranked by the change rate of `metric`
// under `method` (the paper's Table 1 is sce under choice).
struct RankingRequest {
  std::string metric;
  std::string method;
};

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
// whatever the thread count.
// Throws InputError naming the store and the name when a requested model,
// pair member, task or ranking metric/method is unknown or has no stored
// scores, and when a pair's two runs disagree on an item's gold label or
// number of choices (they scored different task files).
Analysis AnalyzeStore(store::Store& store, const AnalysisRequest& request);

// Parses "BASE:INSTRUCT" (the pair is named after BASE) or
// "NAME=BASE:INSTRUCT". Throws InputError naming the argument otherwise.
ModelPair ParseModelPair(const std::string& argument);

}  // namespace llmcal::report
