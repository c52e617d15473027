#include "study/run_summary.h"

#include <fmt/format.h>

namespace llmcal::study {

void RunSummary::Add(const RunOutcome& run) {
  runs.push_back(run);
  items_planned += run.items_planned;
  items_already_stored += run.items_already_stored;
  items_scored += run.items_scored;
  items_failed += run.items_failed;
  items_truncated += run.items_truncated;
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
                    {"items_truncated", run.items_truncated}});
  }
  return {{"items_scored", summary.items_scored},
          {"items_already_stored", summary.items_already_stored},
          {"items_failed", summary.items_failed},
          {"seconds", summary.seconds},
          {"items_planned", summary.items_planned},
          {"items_truncated", summary.items_truncated},
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
  return text;
}

}  // namespace llmcal::study
