#include "calibration/internal/ace_family.h"

#include <cstdint>

namespace llmcal::calibration::internal {

AceFamily::AceFamily(const ChoiceProbabilities& data, const ItemColumns& items, int ranges)
    : ranges_(ranges) {
  const std::size_t n = data.size();
  std::vector<double> values;
  std::vector<std::uint8_t> hits;
  std::vector<std::uint32_t> owners;
  values.reserve(n);
  hits.reserve(n);
  owners.reserve(n);
  for (std::size_t k = 0; k < items.classes; ++k) {
    values.clear();
    hits.clear();
    owners.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const std::span<const double> p = data.probs(i);
      if (k >= p.size())
        continue;
      values.push_back(p[k]);
      hits.push_back(k == items.gold[i] ? 1 : 0);
      owners.push_back(static_cast<std::uint32_t>(i));
    }
    classes_.push_back(SortedColumn::Sort(values, hits, owners));
  }
}

void AceFamily::Evaluate(Weights weights, ValuesById& out) const {
  std::vector<BinSums> scratch;
  double weighted = 0, entries = 0;
  for (const SortedColumn& column : classes_) {
    // N_k: the weight of the items having a k-th choice.
    std::uint64_t class_total = 0;
    for (std::uint32_t i : column.item)
      class_total += weights.w[i];
    const auto n_k = static_cast<double>(class_total);
    weighted += n_k * EqualMassError(column, weights.w, class_total, ranges_, true, scratch);
    entries += n_k;
  }
  At(out, MetricId::kAce).value = weighted / entries;
}

}  // namespace llmcal::calibration::internal
