// Writes, as `llmcal score` requests, the HellaSwag items that llama.cpp's
// `llama-perplexity --hellaswag --hellaswag-tasks N` evaluates on the same
// file, in the same order, so the two scorers can be compared item for item.
//
// llama-perplexity always draws its N tasks at random without replacement:
// std::uniform_int_distribution<size_t>(0, left - 1) over std::mt19937(1)
// picks one of the items left, which is then erased; built with the same
// standard library, this program draws the same items in the same order.
// Each request is the item's context line and its four endings with a leading
// space (llama-perplexity scores context + " " + ending), plus the gold index.
//
// With --accuracy it instead reads `llmcal score` output for such requests and
// prints the accuracy as llama-perplexity computes it: the mean log-prob of
// each ending's tokens after the tokens common to all four sequences.
//
// Usage: hellaswag_requests FILE N > requests.jsonl
//        hellaswag_requests --accuracy scores.jsonl
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace {

// llama-perplexity's HellaSwag accuracy, in percent, of `llmcal score` output.
int PrintPerplexityStyleAccuracy(const char* path) {
  std::ifstream in(path);
  std::size_t n = 0, correct = 0;
  for (std::string line; std::getline(in, line);) {
    const auto item = nlohmann::json::parse(line);
    const auto& conts = item.at("continuations");
    std::size_t common = 0;
    for (bool same = true; same; common += same) {
      for (const auto& c : conts) {
        same = same && common + 1 < c.at("tokens").size() &&
               c.at("tokens")[common] == conts[0].at("tokens")[common];
      }
    }
    std::size_t best = 0;
    double best_score = -1e300;
    for (std::size_t k = 0; k < conts.size(); ++k) {
      const auto& lp = conts[k].at("logprobs");
      double sum = 0;
      for (std::size_t j = common; j < lp.size(); ++j)
        sum += lp[j].get<double>();
      const double score = sum / static_cast<double>(lp.size() - common);
      if (score > best_score) {
        best_score = score;
        best = k;
      }
    }
    ++n;
    correct += best == item.at("gold").get<std::size_t>();
  }
  if (n == 0)
    return 1;
  std::printf("%.4f\n", 100.0 * static_cast<double>(correct) / static_cast<double>(n));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--accuracy")
    return PrintPerplexityStyleAccuracy(argv[2]);
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s HELLASWAG_TEXT_FILE N\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open %s\n", argv[0], argv[1]);
    return 1;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  const std::size_t tasks = lines.size() / 6;
  const std::size_t n = std::min<std::size_t>(std::stoul(argv[2]), tasks);
  if (tasks == 0) {
    std::fprintf(stderr, "%s: no HellaSwag items in %s\n", argv[0], argv[1]);
    return 1;
  }
  std::vector<std::size_t> left(tasks);
  for (std::size_t i = 0; i < tasks; ++i)
    left[i] = i;
  std::mt19937 rng(1);
  for (std::size_t i = 0; i < n; ++i) {
    std::uniform_int_distribution<std::size_t> dist(0, left.size() - 1);
    const auto pick = left.begin() + static_cast<std::ptrdiff_t>(dist(rng));
    const std::size_t idx = *pick;
    left.erase(pick);
    nlohmann::json request = {
        {"id", idx}, {"context", lines[idx * 6]}, {"gold", std::stoi(lines[idx * 6 + 1])}};
    for (int k = 0; k < 4; ++k)
      request["continuations"].push_back(" " + lines[idx * 6 + 2 + k]);
    std::cout << request.dump() << '\n';
  }
  return 0;
}
