// The samples of a study store: for one (model, task, confidence method), the
// scored items that method reads, and their probabilities over the choices.
// This file answers "which items does this number rest on?" for the rest of
// analysis/; nothing here computes a metric.
//
// A method reads the run of its prompt style (choice: the lettered style;
// every other method: the answer-text style). A task without a run of its own
// that is an MMLU group or subject ("mmlu_stem", "mmlu_anatomy") pools the
// items of the model's `mmlu` run whose subject belongs to it (DESIGN.md:
// groups pool their items, they do not average subjects). Items stored with
// an error are left out and counted.
//
//   StoreSamples samples(store);
//   if (std::optional<Sample> s = samples.Find("base", "mmlu_stem", ConfidenceMethod::kChoice))
//     ChoiceProbabilities p = samples.Probabilities(*s, ConfidenceMethod::kChoice);
//
// Not thread-safe: scores are read from the store on first use and kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "calibration/choice_probabilities.h"
#include "calibration/confidence_methods.h"
#include "store/store.h"

namespace llmcal::analysis {

// The prompt style whose runs `method` reads: "choice" or "continuation".
std::string_view StyleOf(calibration::ConfidenceMethod method);

// The scored items of one (model, task, style), ascending by item index.
struct Sample {
  const store::RunRecord* run = nullptr;  // the run read (the mmlu run for a group)
  const store::RunScores* scores = nullptr;
  std::vector<const store::ItemSummary*> items;  // scorable items
  std::size_t failed = 0;                        // items of the task stored with an error
};

class StoreSamples {
 public:
  // REQUIRES: store outlives this object.
  explicit StoreSamples(store::Store& store);

  const std::string& file() const { return store_.file(); }
  const std::vector<store::RunRecord>& runs() const { return runs_; }

  // Every model with runs, in the order of their first run.
  std::vector<std::string> Models() const;
  bool HasModel(const std::string& model) const;
  // True when some run used `style`.
  bool StyleWasRun(std::string_view style) const;

  // The sample of `task` for (model, style), or nullopt when no run provides it.
  std::optional<Sample> Find(const std::string& model, const std::string& task,
                             std::string_view style);

  // The probabilities of `method` over each item's choices, in item order.
  // Throws InputError naming the store, the run (model, task, style) and the
  // item when a stored value cannot be used (a gold label outside the
  // choices, a score that is NaN or +infinity).
  calibration::ChoiceProbabilities Probabilities(const Sample& sample,
                                                 calibration::ConfidenceMethod method) const;

 private:
  const store::RunRecord* Run(const std::string& model, const std::string& task,
                              std::string_view style) const;
  // The items of `run` whose subject is in `subjects` (all when empty).
  Sample Select(const store::RunRecord& run, const std::set<std::string>& subjects);

  store::Store& store_;
  std::vector<store::RunRecord> runs_;
  std::map<std::tuple<std::string, std::string, std::string>, const store::RunRecord*> by_key_;
  std::map<std::int64_t, store::RunScores> scores_;
};

}  // namespace llmcal::analysis
