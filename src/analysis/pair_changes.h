// How did a pair change? The paired-bootstrap change of every metric from a
// pair's pretrained (PT) to its instruction-tuned (IT) model on one (task,
// method), computed on the items both models have (DESIGN.md "Comparisons").
//
//   PairedSamples paired = CommonItems(pair, "arc_easy", *pt_sample, *it_sample, store.file());
//   std::vector<ChangeEstimate> changes = EstimateChanges(
//       "Llama-2-7b", "arc_easy", "choice", pt_probs, it_probs, metrics, bins, bootstrap);
//
// Deterministic for a bootstrap seed, whatever the thread count.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/results.h"
#include "analysis/store_samples.h"
#include "calibration/bootstrap.h"
#include "calibration/choice_probabilities.h"
#include "calibration/metrics.h"

namespace llmcal::analysis {

// The items two samples of one task share, in index order.
struct PairedSamples {
  Sample pt;
  Sample it;
  // Set when the item sets differ: one sentence for the user.
  std::optional<std::string> note;
};

// The items `pt` and `it` (samples of `pair`'s two models on `task`) both
// hold. Throws InputError naming `store_file` when a shared item's gold label
// or number of choices differs (the two models scored different task files).
PairedSamples CommonItems(const ModelPair& pair, const std::string& task, const Sample& pt,
                          const Sample& it, const std::string& store_file);

// The change of every metric from `pt` to `it` (the same items in the same
// order), with paired-bootstrap intervals when bootstrap.resamples > 0 and
// values only otherwise. A change is undefined when either side is.
// REQUIRES: pt and it hold the same items, non-empty; metrics non-empty.
std::vector<ChangeEstimate> EstimateChanges(const std::string& pair, const std::string& task,
                                            const std::string& method,
                                            const calibration::ChoiceProbabilities& pt,
                                            const calibration::ChoiceProbabilities& it,
                                            std::span<const calibration::MetricSpec> metrics,
                                            const calibration::BinOptions& bins,
                                            const calibration::BootstrapOptions& bootstrap);

}  // namespace llmcal::analysis
