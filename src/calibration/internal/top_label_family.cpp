#include "calibration/internal/top_label_family.h"

#include <algorithm>
#include <cmath>

#include "calibration/binning.h"

namespace llmcal::calibration::internal {

TopLabelFamily::TopLabelFamily(const ChoiceProbabilities& data, const ItemColumns& items, int bins,
                               int cl_bins)
    : items_(&items), bins_(bins), cl_bins_(cl_bins) {
  const std::size_t n = data.size();
  width_bin_.resize(n);
  cl_bin_.resize(n);
  brier_.resize(n);
  nll_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double c = items.conf[i];
    width_bin_[i] = static_cast<std::uint32_t>(EqualWidthBin(c, bins));
    const int cl = LinspaceBin(c, cl_bins);
    cl_bin_[i] = static_cast<std::uint32_t>(cl < 0 ? cl_bins : cl);
    const std::span<const double> p = data.probs(i);
    double brier = 0;
    for (std::size_t k = 0; k < p.size(); ++k) {
      const double d = p[k] - (k == items.gold[i] ? 1.0 : 0.0);
      brier += d * d;
    }
    brier_[i] = brier;
    nll_[i] = -std::log(p[items.gold[i]]);
  }
}

void TopLabelFamily::Evaluate(Weights weights, ValuesById& out) const {
  const std::span<const std::uint32_t> w = weights.w;
  std::vector<BinSums> width(static_cast<std::size_t>(bins_));
  // One slot past the last bin collects confidences in no bin.
  std::vector<BinSums> cl(static_cast<std::size_t>(cl_bins_) + 1);
  double hits = 0, brier = 0, nll = 0;
  // No branch on w[i] == 0 (unpredictable in a resample): weight 0 adds 0,
  // except to the NLL, where 0 * infinity would be NaN.
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double wi = w[i];
    const double c = items_->conf[i];
    const double hit = items_->correct[i];
    hits += wi * hit;
    brier += wi * brier_[i];
    nll += w[i] ? wi * nll_[i] : 0.0;
    BinSums& s = width[width_bin_[i]];
    s.count += wi;
    s.conf += wi * c;
    s.hits += wi * hit;
    BinSums& t = cl[cl_bin_[i]];
    t.count += wi;
    t.conf += wi * c;
    t.hits += wi * hit;
  }
  const auto n = static_cast<double>(weights.total);
  At(out, MetricId::kAccuracy).value = hits / n;
  At(out, MetricId::kBrier).value = brier / n;
  At(out, MetricId::kNll).value = nll / n;
  double ece = 0, mce = 0;
  for (const BinSums& s : width) {
    if (s.count == 0)
      continue;
    ece += s.count / n * s.Gap();
    mce = std::max(mce, s.Gap());
  }
  At(out, MetricId::kEce).value = ece;
  At(out, MetricId::kMce).value = mce;
  // calibration_library: bin proportions divide by every item, also those in no bin.
  double ece_cl = 0;
  for (std::size_t b = 0; b < static_cast<std::size_t>(cl_bins_); ++b) {
    if (cl[b].count > 0)
      ece_cl += cl[b].count / n * cl[b].Gap();
  }
  At(out, MetricId::kEceCl).value = ece_cl;
}

}  // namespace llmcal::calibration::internal
