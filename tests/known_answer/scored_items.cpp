#include "scored_items.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

std::string RunOrFail(const std::vector<std::string>& args) {
  const CommandResult r = RunLlmcal(args);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "llmcal " << args.front() << " exited " << r.exit_code << ": "
                  << r.stderr_text;
    throw std::runtime_error("llmcal failed");
  }
  return r.stdout_text;
}

ScoredItem ParseItem(const nlohmann::json& line) {
  ScoredItem item;
  for (const nlohmann::json& c : line.at("continuations")) {
    item.scores.push_back(c.at("sum").get<double>());
    item.n_tokens.push_back(c.at("n_tokens").get<int>());
  }
  item.gold = line.at("gold").get<int>();
  return item;
}

}  // namespace

void WriteChoicePrompts(const std::string& task, std::size_t items, std::uint64_t seed,
                        const std::filesystem::path& out) {
  std::ofstream(out, std::ios::binary) << RunOrFail(
      {"prompts", "--task", task, "--data", TestDataDir().string(), "--style", "choice", "--sample",
       std::to_string(items), "--seed", std::to_string(seed), "--format", "jsonl"});
}

std::vector<ScoredItem> ScoreWithLlmcal(const std::filesystem::path& model,
                                        const std::filesystem::path& prompts) {
  std::istringstream lines(RunOrFail(
      {"score", "--model", model.string(), "--input", prompts.string(), "--output", "-"}));
  std::vector<ScoredItem> items;
  for (std::string line; std::getline(lines, line);) {
    items.push_back(ParseItem(nlohmann::json::parse(line)));
  }
  return items;
}

calibration::ChoiceProbabilities ChoiceProbabilitiesOf(const std::vector<ScoredItem>& items,
                                                       double multiplier) {
  calibration::ChoiceProbabilities probabilities;
  for (const ScoredItem& item : items) {
    std::vector<double> scaled = item.scores;
    for (double& s : scaled) {
      s *= multiplier;
    }
    probabilities.AddScores(scaled, item.gold);
  }
  return probabilities;
}

}  // namespace llmcal::testing
