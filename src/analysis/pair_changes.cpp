#include "analysis/pair_changes.h"

#include <fmt/format.h>

#include "analysis/sample_estimates.h"
#include "calibration/comparisons.h"
#include "common/error.h"

namespace llmcal::analysis {

namespace {

namespace cal = calibration;

// The changes without a bootstrap: values only.
std::vector<cal::MetricChange> PointChanges(const cal::ChoiceProbabilities& pt,
                                            const cal::ChoiceProbabilities& it,
                                            std::span<const cal::MetricSpec> metrics,
                                            const cal::BinOptions& bins) {
  const std::vector<cal::MetricSpec> selection(metrics.begin(), metrics.end());
  const std::vector<cal::MetricValue> a = cal::ComputeMetrics(pt, selection, bins);
  const std::vector<cal::MetricValue> b = cal::ComputeMetrics(it, selection, bins);
  std::vector<cal::MetricChange> changes;
  for (std::size_t m = 0; m < selection.size(); ++m) {
    cal::MetricChange c;
    c.spec = selection[m];
    c.pt = a[m];
    c.it = b[m];
    c.difference = b[m].value - a[m].value;
    c.change_rate = cal::ChangeRate(a[m].value, b[m].value);
    changes.push_back(c);
  }
  return changes;
}

}  // namespace

PairedSamples CommonItems(const ModelPair& pair, const std::string& task, const Sample& pt,
                          const Sample& it, const std::string& store_file) {
  PairedSamples paired{.pt = {.run = pt.run, .scores = pt.scores, .items = {}, .failed = 0},
                       .it = {.run = it.run, .scores = it.scores, .items = {}, .failed = 0},
                       .note = std::nullopt};
  std::size_t i = 0, j = 0;
  while (i < pt.items.size() && j < it.items.size()) {
    const store::ItemSummary& x = *pt.items[i];
    const store::ItemSummary& y = *it.items[j];
    if (x.index < y.index) {
      ++i;
    } else if (y.index < x.index) {
      ++j;
    } else {
      if (x.gold != y.gold || x.n_choices != y.n_choices) {
        throw InputError::At(
            store_file, 0, "",
            fmt::format("pair {}, task {}: item {} has gold {} of {} choices for {} but gold {} "
                        "of {} for {}; the two models scored different task files",
                        pair.name, task, x.index, x.gold, x.n_choices, pair.base, y.gold,
                        y.n_choices, pair.instruct));
      }
      paired.pt.items.push_back(&x);
      paired.it.items.push_back(&y);
      ++i;
      ++j;
    }
  }
  if (paired.pt.items.size() != pt.items.size() || paired.it.items.size() != it.items.size()) {
    paired.note = fmt::format(
        "pair {}, task {}: {} has {} scored items and {} has {}; compared on the {} both have",
        pair.name, task, pair.base, pt.items.size(), pair.instruct, it.items.size(),
        paired.pt.items.size());
  }
  return paired;
}

std::vector<ChangeEstimate> EstimateChanges(const std::string& pair, const std::string& task,
                                            const std::string& method,
                                            const cal::ChoiceProbabilities& pt,
                                            const cal::ChoiceProbabilities& it,
                                            std::span<const cal::MetricSpec> metrics,
                                            const cal::BinOptions& bins,
                                            const cal::BootstrapOptions& bootstrap) {
  const int resamples = bootstrap.resamples;
  const std::vector<cal::MetricChange> changes =
      resamples > 0
          ? cal::PairedBootstrap(pt, it, {metrics.begin(), metrics.end()}, bins, bootstrap)
          : PointChanges(pt, it, metrics, bins);
  std::vector<ChangeEstimate> estimates;
  for (const cal::MetricChange& c : changes) {
    std::string reason;
    if (!c.pt.defined() || !c.it.defined()) {
      reason = fmt::format("undefined for the {} model: {}", c.pt.defined() ? "instruct" : "base",
                           c.pt.defined() ? c.it.reason : c.pt.reason);
    }
    estimates.push_back({.pair = pair,
                         .task = task,
                         .method = method,
                         .metric = c.spec.Name(),
                         .pt = c.pt.value,
                         .it = c.it.value,
                         .difference = c.difference,
                         .change_rate = c.change_rate,
                         .difference_ci = IntervalOf(c.difference_ci, resamples),
                         .change_rate_ci = IntervalOf(c.change_rate_ci, resamples),
                         .undefined_reason = reason});
  }
  return estimates;
}

}  // namespace llmcal::analysis
