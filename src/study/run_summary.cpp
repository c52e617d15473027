#include "study/run_summary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace llmcal::study {

void RunSummary::Add(const RunOutcome& run) {
  runs.push_back(run);
  items_planned += run.items_planned;
  items_already_stored += run.items_already_stored;
  items_scored += run.items_scored;
  items_failed += run.items_failed;
  items_truncated += run.items_truncated;
  items_nonfinite += static_cast<std::int64_t>(run.nonfinite_items.size());
}

nlohmann::ordered_json SummaryToJson(const RunSummary& summary) {
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  for (const RunOutcome& run : summary.runs) {
    runs.push_back({{"model", run.model},
                    {"task", run.task},
                    {"style", run.style},
                    {"items_planned", run.items_planned},
                    {"items_already_stored", run.items_already_stored},
                    {"items_scored", run.items_scored},
                    {"items_failed", run.items_failed},
                    {"items_truncated", run.items_truncated},
                    {"items_nonfinite", run.nonfinite_items.size()},
                    {"nonfinite_items", run.nonfinite_items}});
  }
  return {{"items_scored", summary.items_scored},
          {"items_already_stored", summary.items_already_stored},
          {"items_failed", summary.items_failed},
          {"seconds", summary.seconds},
          {"items_planned", summary.items_planned},
          {"items_truncated", summary.items_truncated},
          {"items_nonfinite", summary.items_nonfinite},
          {"tokens_evaluated", summary.tokens_evaluated},
          {"models_loaded", summary.models_loaded},
          {"interrupted", summary.interrupted},
          {"store", summary.store},
          {"runs", std::move(runs)}};
}

std::string SummaryText(const RunSummary& s) {
  const std::int64_t stored = s.items_already_stored + s.items_scored;
  std::string text = fmt::format(
      "{}: scored {} items in {:.1f} s ({} already stored, {} failed, {} truncated); "
      "{} of {} planned items stored in {}\n",
      s.interrupted ? "stopped" : "done", s.items_scored, s.seconds, s.items_already_stored,
      s.items_failed, s.items_truncated, stored, s.items_planned, s.store);
  if (s.interrupted)
    text += "rerun the same command to resume: nothing stored is scored again\n";
  if (s.items_failed > 0)
    text += "items that could not be scored are stored with their error (see the notes above)\n";
  if (s.items_nonfinite > 0) {
    text += fmt::format(
        "{} item(s) got non-finite log-probabilities (NaN or infinity) and were not stored; "
        "the next run scores them again\n",
        s.items_nonfinite);
  }
  return text;
}

std::string NonFiniteReport(const RunSummary& s) {
  if (s.items_nonfinite == 0)
    return "";
  constexpr std::size_t kShown = 10;  // item indices named per run
  std::string runs;
  for (const RunOutcome& run : s.runs) {
    const std::vector<std::int64_t>& items = run.nonfinite_items;
    if (items.empty())
      continue;
    const std::size_t shown = std::min(items.size(), kShown);
    runs += fmt::format(
        "; model '{}' {}/{}: {} item(s) ({}{})", run.model, run.task, run.style, items.size(),
        fmt::join(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
        items.size() > shown ? ", ..." : "");
  }
  return fmt::format(
      "the model produced non-finite log-probabilities (NaN or infinity) for {} item(s), which "
      "were not stored in {}{}; check the model file (the next run scores them again)",
      s.items_nonfinite, s.store, runs);
}

}  // namespace llmcal::study
