#include "calibration/internal/class_family.h"

#include "calibration/binning.h"

namespace llmcal::calibration::internal {

ClassFamily::ClassFamily(const ChoiceProbabilities& data, const ItemColumns& items, int bins,
                         int cl_bins, bool textbook, bool cl)
    : classes_(items.classes),
      bins_(static_cast<std::size_t>(bins)),
      cl_bins_(static_cast<std::size_t>(cl_bins)),
      textbook_(textbook),
      cl_(cl),
      offsets_(data.offsets()),
      p_(data.flat_probs()) {
  gold_.resize(p_.size());
  agree_.resize(p_.size());
  slot_.resize(textbook ? p_.size() : 0);
  cl_slot_.resize(cl ? p_.size() : 0);
  for (std::size_t i = 0; i < data.size(); ++i) {
    for (std::size_t e = offsets_[i]; e < offsets_[i + 1]; ++e) {
      const std::size_t k = e - offsets_[i];
      const bool is_gold = k == items.gold[i];
      const bool is_predicted = k == items.predicted[i];
      gold_[e] = is_gold ? 1 : 0;
      agree_[e] = is_gold == is_predicted ? 1 : 0;
      if (textbook)
        slot_[e] = static_cast<std::uint32_t>(k * bins_ + EqualWidthBin(p_[e], bins));
      if (cl) {
        const int b = LinspaceBin(p_[e], cl_bins);
        cl_slot_[e] = static_cast<std::uint32_t>(b < 0 ? classes_ * cl_bins_ : k * cl_bins_ + b);
      }
    }
  }
}

void ClassFamily::Evaluate(Weights weights, ValuesById& out) const {
  const std::span<const std::uint32_t> w = weights.w;
  std::vector<BinSums> slots(textbook_ ? classes_ * bins_ : 0);
  std::vector<BinSums> cl_slots(cl_ ? classes_ * cl_bins_ + 1 : 0);
  // Separate loops: each stays a tight gather-add over the entries.
  if (textbook_) {
    for (std::size_t i = 0; i < w.size(); ++i) {
      const double wi = w[i];
      for (std::size_t e = offsets_[i]; e < offsets_[i + 1]; ++e) {
        BinSums& s = slots[slot_[e]];
        s.count += wi;
        s.conf += wi * p_[e];
        s.hits += wi * gold_[e];
      }
    }
    EvaluateTextbook(slots, static_cast<double>(weights.total), out);
  }
  if (cl_) {
    for (std::size_t i = 0; i < w.size(); ++i) {
      const double wi = w[i];
      for (std::size_t e = offsets_[i]; e < offsets_[i + 1]; ++e) {
        BinSums& s = cl_slots[cl_slot_[e]];
        s.count += wi;
        s.conf += wi * p_[e];
        s.hits += wi * agree_[e];
      }
    }
    EvaluateCl(cl_slots, static_cast<double>(weights.total), out);
  }
}

void ClassFamily::EvaluateTextbook(const std::vector<BinSums>& slots, double total,
                                   ValuesById& out) const {
  // SCE = sum_k (N_k / sum_j N_j) sum_b (n_bk / N_k) gap_bk = sum_k sum_b n_bk gap_bk / sum_j N_j.
  double entries = 0, sce = 0;
  double rel = 0, res = 0, unc = 0;
  for (std::size_t k = 0; k < classes_; ++k) {
    const BinSums* bins = slots.data() + k * bins_;
    double class_count = 0, class_gold = 0;
    for (std::size_t b = 0; b < bins_; ++b) {
      class_count += bins[b].count;
      class_gold += bins[b].hits;
      if (bins[b].count > 0)
        sce += bins[b].count * bins[b].Gap();
    }
    entries += class_count;
    // Murphy: items without a k-th choice join bin 0 with p = 0, never gold.
    const double base_rate = class_gold / total;
    unc += base_rate * (1 - base_rate);
    for (std::size_t b = 0; b < bins_; ++b) {
      BinSums s = bins[b];
      if (b == 0)
        s.count += total - class_count;
      if (s.count == 0)
        continue;
      const double conf = s.conf / s.count;
      const double acc = s.hits / s.count;
      rel += s.count / total * (conf - acc) * (conf - acc);
      res += s.count / total * (acc - base_rate) * (acc - base_rate);
    }
  }
  At(out, MetricId::kSce).value = sce / entries;
  At(out, MetricId::kBrierRel).value = rel;
  At(out, MetricId::kBrierRes).value = res;
  At(out, MetricId::kBrierUnc).value = unc;
}

void ClassFamily::EvaluateCl(const std::vector<BinSums>& slots, double total,
                             ValuesById& out) const {
  double sce = 0;
  for (std::size_t s = 0; s < classes_ * cl_bins_; ++s) {
    if (slots[s].count > 0)
      sce += slots[s].count / total * slots[s].Gap();
  }
  At(out, MetricId::kSceCl).value = sce / static_cast<double>(classes_);
}

}  // namespace llmcal::calibration::internal
