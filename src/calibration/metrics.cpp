#include "calibration/metrics.h"

#include <limits>
#include <stdexcept>
#include <utility>

#include "calibration/internal/metric_families.h"

namespace llmcal::calibration {

MetricValue MetricValue::Undefined(std::string_view why) {
  return {std::numeric_limits<double>::quiet_NaN(), why};
}

MetricEvaluator::MetricEvaluator(const ChoiceProbabilities& data, std::vector<MetricSpec> selection,
                                 BinOptions bins)
    : selection_(std::move(selection)), bins_(bins) {
  if (data.empty())
    throw std::invalid_argument("no items: metrics need at least one item");
  if (selection_.empty())
    throw std::invalid_argument("no metric selected");
  if (bins.bins < 1 || bins.cl_bins < 1)
    throw std::invalid_argument("the number of bins must be at least 1");
  if (data.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("too many items (at most 2^32 - 1)");
  families_ = std::make_unique<internal::MetricFamilies>(data, selection_, bins_);
}

MetricEvaluator::~MetricEvaluator() = default;
MetricEvaluator::MetricEvaluator(MetricEvaluator&&) noexcept = default;
MetricEvaluator& MetricEvaluator::operator=(MetricEvaluator&&) noexcept = default;

std::size_t MetricEvaluator::size() const {
  return families_->size();
}

std::vector<MetricValue> MetricEvaluator::Compute() const {
  const std::vector<std::uint32_t> once(size(), 1);
  return Compute(once);
}

std::vector<MetricValue> MetricEvaluator::Compute(std::span<const std::uint32_t> w) const {
  std::vector<MetricValue> out(selection_.size());
  Compute(w, out);
  return out;
}

void MetricEvaluator::Compute(std::span<const std::uint32_t> w, std::span<MetricValue> out) const {
  if (w.size() != size())
    throw std::invalid_argument("multiplicities do not match the items");
  if (out.size() != selection_.size())
    throw std::invalid_argument("the output does not match the selection");
  std::uint64_t total = 0;
  for (std::uint32_t m : w)
    total += m;
  if (total == 0)
    throw std::invalid_argument("no items: every multiplicity is 0");
  if (total > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("too many items in the multiset (at most 2^32 - 1)");
  families_->Evaluate({w, total}, out);
}

std::vector<MetricValue> ComputeMetrics(const ChoiceProbabilities& data,
                                        std::vector<MetricSpec> selection, BinOptions bins) {
  return MetricEvaluator(data, std::move(selection), bins).Compute();
}

}  // namespace llmcal::calibration
