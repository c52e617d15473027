// What one `llmcal run` did, per run and in total: printed at the end and
// written as JSON by --summary FILE.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace llmcal::study {

// Counts for one (model, task, style) within this invocation's plan (this
// shard's items when --shard is given).
struct RunOutcome {
  std::string model;
  std::string task;
  std::string style;
  std::int64_t items_planned = 0;
  std::int64_t items_already_stored = 0;  // stored before this invocation
  std::int64_t items_scored = 0;          // scored and stored now, failed ones included
  std::int64_t items_failed = 0;          // scored now but stored with an error
  std::int64_t items_truncated = 0;       // scored now with a context cut to the window
  // Scored now, but a log-prob was NaN or infinite (a broken model): not
  // stored, so the next run scores them again. Item indices, ascending.
  std::vector<std::int64_t> nonfinite_items;
};

struct RunSummary {
  std::string store;  // the --db file
  std::vector<RunOutcome> runs;
  std::int64_t items_planned = 0;
  std::int64_t items_already_stored = 0;
  std::int64_t items_scored = 0;
  std::int64_t items_failed = 0;
  std::int64_t items_truncated = 0;
  std::int64_t items_nonfinite = 0;   // not stored: see RunOutcome::nonfinite_items
  std::int64_t tokens_evaluated = 0;  // fed to the models (continuation tokens for a fake scorer)
  int models_loaded = 0;
  double seconds = 0.0;      // wall time of the whole invocation
  bool interrupted = false;  // stopped by Ctrl-C or SIGTERM before the plan was done

  // Adds a run's counts to the totals and the list.
  void Add(const RunOutcome& run);
};

// {"items_scored": n, "items_already_stored": m, "items_failed": f,
//  "seconds": s, "items_planned", "items_truncated", "items_nonfinite",
//  "tokens_evaluated", "models_loaded", "interrupted", "store", "runs":
//  [{"model", "task", "style", "items_planned", ..., "nonfinite_items": [i, ...]}]}
nlohmann::ordered_json SummaryToJson(const RunSummary& summary);

// A few lines for the terminal.
std::string SummaryText(const RunSummary& summary);

// "" when every item was stored or failed cleanly; else the message of the
// run's failure: how many items got non-finite log-probs, from which runs
// and models, and which items.
std::string NonFiniteReport(const RunSummary& summary);

}  // namespace llmcal::study
