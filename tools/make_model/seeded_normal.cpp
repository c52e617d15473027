#include "seeded_normal.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

namespace llmcal::synthetic {
namespace {

// FNV-1a: a fixed, portable string hash (std::hash is implementation-defined).
std::uint64_t Fnv1a(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// SplitMix64 finalizer: spreads nearby keys (seeds 0, 1, 2...) over the state space.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Maps a raw word to a double in (0, 1]: the top 53 bits, offset by one ulp so
// that log() never sees zero.
double OpenUnit(std::uint64_t word) {
  return static_cast<double>((word >> 11) + 1) * 0x1.0p-53;
}

}  // namespace

SeededNormal::SeededNormal(std::uint64_t seed, std::string_view name, std::uint64_t block)
    : engine_(Mix(seed ^ Mix(Fnv1a(name) ^ Mix(block)))) {}

double SeededNormal::Next() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double radius = std::sqrt(-2.0 * std::log(OpenUnit(engine_())));
  const double angle = 2.0 * std::numbers::pi * OpenUnit(engine_());
  spare_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

void FillNormal(std::span<float> out, double stddev, std::uint64_t seed, std::string_view name) {
  const std::size_t n_blocks = (out.size() + kNormalBlockSize - 1) / kNormalBlockSize;
  std::atomic<std::size_t> next_block{0};
  const auto work = [&] {
    for (std::size_t b = next_block++; b < n_blocks; b = next_block++) {
      SeededNormal normal(seed, name, b);
      const std::size_t end = std::min(out.size(), (b + 1) * kNormalBlockSize);
      for (std::size_t i = b * kNormalBlockSize; i < end; ++i) {
        out[i] = static_cast<float>(stddev * normal.Next());
      }
    }
  };
  const std::size_t n_threads =
      std::min<std::size_t>(n_blocks, std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::jthread> helpers;
  for (std::size_t t = 1; t < n_threads; ++t) {
    helpers.emplace_back(work);
  }
  work();
}

}  // namespace llmcal::synthetic
