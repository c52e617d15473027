#include "calibration/metrics.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "calibration/binning.h"
#include "calibration/smooth_ece.h"

namespace llmcal::calibration {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Returns the positions 0..values.size()-1 ordered by value, ties by position.
// REQUIRES: values >= 0 (probabilities). Sorting 1M items must take
// milliseconds, so: a stable LSD radix sort on the float32 bit patterns (which
// order non-negative floats like their values; rounding to float never
// reverses an order, only merges neighbours), then each run of equal float keys
// is put in exact double order by a stable sort, which keeps ties by position.
std::vector<std::uint32_t> SortedPositions(const std::vector<double>& values) {
  constexpr int kDigitBits = 11;
  constexpr int kDigits = 3;  // 33 bits >= 32
  constexpr std::uint32_t kMask = (1u << kDigitBits) - 1;
  constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
  struct Keyed {
    std::uint32_t key;
    std::uint32_t position;
  };
  const std::size_t n = values.size();
  std::vector<Keyed> items(n), buffer(n);
  std::vector<std::size_t> counts(kDigits * kBuckets, 0);
  for (std::size_t i = 0; i < n; ++i) {
    // +0.0 for -0.0, whose sign bit would sort it last.
    const std::uint32_t key =
        values[i] == 0 ? 0 : std::bit_cast<std::uint32_t>(static_cast<float>(values[i]));
    items[i] = {key, static_cast<std::uint32_t>(i)};
    for (int d = 0; d < kDigits; ++d) {
      ++counts[static_cast<std::size_t>(d) * kBuckets + ((key >> (d * kDigitBits)) & kMask)];
    }
  }
  for (int d = 0; d < kDigits; ++d) {
    std::size_t* count = counts.data() + static_cast<std::size_t>(d) * kBuckets;
    // A digit that every key shares reorders nothing.
    if (std::find(count, count + kBuckets, n) != count + kBuckets)
      continue;
    std::size_t start = 0;
    for (std::size_t b = 0; b < kBuckets; ++b)
      start += std::exchange(count[b], start);
    for (const Keyed& item : items) {
      buffer[count[(item.key >> (d * kDigitBits)) & kMask]++] = item;
    }
    items.swap(buffer);
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i)
    order[i] = items[i].position;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = start + 1;
    while (end < n && items[end].key == items[start].key)
      ++end;
    if (end - start > 1) {
      std::stable_sort(
          order.begin() + static_cast<std::ptrdiff_t>(start),
          order.begin() + static_cast<std::ptrdiff_t>(end),
          [&values](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
    }
    start = end;
  }
  return order;
}

}  // namespace

std::string_view MetricName(Metric metric) {
  switch (metric) {
    case Metric::kAccuracy:
      return "accuracy";
    case Metric::kEce:
      return "ece";
    case Metric::kEceEm:
      return "ece_em";
    case Metric::kMce:
      return "mce";
    case Metric::kSce:
      return "sce";
    case Metric::kAce:
      return "ace";
    case Metric::kBrier:
      return "brier";
    case Metric::kNll:
      return "nll";
    case Metric::kSmece:
      return "smece";
  }
  return "unknown";
}

MetricEvaluator::MetricEvaluator(const ChoiceProbabilities& data, int bins)
    : bins_(bins), max_choices_(data.max_choices()) {
  if (data.empty())
    throw std::invalid_argument("no items: metrics need at least one item");
  if (bins < 1)
    throw std::invalid_argument("the number of bins must be at least 1");
  if (data.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument("too many items (at most 2^32 - 1)");
  }
  const std::size_t n = data.size();
  conf_.resize(n);
  correct_.resize(n);
  width_bin_.resize(n);
  brier_.resize(n);
  nll_.resize(n);
  num_choices_.resize(n);
  entry_p_ = data.flat_probs();
  entry_gold_.assign(entry_p_.size(), 0);
  offsets_ = data.offsets();
  entry_slot_.resize(entry_p_.size());
  std::vector<std::vector<double>> class_values(max_choices_);
  std::vector<std::vector<std::uint32_t>> class_items(max_choices_);
  std::vector<std::vector<std::uint8_t>> class_hits(max_choices_);
  for (std::size_t k = 0; k < max_choices_; ++k) {
    class_values[k].reserve(n);
    class_items[k].reserve(n);
    class_hits[k].reserve(n);
  }

  for (std::size_t i = 0; i < n; ++i) {
    const std::span<const double> p = data.probs(i);
    const auto gold = static_cast<std::size_t>(data.gold(i));
    const auto predicted = static_cast<std::size_t>(data.predicted(i));
    conf_[i] = p[predicted];
    correct_[i] = predicted == gold ? 1 : 0;
    width_bin_[i] = static_cast<std::uint32_t>(EqualWidthBin(conf_[i], bins));
    double brier = 0;
    for (std::size_t k = 0; k < p.size(); ++k) {
      const double d = p[k] - (k == gold ? 1.0 : 0.0);
      brier += d * d;
      const std::size_t e = data.offsets()[i] + k;
      entry_gold_[e] = k == gold ? 1 : 0;
      entry_slot_[e] = static_cast<std::uint32_t>(
          k * static_cast<std::size_t>(bins) + static_cast<std::size_t>(EqualWidthBin(p[k], bins)));
      class_values[k].push_back(p[k]);
      class_items[k].push_back(static_cast<std::uint32_t>(i));
      class_hits[k].push_back(k == gold ? 1 : 0);
    }
    brier_[i] = brier;
    nll_[i] = -std::log(p[gold]);
    num_choices_[i] = static_cast<std::uint32_t>(p.size());
  }

  top_.value.reserve(n);
  top_.hit.reserve(n);
  top_.item.reserve(n);
  for (std::uint32_t i : SortedPositions(conf_)) {
    top_.value.push_back(conf_[i]);
    top_.hit.push_back(correct_[i]);
    top_.item.push_back(i);
  }
  classes_.resize(max_choices_);
  for (std::size_t k = 0; k < max_choices_; ++k) {
    SortedColumn& column = classes_[k];
    column.value.reserve(class_values[k].size());
    column.hit.reserve(class_values[k].size());
    column.item.reserve(class_values[k].size());
    for (std::uint32_t pos : SortedPositions(class_values[k])) {
      column.value.push_back(class_values[k][pos]);
      column.hit.push_back(class_hits[k][pos]);
      column.item.push_back(class_items[k][pos]);
    }
  }
}

MetricValues MetricEvaluator::Compute() const {
  const std::vector<std::uint32_t> once(size(), 1);
  return Compute(once);
}

// Cuts `column` (weighted by w, total weight `total`) into `parts` equal-count
// parts: part r holds positions floor(r * total / parts) up to
// floor((r + 1) * total / parts) of the sorted sequence, an item of weight w
// taking w consecutive positions. Returns sum over non-empty parts of
// weight * |acc - conf|, where weight is count / total, or 1 / parts when
// mean_over_parts.
double MetricEvaluator::EqualMassError(const SortedColumn& column, std::span<const std::uint32_t> w,
                                       std::uint64_t total, int parts, bool mean_over_parts,
                                       std::vector<BinSums>& scratch) {
  if (total == 0)
    return 0;
  const auto num_parts = static_cast<std::uint64_t>(parts);
  scratch.assign(static_cast<std::size_t>(parts), BinSums{});
  std::uint64_t position = 0;
  std::uint64_t part = 0;
  std::uint64_t part_end = total / num_parts;  // floor(1 * total / parts)
  BinSums* current = scratch.data();
  for (std::size_t j = 0; j < column.item.size(); ++j) {
    std::uint64_t left = w[column.item[j]];
    // Almost every item (also every item of weight 0) fits in the current part:
    // no branch on the weight there, as resamples make it unpredictable.
    if (position + left <= part_end) {
      const auto t = static_cast<double>(left);
      current->count += t;
      current->conf += t * column.value[j];
      current->hits += t * column.hit[j];
      position += left;
      continue;
    }
    while (left > 0) {
      while (position >= part_end) {
        ++part;
        part_end = (part + 1) * total / num_parts;
      }
      current = &scratch[part];
      const std::uint64_t take = std::min(left, part_end - position);
      const auto t = static_cast<double>(take);
      current->count += t;
      current->conf += t * column.value[j];
      current->hits += t * column.hit[j];
      position += take;
      left -= take;
    }
  }
  double error = 0;
  for (const BinSums& s : scratch) {
    if (s.count == 0)
      continue;
    const double gap = std::abs(s.hits / s.count - s.conf / s.count);
    error += mean_over_parts ? gap / static_cast<double>(parts)
                             : gap * s.count / static_cast<double>(total);
  }
  return error;
}

MetricValues MetricEvaluator::Compute(std::span<const std::uint32_t> w) const {
  if (w.size() != size())
    throw std::invalid_argument("multiplicities do not match the items");
  const auto bins = static_cast<std::size_t>(bins_);
  MetricValues out;

  // Per item: accuracy, Brier, NLL, equal-width top-label bins.
  std::uint64_t total = 0;
  double hits = 0, brier = 0, nll = 0;
  std::size_t sample_k = 0;
  std::vector<BinSums> width(bins);
  // No branch on w[i] == 0 (unpredictable in a resample): weight 0 adds 0,
  // except to the NLL, where 0 * infinity would be NaN.
  for (std::size_t i = 0; i < size(); ++i) {
    const double wi = w[i];
    total += w[i];
    hits += wi * correct_[i];
    brier += wi * brier_[i];
    nll += w[i] ? wi * nll_[i] : 0.0;
    sample_k = std::max<std::size_t>(sample_k, w[i] ? num_choices_[i] : 0);
    BinSums& s = width[width_bin_[i]];
    s.count += wi;
    s.conf += wi * conf_[i];
    s.hits += wi * correct_[i];
  }
  if (total == 0)
    throw std::invalid_argument("no items: every multiplicity is 0");
  const auto n = static_cast<double>(total);
  out[Metric::kAccuracy] = hits / n;
  out[Metric::kBrier] = brier / n;
  out[Metric::kNll] = nll / n;
  double ece = 0, mce = 0;
  for (const BinSums& s : width) {
    if (s.count == 0)
      continue;
    const double gap = std::abs(s.hits / s.count - s.conf / s.count);
    ece += s.count / n * gap;
    mce = std::max(mce, gap);
  }
  out[Metric::kEce] = ece;
  out[Metric::kMce] = mce;

  // SCE: per class k and equal-width bin of p_ik. An item's entries are
  // consecutive, from offsets_[i].
  std::vector<BinSums> slots(max_choices_ * bins);
  for (std::size_t i = 0; i < size(); ++i) {
    const double wi = w[i];
    for (std::size_t e = offsets_[i]; e < offsets_[i + 1]; ++e) {
      BinSums& s = slots[entry_slot_[e]];
      s.count += wi;
      s.conf += wi * entry_p_[e];
      s.hits += wi * entry_gold_[e];
    }
  }
  double sce = 0;
  for (std::size_t k = 0; k < sample_k; ++k) {
    double class_total = 0;
    for (std::size_t b = 0; b < bins; ++b)
      class_total += slots[k * bins + b].count;
    for (std::size_t b = 0; b < bins; ++b) {
      const BinSums& s = slots[k * bins + b];
      if (s.count == 0)
        continue;
      sce += s.count / class_total * std::abs(s.hits / s.count - s.conf / s.count);
    }
  }
  out[Metric::kSce] = sce / static_cast<double>(sample_k);

  // Equal-mass ECE and ACE.
  std::vector<BinSums> scratch;
  out[Metric::kEceEm] = EqualMassError(top_, w, total, bins_, false, scratch);
  double ace = 0;
  for (std::size_t k = 0; k < sample_k; ++k) {
    // N_k, the (weighted) number of items having a k-th choice.
    std::uint64_t class_total = 0;
    for (std::size_t b = 0; b < bins; ++b) {
      class_total += static_cast<std::uint64_t>(slots[k * bins + b].count);
    }
    ace += EqualMassError(classes_[k], w, class_total, bins_, true, scratch);
  }
  out[Metric::kAce] = ace / static_cast<double>(sample_k);

  out[Metric::kSmece] = SmoothEce(conf_, correct_, w).value;
  return out;
}

std::vector<ReliabilityBin> MetricEvaluator::Reliability() const {
  std::vector<ReliabilityBin> diagram(static_cast<std::size_t>(bins_));
  std::vector<BinSums> sums(diagram.size());
  for (std::size_t i = 0; i < size(); ++i) {
    BinSums& s = sums[width_bin_[i]];
    s.count += 1;
    s.conf += conf_[i];
    s.hits += correct_[i];
  }
  for (std::size_t b = 0; b < diagram.size(); ++b) {
    ReliabilityBin& bin = diagram[b];
    bin.lo = BinEdge(static_cast<int>(b), bins_);
    bin.hi = BinEdge(static_cast<int>(b) + 1, bins_);
    bin.count = static_cast<std::uint64_t>(sums[b].count);
    bin.confidence = bin.count ? sums[b].conf / sums[b].count : kNaN;
    bin.accuracy = bin.count ? sums[b].hits / sums[b].count : kNaN;
  }
  return diagram;
}

MetricValues ComputeMetrics(const ChoiceProbabilities& data, int bins) {
  return MetricEvaluator(data, bins).Compute();
}

}  // namespace llmcal::calibration
