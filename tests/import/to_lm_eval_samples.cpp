// Test helper: writes what lm-evaluation-harness would have logged with
// --log_samples for the items of an `llmcal prompts --format jsonl` file
// scored by `llmcal score`, so that the end-to-end test can import llmcal's
// own scores and compare them with the native run.
//
//   llmcal-test-to-lm-eval PROMPTS.jsonl SCORES.jsonl OUT FORMAT
//
// FORMAT "jsonl": the v0.4.3+ layout as v0.4.9 writes it (one object per
// line, arguments as gen_args_i/arg_j, every resps leaf str()'d, target
// str()'d, "filter": "none"); "json-array": the v0.4.0-v0.4.2 layout (one
// JSON array, typed values). Each document's doc_id is its item index; the
// log-likelihood of choice k is the score's continuations[k].sum written as
// Python's repr would (the shortest text that reads back to the same double).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

std::vector<json> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty())
      lines.push_back(json::parse(line));
  }
  return lines;
}

// Python's str() of a float: the shortest round-trip text ("-10.5", "-1e-05").
std::string PythonFloat(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos)
    text += ".0";  // Python writes -10.0, not -10
  return text;
}

json Sample(const json& prompt, const json& score, bool lines) {
  json arguments = lines ? json::object() : json::array();
  json resps = json::array(), filtered = json::array();
  const json& continuations = prompt.at("continuations");
  for (std::size_t k = 0; k < continuations.size(); ++k) {
    const json& c = score.at("continuations").at(k);
    const double sum = c.at("sum").get<double>();
    const bool greedy = c.at("is_greedy").get<bool>();
    json answer = lines ? json::array({PythonFloat(sum), greedy ? "True" : "False"})
                        : json::array({sum, greedy});
    resps.push_back(json::array({answer}));
    filtered.push_back(answer);
    if (lines) {
      arguments[fmt::format("gen_args_{}", k)] = {{"arg_0", prompt.at("context")},
                                                  {"arg_1", continuations.at(k)}};
    } else {
      arguments.push_back(json::array({prompt.at("context"), continuations.at(k)}));
    }
  }
  const std::int64_t gold = prompt.at("gold").get<std::int64_t>();
  json sample = {{"doc_id", prompt.at("index")},
                 {"doc", {{"id", prompt.at("id")}, {"choices", prompt.at("choice_texts")}}},
                 {"target", lines ? json(std::to_string(gold)) : json(gold)},
                 {"arguments", arguments},
                 {"resps", resps},
                 {"filtered_resps", filtered}};
  if (lines)
    sample["filter"] = "none";
  return sample;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 || (std::string(argv[4]) != "jsonl" && std::string(argv[4]) != "json-array")) {
    std::cerr << "usage: llmcal-test-to-lm-eval PROMPTS.jsonl SCORES.jsonl OUT jsonl|json-array\n";
    return 2;
  }
  try {
    const std::vector<json> prompts = ReadLines(argv[1]);
    const std::vector<json> scores = ReadLines(argv[2]);
    if (prompts.size() != scores.size())
      throw std::runtime_error("prompts and scores differ in length");
    const bool lines = std::string(argv[4]) == "jsonl";
    std::ofstream out(argv[3]);
    json array = json::array();
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      if (prompts[i].at("id") != scores[i].at("id"))
        throw std::runtime_error("prompts and scores are not in the same order");
      const json sample = Sample(prompts[i], scores[i], lines);
      if (lines) {
        out << sample.dump() << "\n";
      } else {
        array.push_back(sample);
      }
    }
    if (!lines)
      out << array.dump(2);
    if (!out)
      throw std::runtime_error(std::string("cannot write ") + argv[3]);
  } catch (const std::exception& e) {
    std::cerr << "llmcal-test-to-lm-eval: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
