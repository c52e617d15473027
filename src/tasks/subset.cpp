#include "tasks/subset.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace llmcal::tasks {

std::vector<std::size_t> FirstItems(std::size_t count, std::size_t n) {
  std::vector<std::size_t> out(std::min(n, count));
  std::iota(out.begin(), out.end(), std::size_t{0});
  return out;
}

std::uint64_t UniformBelow(std::mt19937_64& engine, std::uint64_t bound) {
  // 2^64 mod bound values at the bottom of the range would make small
  // remainders more likely; drawing again past them leaves an exact multiple.
  const std::uint64_t reject_below = (0 - bound) % bound;
  while (true) {
    const std::uint64_t value = engine();
    if (value >= reject_below) {
      return value % bound;
    }
  }
}

std::vector<std::size_t> SampleItems(std::size_t count, std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 engine(seed);
  const std::size_t take = std::min(n, count);
  for (std::size_t i = 0; i < take; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(UniformBelow(engine, count - i));
    std::swap(order[i], order[j]);
  }
  order.resize(take);
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace llmcal::tasks
