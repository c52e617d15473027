// Internal to the metric evaluator: the metric families a selection needs,
// prepared once, and the mapping from their outputs to the selection's order.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "calibration/choice_probabilities.h"
#include "calibration/internal/ace_family.h"
#include "calibration/internal/class_family.h"
#include "calibration/internal/item_columns.h"
#include "calibration/internal/ranking_family.h"
#include "calibration/internal/top_label_family.h"
#include "calibration/internal/weights.h"
#include "calibration/letter_bias.h"
#include "calibration/metric_table.h"
#include "calibration/metrics.h"

namespace llmcal::calibration::internal {

class MetricFamilies {
 public:
  // Prepares only the families that compute a metric of `selection`.
  MetricFamilies(const ChoiceProbabilities& data, std::span<const MetricSpec> selection,
                 BinOptions bins);
  // The families point into items_: not copyable, not movable.
  MetricFamilies(const MetricFamilies&) = delete;
  MetricFamilies& operator=(const MetricFamilies&) = delete;

  std::size_t size() const { return items_.conf.size(); }

  // Writes the selection's values for the multiset `weights` into out.
  void Evaluate(Weights weights, std::span<MetricValue> out) const;

 private:
  std::vector<MetricSpec> selection_;
  ItemColumns items_;
  std::optional<TopLabelFamily> top_label_;
  std::optional<ClassFamily> classes_;
  std::optional<AceFamily> ace_;
  std::optional<RankingFamily> ranking_;
  std::optional<LetterBias> letters_;
  bool smooth_ = false;
  // coverage_index_[j]: the coverage index of selection_[j] when it is selective_acc@C.
  std::vector<std::size_t> coverage_index_;
  std::size_t coverages_ = 0;
};

}  // namespace llmcal::calibration::internal
