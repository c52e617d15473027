// Compares, item by item, the answers `llama-perplexity --multiple-choice`
// picked with those `llmcal score` picks on the same prompts
// (bench/scorer/prefix_cache.sh), so a gap in accuracy between the two
// scorers is explained rather than only reported.
//
// llama-perplexity prints no per-item verdict, only the running accuracy
// after each item ("N\tACC", ACC in percent, 8 decimals); item N was correct
// when round(ACC_N * N / 100) grew from item N-1. llmcal's answer is the
// choice with the highest score under two rankings: `sum` (lm-evaluation-
// harness's acc, the sum of the continuation's log-probs) and `mean` (that
// sum over its token count, which is what llama-perplexity ranks by); ties
// go to the first choice, as in llama-perplexity.
//
// Prints the number of items, each scorer's correct count, and per ranking
// the items whose verdict differs from llama-perplexity's (at most 10 named,
// with llmcal's margin between its two best choices, in nats).
//
// Usage: multiple_choice_agreement scores.jsonl perplexity.log
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// One item as llmcal scored it.
struct ScoredItem {
  std::string id;
  int gold = 0;
  std::vector<double> sums;
  std::vector<int> n_tokens;
};

std::vector<ScoredItem> ReadScores(const char* path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error(std::string(path) + ": cannot read");
  std::vector<ScoredItem> items;
  std::size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    try {
      const nlohmann::json j = nlohmann::json::parse(line);
      ScoredItem item{j.at("id").get<std::string>(), j.at("gold").get<int>(), {}, {}};
      for (const auto& c : j.at("continuations")) {
        item.sums.push_back(c.at("sum").get<double>());
        item.n_tokens.push_back(c.at("n_tokens").get<int>());
      }
      items.push_back(std::move(item));
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string(path) + ":" + std::to_string(line_no) + ": " + e.what());
    }
  }
  return items;
}

// Whether each item was correct, recovered from the running accuracy lines.
std::vector<bool> ReadPerplexityVerdicts(const char* path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error(std::string(path) + ": cannot read");
  std::vector<bool> correct;
  long previous = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::size_t n = 0;
    double accuracy = 0;
    std::string rest;
    if (!(fields >> n >> accuracy) || (fields >> rest) || n != correct.size() + 1)
      continue;  // not a running-accuracy line
    const long count = std::lround(accuracy * static_cast<double>(n) / 100.0);
    correct.push_back(count > previous);
    previous = count;
  }
  return correct;
}

// Choice k's score: its log-prob sum, or that sum per token (`mean`).
double Score(const ScoredItem& item, std::size_t k, bool mean) {
  return mean ? item.sums[k] / item.n_tokens[k] : item.sums[k];
}

// The first choice with the highest score.
std::size_t Pick(const ScoredItem& item, bool mean) {
  std::size_t best = 0;
  for (std::size_t k = 1; k < item.sums.size(); ++k) {
    if (Score(item, k, mean) > Score(item, best, mean))
      best = k;
  }
  return best;
}

// The gap between the best and second-best score, in nats.
double Margin(const ScoredItem& item, bool mean) {
  std::vector<double> scores;
  for (std::size_t k = 0; k < item.sums.size(); ++k)
    scores.push_back(Score(item, k, mean));
  std::sort(scores.rbegin(), scores.rend());
  return scores.size() < 2 ? 0.0 : scores[0] - scores[1];
}

void Compare(const std::vector<ScoredItem>& items, const std::vector<bool>& reference, bool mean) {
  int correct = 0;
  std::vector<std::size_t> differ;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const bool ours = static_cast<int>(Pick(items[i], mean)) == items[i].gold;
    correct += ours;
    if (ours != reference[i])
      differ.push_back(i);
  }
  std::printf("llmcal %-4s: %d correct; verdict differs from llama-perplexity on %zu items\n",
              mean ? "mean" : "sum", correct, differ.size());
  for (std::size_t k = 0; k < differ.size() && k < 10; ++k) {
    const ScoredItem& item = items[differ[k]];
    std::printf("  %s (line %zu): llmcal margin %.6f nats\n", item.id.c_str(), differ[k] + 1,
                Margin(item, mean));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: multiple_choice_agreement scores.jsonl perplexity.log\n");
    return 2;
  }
  try {
    const std::vector<ScoredItem> items = ReadScores(argv[1]);
    const std::vector<bool> reference = ReadPerplexityVerdicts(argv[2]);
    if (reference.size() != items.size()) {
      std::fprintf(stderr, "%s holds %zu items but %s reports %zu\n", argv[1], items.size(),
                   argv[2], reference.size());
      return 1;
    }
    int reference_correct = 0;
    for (const bool c : reference)
      reference_correct += c;
    std::printf("%zu items; llama-perplexity: %d correct\n", items.size(), reference_correct);
    Compare(items, reference, false);
    Compare(items, reference, true);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
