// A task scored the way a user scores it: `llmcal prompts --style choice`
// piped into `llmcal score` (the real build/llmcal), read back per item as
// the letter scores and the gold choice.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "calibration/choice_probabilities.h"

namespace llmcal::testing {

// One item: per choice, the summed log-prob of its letter continuation
// (" A", " B", ...) and how many tokens that continuation had.
struct ScoredItem {
  std::vector<double> scores;
  std::vector<int> n_tokens;
  int gold = -1;
};

// Writes the choice-style prompts of `items` items of built-in `task`, sampled
// with `seed` from the repository's data/ (TestDataDir()), to `out` as JSONL.
// Fails the calling test, and throws, when llmcal exits non-zero.
void WriteChoicePrompts(const std::string& task, std::size_t items, std::uint64_t seed,
                        const std::filesystem::path& out);

// Returns `llmcal score --model model --input prompts`'s items, in order.
// Fails the calling test, and throws, when llmcal exits non-zero.
std::vector<ScoredItem> ScoreWithLlmcal(const std::filesystem::path& model,
                                        const std::filesystem::path& prompts);

// Returns the items' choice probabilities, softmax(multiplier x scores),
// with their gold choices.
calibration::ChoiceProbabilities ChoiceProbabilitiesOf(const std::vector<ScoredItem>& items,
                                                       double multiplier = 1.0);

}  // namespace llmcal::testing
