#include "tasks/python_random.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <unordered_set>

namespace llmcal::tasks {
namespace {

constexpr int kM = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
constexpr std::uint32_t kUpperMask = 0x80000000U;
constexpr std::uint32_t kLowerMask = 0x7fffffffU;

// Python's int.bit_length() of a positive value.
int BitLength(std::uint32_t n) {
  return 32 - std::countl_zero(n);
}

// sample()'s threshold between its two branches:
//   setsize = 21; if k > 5: setsize += 4 ** _ceil(_log(k * 3, 4))
// computed with the same floating-point logarithm Python uses (math.log(x, 4)
// is log(x) / log(4) in double precision).
std::size_t SampleSetSize(std::size_t k) {
  std::size_t setsize = 21;
  if (k > 5) {
    const double exponent = std::ceil(std::log(static_cast<double>(k * 3)) / std::log(4.0));
    setsize += static_cast<std::size_t>(std::pow(4.0, exponent));
  }
  return setsize;
}

}  // namespace

PythonRandom::PythonRandom(std::uint64_t seed) {
  // random_seed(): the absolute value's 32-bit words, least significant
  // first; zero is one word 0.
  std::vector<std::uint32_t> key;
  do {
    key.push_back(static_cast<std::uint32_t>(seed & 0xffffffffU));
    seed >>= 32;
  } while (seed != 0);
  InitByArray(key);
}

void PythonRandom::InitGenrand(std::uint32_t s) {
  state_[0] = s;
  for (int i = 1; i < kN; ++i) {
    state_[i] =
        1812433253U * (state_[i - 1] ^ (state_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
  }
  index_ = kN;
}

void PythonRandom::InitByArray(const std::vector<std::uint32_t>& key) {
  InitGenrand(19650218U);
  int i = 1;
  std::size_t j = 0;
  const std::size_t key_length = key.size();
  for (std::size_t k = std::max<std::size_t>(kN, key_length); k > 0; --k) {
    state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1664525U)) + key[j] +
                static_cast<std::uint32_t>(j);
    ++i;
    ++j;
    if (i >= kN) {
      state_[0] = state_[kN - 1];
      i = 1;
    }
    if (j >= key_length) {
      j = 0;
    }
  }
  for (int k = kN - 1; k > 0; --k) {
    state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1566083941U)) -
                static_cast<std::uint32_t>(i);
    ++i;
    if (i >= kN) {
      state_[0] = state_[kN - 1];
      i = 1;
    }
  }
  state_[0] = 0x80000000U;  // MSB is 1, assuring a non-zero initial array
}

std::uint32_t PythonRandom::NextUint32() {
  if (index_ >= kN) {
    int kk = 0;
    for (; kk < kN - kM; ++kk) {
      const std::uint32_t y = (state_[kk] & kUpperMask) | (state_[kk + 1] & kLowerMask);
      state_[kk] = state_[kk + kM] ^ (y >> 1) ^ ((y & 1U) != 0 ? kMatrixA : 0U);
    }
    for (; kk < kN - 1; ++kk) {
      const std::uint32_t y = (state_[kk] & kUpperMask) | (state_[kk + 1] & kLowerMask);
      state_[kk] = state_[kk + (kM - kN)] ^ (y >> 1) ^ ((y & 1U) != 0 ? kMatrixA : 0U);
    }
    const std::uint32_t y = (state_[kN - 1] & kUpperMask) | (state_[0] & kLowerMask);
    state_[kN - 1] = state_[kM - 1] ^ (y >> 1) ^ ((y & 1U) != 0 ? kMatrixA : 0U);
    index_ = 0;
  }
  std::uint32_t y = state_[index_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

std::uint32_t PythonRandom::GetRandBits(int k) {
  return NextUint32() >> (32 - k);
}

std::uint32_t PythonRandom::RandBelow(std::uint32_t n) {
  const int k = BitLength(n);
  std::uint32_t r = GetRandBits(k);
  while (r >= n) {
    r = GetRandBits(k);
  }
  return r;
}

std::vector<std::size_t> PythonRandom::Sample(std::size_t n, std::size_t k) {
  std::vector<std::size_t> result;
  result.reserve(k);
  if (n <= SampleSetSize(k)) {
    // An n-length list is smaller than a k-length set: draw from a pool,
    // moving the last unselected position into each vacancy.
    std::vector<std::size_t> pool(n);
    std::iota(pool.begin(), pool.end(), std::size_t{0});
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t j = RandBelow(static_cast<std::uint32_t>(n - i));
      result.push_back(pool[j]);
      pool[j] = pool[n - i - 1];
    }
    return result;
  }
  std::unordered_set<std::size_t> selected;
  for (std::size_t i = 0; i < k; ++i) {
    std::size_t j = RandBelow(static_cast<std::uint32_t>(n));
    while (selected.contains(j)) {
      j = RandBelow(static_cast<std::uint32_t>(n));
    }
    selected.insert(j);
    result.push_back(j);
  }
  return result;
}

}  // namespace llmcal::tasks
