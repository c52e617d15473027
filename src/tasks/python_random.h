// Python's random.Random, reproduced bit for bit for the calls
// lm-evaluation-harness's few-shot sampler makes: Random(int seed) and
// sample(population, k). The harness draws few-shot examples with
// `random.Random(1234).sample(docs, n)`; reproducing its prompts needs the
// same numbers, not merely numbers of the same distribution.
//
//   PythonRandom rnd(1234);
//   std::vector<std::size_t> picks = rnd.Sample(100, 5);  // random.Random(1234).sample(range(100),
//   5)
//
// What is reproduced (CPython 3.8 to 3.13 agree on every call below; see
// docs/fidelity.md): MT19937 seeded by init_by_array with the seed's 32-bit
// words, least significant first (Modules/_randommodule.c, random_seed);
// getrandbits(k) for 1 <= k <= 32 as the top k bits of one 32-bit output;
// _randbelow_with_getrandbits(n) by rejection on n.bit_length() bits; and
// sample()'s two branches: a pool list when n <= setsize, else a set of
// selected positions with redraws (Lib/random.py).
//
// Not thread-safe: one generator is one stream of draws, used in order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace llmcal::tasks {

class PythonRandom {
 public:
  // random.Random(seed) for a non-negative integer seed.
  explicit PythonRandom(std::uint64_t seed);

  // random.getrandbits(k). REQUIRES: 1 <= k <= 32.
  std::uint32_t GetRandBits(int k);

  // random._randbelow(n): uniform in [0, n). REQUIRES: 1 <= n < 2^32.
  std::uint32_t RandBelow(std::uint32_t n);

  // random.sample(range(n), k): k distinct positions below n, in selection
  // order. Sampling a list of n documents picks the documents at these
  // positions. REQUIRES: k <= n < 2^32 (Python raises ValueError otherwise;
  // callers check first and report it).
  std::vector<std::size_t> Sample(std::size_t n, std::size_t k);

  // The next raw 32-bit output of MT19937 (genrand_uint32).
  std::uint32_t NextUint32();

 private:
  static constexpr int kN = 624;
  void InitGenrand(std::uint32_t s);
  void InitByArray(const std::vector<std::uint32_t>& key);

  std::array<std::uint32_t, kN> state_{};
  int index_ = kN + 1;
};

}  // namespace llmcal::tasks
