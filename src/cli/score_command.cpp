// `llmcal score`: per-token log-likelihoods of continuations, a low-level
// command for debugging and for other tools. Reads JSONL requests
// {"id": ..., "context": "...", "continuations": ["...", ...]} (other fields,
// such as `llmcal prompts` writes, are ignored; "gold" is copied through) and
// writes, in input order, {"id": ..., "continuations": [{"tokens", "logprobs",
// "sum", "min", "n_tokens", "n_bytes", "is_greedy"}, ...]} per line, or
// {"id": ..., "error": "..."} for an item that cannot be scored.
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/engine_flags.h"
#include "common/error.h"
#include "engine/llama_scorer.h"

namespace llmcal::cli {

namespace {

using nlohmann::json;

// Items scored per call to the scorer: output is written after each chunk.
constexpr std::size_t kChunkItems = 256;

struct ScoreSettings {
  std::string input = "-";
  std::string output = "-";
  bool stats = false;
  engine::EngineOptions engine;
};

// The requests of one input file; ids[i] and golds[i] belong to requests[i].
struct RequestFile {
  std::vector<engine::ScoreRequest> requests;
  std::vector<json> ids;
  std::vector<json> golds;  // copied to the output when a request has one (null otherwise)
};

// Reads and validates every request before the model is loaded.
RequestFile ReadRequests(std::istream& in, const std::string& name) {
  RequestFile file;
  std::string line;
  for (std::int64_t line_no = 1; std::getline(in, line); ++line_no) {
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    json doc = json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      throw InputError::At(name, line_no, "", "not a JSON object");
    }
    engine::ScoreRequest r;
    if (!doc.contains("context") || !doc["context"].is_string()) {
      throw InputError::At(name, line_no, "context", "missing or not a string");
    }
    r.context = doc["context"].get<std::string>();
    const json& conts = doc.contains("continuations") ? doc["continuations"] : json();
    if (!conts.is_array()) {
      throw InputError::At(name, line_no, "continuations", "missing or not an array");
    }
    if (conts.empty())
      throw InputError::At(name, line_no, "continuations", "empty list");
    for (std::size_t k = 0; k < conts.size(); ++k) {
      if (!conts[k].is_string()) {
        throw InputError::At(name, line_no, fmt::format("continuations[{}]", k), "not a string");
      }
      r.continuations.push_back(conts[k].get<std::string>());
    }
    file.requests.push_back(std::move(r));
    file.ids.push_back(doc.contains("id") ? doc["id"] : json(line_no - 1));
    file.golds.push_back(doc.contains("gold") ? doc["gold"] : json());
  }
  if (in.bad())
    throw InputError::At(name, 0, "", "read error");
  if (file.requests.empty())
    throw InputError::At(name, 0, "", "no requests in the input");
  return file;
}

json ToJson(const json& id, const json& gold, const engine::RequestScore& score) {
  json out = {{"id", id}};
  if (!gold.is_null())
    out["gold"] = gold;
  if (!score.ok()) {
    out["error"] = score.error;
    return out;
  }
  json conts = json::array();
  for (const auto& c : score.continuations) {
    conts.push_back({{"tokens", c.tokens},
                     {"logprobs", c.logprobs},
                     {"sum", c.sum},
                     {"min", c.min},
                     {"n_tokens", c.n_tokens()},
                     {"n_bytes", c.n_bytes},
                     {"is_greedy", c.is_greedy}});
  }
  out["continuations"] = std::move(conts);
  if (score.truncated)
    out["truncated"] = true;
  return out;
}

void RunScore(const ScoreSettings& s) {
  std::ifstream file;
  if (s.input != "-") {
    file.open(s.input);
    if (!file)
      throw InputError::At(s.input, 0, "", "cannot open the input file");
  }
  const std::string input_name = s.input == "-" ? "<stdin>" : s.input;
  const RequestFile input = ReadRequests(s.input == "-" ? std::cin : file, input_name);
  const std::span<const engine::ScoreRequest> requests = input.requests;

  auto scorer = engine::LlamaScorer::Open(s.engine);
  std::ofstream out_file;
  if (s.output != "-") {
    out_file.open(s.output);
    if (!out_file)
      throw InputError::At(s.output, 0, "", "cannot write the output file");
  }
  std::ostream& out = s.output == "-" ? std::cout : out_file;

  std::size_t failed = 0;
  const auto start = std::chrono::steady_clock::now();
  engine::ScoreInChunks(
      *scorer, requests, kChunkItems,
      [&](std::size_t first, std::span<const engine::RequestScore> scores) {
        for (std::size_t i = 0; i < scores.size(); ++i) {
          if (!scores[i].ok()) {
            ++failed;
            fmt::print(stderr, "llmcal: error: {} item {} (id {}): {}\n", input_name, first + i,
                       input.ids[first + i].dump(), scores[i].error);
          }
          out << ToJson(input.ids[first + i], input.golds[first + i], scores[i]).dump() << '\n';
        }
        out.flush();
        if (!out)
          throw InputError::At(s.output, 0, "", "write failed");
      });
  if (s.stats) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr,
               "llmcal: scored {} items in {:.3f} s ({:.2f} items/s); evaluated {} tokens "
               "({:.1f} tokens/s)\n",
               requests.size(), seconds, static_cast<double>(requests.size()) / seconds,
               scorer->evaluated_tokens(),
               static_cast<double>(scorer->evaluated_tokens()) / seconds);
  }
  if (scorer->truncated_items() > 0) {
    fmt::print(stderr,
               "llmcal: warning: {} item(s) had contexts longer than the model's window of {} "
               "tokens and were cut from the left\n",
               scorer->truncated_items(), scorer->info().window);
  }
  if (failed > 0) {
    throw InputError(
        fmt::format("{} of {} item(s) could not be scored (see above)", failed, requests.size()));
  }
}

}  // namespace

void AddScoreCommand(CLI::App& app) {
  auto settings = std::make_shared<ScoreSettings>();
  CLI::App* cmd = app.add_subcommand(
      "score", "Per-token log-probabilities of each continuation given its context (JSONL in/out)");
  cmd->add_option("--input,-i", settings->input, "requests JSONL file, or - for stdin")
      ->capture_default_str();
  cmd->add_option("--output,-o", settings->output, "scores JSONL file, or - for stdout")
      ->capture_default_str();
  cmd->add_flag("--stats", settings->stats,
                "print items/s and evaluated tokens/s (model loading excluded) to stderr");
  AddEngineFlags(*cmd, settings->engine);
  cmd->callback([settings] { RunScore(*settings); });
}

}  // namespace llmcal::cli
