#include "calibration/internal/ranking_family.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace llmcal::calibration::internal {

std::uint64_t CoverageCount(double coverage, std::uint64_t n) {
  const double x = coverage * static_cast<double>(n);
  const double nearest = std::round(x);
  const std::uint64_t m = std::abs(x - nearest) <= 1e-9 * std::max(1.0, x)
                              ? static_cast<std::uint64_t>(nearest)
                              : static_cast<std::uint64_t>(std::ceil(x));
  return std::clamp<std::uint64_t>(m, 1, n);
}

RankingFamily::RankingFamily(const ItemColumns& items, int bins, bool equal_mass, bool selective,
                             std::vector<double> coverages)
    : bins_(bins),
      equal_mass_(equal_mass),
      selective_(selective),
      coverages_(std::move(coverages)) {
  std::vector<std::uint32_t> owners(items.conf.size());
  std::iota(owners.begin(), owners.end(), 0u);
  top_ = SortedColumn::Sort(items.conf, items.correct, owners);
  for (std::size_t j = 0; j < top_.value.size(); ++j) {
    if (j == 0 || top_.value[j] != top_.value[j - 1])
      group_start_.push_back(static_cast<std::uint32_t>(j));
  }
  group_start_.push_back(static_cast<std::uint32_t>(top_.value.size()));
}

void RankingFamily::Evaluate(Weights weights, ValuesById& out,
                             std::span<MetricValue> selective) const {
  if (equal_mass_) {
    std::vector<BinSums> scratch;
    At(out, MetricId::kEceEm).value =
        EqualMassError(top_, weights.w, weights.total, bins_, false, scratch);
  }
  if (selective_)
    EvaluateSelective(weights, out, selective);
}

void RankingFamily::EvaluateSelective(Weights weights, ValuesById& out,
                                      std::span<MetricValue> selective) const {
  const std::span<const std::uint32_t> w = weights.w;
  std::vector<std::uint64_t> keep(coverages_.size());
  for (std::size_t c = 0; c < coverages_.size(); ++c)
    keep[c] = CoverageCount(coverages_[c], weights.total);

  // Walk the tie groups from the most confident down. Before group g:
  // `above` items, `errors_above` errors, `right_above` right items.
  double above = 0, errors_above = 0, right_above = 0;
  double concordant = 0;  // right-above-wrong pairs, ties counting 1/2
  double risk_sum = 0;    // sum_j E_j / j
  double error_sum = 0;   // sum_j E_j
  for (std::size_t g = group_start_.size() - 1; g-- > 0;) {
    double size = 0, errors = 0;
    for (std::uint32_t j = group_start_[g]; j < group_start_[g + 1]; ++j) {
      const double wj = w[top_.item[j]];
      size += wj;
      errors += wj * (1 - top_.hit[j]);
    }
    if (size == 0)
      continue;
    const double right = size - errors;
    concordant += errors * (right_above + 0.5 * right);
    // E_{above + m} = errors_above + m * errors / size for m = 1..size.
    error_sum += size * errors_above + errors * (size + 1) / 2;
    const double per_item = errors / size;
    if (errors_above > 0 || errors > 0) {
      for (double m = 1; m <= size; ++m)
        risk_sum += (errors_above + m * per_item) / (above + m);
    }
    for (std::size_t c = 0; c < keep.size(); ++c) {
      const auto m = static_cast<double>(keep[c]);
      if (m > above && m <= above + size) {
        const double expected_errors = errors_above + (m - above) * per_item;
        selective[c].value = 1 - expected_errors / m;
      }
    }
    above += size;
    errors_above += errors;
    right_above += right;
  }
  const double n = above;
  const double wrong = errors_above;
  const double right = n - wrong;
  if (right == 0) {
    At(out, MetricId::kAuroc) =
        MetricValue::Undefined("every item is wrong: no right item to rank");
  } else if (wrong == 0) {
    At(out, MetricId::kAuroc) =
        MetricValue::Undefined("every item is right: no wrong item to rank");
  } else {
    At(out, MetricId::kAuroc).value = concordant / (right * wrong);
  }
  At(out, MetricId::kAurc).value = risk_sum / n;
  At(out, MetricId::kAugrc).value = error_sum / (n * n);
}

}  // namespace llmcal::calibration::internal
