#include "calibration/internal/sorted_column.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace llmcal::calibration::internal {

// Sorting 1M items must take milliseconds, so: a stable LSD radix sort on the
// float32 bit patterns (which order non-negative floats like their values;
// rounding to float never reverses an order, only merges neighbours), then each
// run of equal float keys is put in exact double order by a stable sort, which
// keeps ties by position.
std::vector<std::uint32_t> SortedPositions(std::span<const double> values) {
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

SortedColumn SortedColumn::Sort(std::span<const double> values, std::span<const std::uint8_t> hits,
                                std::span<const std::uint32_t> items) {
  SortedColumn column;
  column.value.reserve(values.size());
  column.hit.reserve(values.size());
  column.item.reserve(values.size());
  for (std::uint32_t pos : SortedPositions(values)) {
    column.value.push_back(values[pos]);
    column.hit.push_back(hits[pos]);
    column.item.push_back(items[pos]);
  }
  return column;
}

double EqualMassError(const SortedColumn& column, std::span<const std::uint32_t> w,
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
    error += mean_over_parts ? s.Gap() / static_cast<double>(parts)
                             : s.Gap() * s.count / static_cast<double>(total);
  }
  return error;
}

}  // namespace llmcal::calibration::internal
