// A reproducible source of normally distributed numbers.
//
// std::normal_distribution is implementation-defined (libstdc++ and libc++
// give different numbers for the same engine), so this sampler draws raw
// 64-bit words from std::mt19937_64, whose output the standard fixes, and
// turns pairs of them into normals with the Box-Muller transform in double
// precision. Streams are keyed by a seed, a name and a block number, so each
// tensor (and each block of it) gets its own stream regardless of the order,
// or the number of threads, they are generated with.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string_view>

namespace llmcal::synthetic {

class SeededNormal {
 public:
  // A stream determined by (`seed`, `name`, `block`) only.
  SeededNormal(std::uint64_t seed, std::string_view name, std::uint64_t block);

  // Returns the next sample of N(0, 1).
  double Next();

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// Fills `out` with samples of N(0, stddev^2): element i comes from block
// i / kNormalBlockSize of the stream (`seed`, `name`). Blocks are filled on
// all hardware threads; the values do not depend on how many there are.
inline constexpr std::size_t kNormalBlockSize = std::size_t{1} << 16;
void FillNormal(std::span<float> out, double stddev, std::uint64_t seed, std::string_view name);

}  // namespace llmcal::synthetic
