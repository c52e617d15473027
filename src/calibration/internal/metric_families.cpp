#include "calibration/internal/metric_families.h"

#include <algorithm>

#include "calibration/smooth_ece.h"

namespace llmcal::calibration::internal {

namespace {

bool AnyOf(std::span<const MetricSpec> selection, std::initializer_list<MetricId> ids) {
  return std::any_of(selection.begin(), selection.end(), [ids](const MetricSpec& s) {
    return std::find(ids.begin(), ids.end(), s.id) != ids.end();
  });
}

}  // namespace

MetricFamilies::MetricFamilies(const ChoiceProbabilities& data,
                               std::span<const MetricSpec> selection, BinOptions bins)
    : selection_(selection.begin(), selection.end()), items_(ItemColumns::From(data)) {
  using enum MetricId;
  if (AnyOf(selection, {kAccuracy, kEce, kMce, kEceCl, kBrier, kNll}))
    top_label_.emplace(data, items_, bins.bins, bins.cl_bins);
  const bool textbook = AnyOf(selection, {kSce, kBrierRel, kBrierRes, kBrierUnc});
  const bool cl = AnyOf(selection, {kSceCl});
  if (textbook || cl)
    classes_.emplace(data, items_, bins.bins, bins.cl_bins, textbook, cl);
  if (AnyOf(selection, {kAce}))
    ace_.emplace(data, items_, bins.bins);
  std::vector<double> coverages;
  coverage_index_.assign(selection.size(), 0);
  for (std::size_t j = 0; j < selection.size(); ++j) {
    if (selection[j].id == kSelectiveAcc) {
      coverage_index_[j] = coverages.size();
      coverages.push_back(selection[j].parameter);
    }
  }
  coverages_ = coverages.size();
  const bool equal_mass = AnyOf(selection, {kEceEm});
  const bool selective = AnyOf(selection, {kAuroc, kAurc, kAugrc, kSelectiveAcc});
  if (equal_mass || selective)
    ranking_.emplace(items_, bins.bins, equal_mass, selective, std::move(coverages));
  if (AnyOf(selection, {kLetterRstd}))
    letters_.emplace(data, bins.bins);
  smooth_ = AnyOf(selection, {kSmece});
}

void MetricFamilies::Evaluate(Weights weights, std::span<MetricValue> out) const {
  ValuesById by_id{};
  std::vector<MetricValue> selective(coverages_);
  if (top_label_)
    top_label_->Evaluate(weights, by_id);
  if (classes_)
    classes_->Evaluate(weights, by_id);
  if (ace_)
    ace_->Evaluate(weights, by_id);
  if (ranking_)
    ranking_->Evaluate(weights, by_id, selective);
  if (letters_)
    At(by_id, MetricId::kLetterRstd).value = RecallStd(letters_->Compute(weights.w));
  if (smooth_)
    At(by_id, MetricId::kSmece).value = SmoothEce(items_.conf, items_.correct, weights.w).value;
  for (std::size_t j = 0; j < selection_.size(); ++j) {
    out[j] = selection_[j].id == MetricId::kSelectiveAcc
                 ? selective[coverage_index_[j]]
                 : by_id[static_cast<std::size_t>(selection_[j].id)];
  }
}

}  // namespace llmcal::calibration::internal
