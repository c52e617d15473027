// Choosing which items of a task to run: the first N, or a seeded random
// sample that is the same on every machine, compiler and standard library
// (only std::mt19937_64's raw output is used, which the standard fixes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace llmcal::tasks {

// Returns 0..min(n, count)-1.
std::vector<std::size_t> FirstItems(std::size_t count, std::size_t n);

// Returns min(n, count) distinct indices below `count`, drawn uniformly by a
// partial Fisher-Yates shuffle seeded with `seed`, sorted ascending (the
// items keep their task order). Same seed, same result everywhere.
std::vector<std::size_t> SampleItems(std::size_t count, std::size_t n, std::uint64_t seed);

// Returns a uniform integer in [0, bound) from `engine`'s raw 64-bit output,
// rejecting the values that would bias the remainder.
// REQUIRES: bound > 0.
std::uint64_t UniformBelow(std::mt19937_64& engine, std::uint64_t bound);

}  // namespace llmcal::tasks
