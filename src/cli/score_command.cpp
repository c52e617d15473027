// `llmcal score`: per-token log-likelihoods of continuations, a low-level
// command for debugging and for other tools. Reads JSONL requests
// {"id": ..., "context": "...", "continuations": ["...", ...]}; of the other
// fields `llmcal prompts` writes, "task", "index", "template", "gold" and
// "choice_texts" are copied through, the rest ignored. Writes, in input
// order, {"id": ..., <copied fields>, "bos": b, "continuations": [{"tokens",
// "logprobs", "sum", "min", "n_tokens", "n_bytes", "is_greedy"}, ...]} per
// line, or {"id": ..., "bos": b, "error": "..."} for an item that cannot be
// scored.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/engine_flags.h"
#include "common/error.h"
#include "common/json_record.h"
#include "common/record_source.h"
#include "engine/scorer.h"
#include "fetch/model_source.h"
#include "study/scorer_factory.h"

namespace llmcal::cli {

namespace {

using Json = nlohmann::ordered_json;

// Items scored per call to the scorer: output is written after each chunk.
constexpr std::size_t kChunkItems = 256;

// Fields of a request copied to its output line when present, in this order
// (after "id"). "gold" is copied as it is; the others are checked.
constexpr const char* kCopiedFields[] = {"task", "index", "template", "gold", "choice_texts"};

struct ScoreSettings {
  std::string input = "-";
  std::string output = "-";
  bool stats = false;
  engine::EngineOptions engine;
};

// The requests of one input file; heads[i] (id and copied fields) belongs to
// requests[i].
struct RequestFile {
  std::vector<engine::ScoreRequest> requests;
  std::vector<Json> heads;
};

// Checks a copied field's type; returns its value.
Json CopiedValue(const JsonField& field, const std::string& name, std::size_t n_continuations) {
  if (name == "task" || name == "template")
    return field.String();
  if (name == "index")
    return field.Integer();
  if (name == "choice_texts") {
    const std::vector<std::string> texts = field.Strings();
    if (texts.size() != n_continuations) {
      throw field.Error(
          fmt::format("{} texts for {} continuations", texts.size(), n_continuations));
    }
    return texts;
  }
  return Json(field.Json());  // "gold": as it is
}

// Reads and validates every request before the model is loaded.
RequestFile ReadRequests(const FileText& file) {
  RequestFile out;
  BadRecordPolicy fail(false);
  ForEachJsonLine(file, fail, [&](const JsonField& record) {
    engine::ScoreRequest r;
    r.context = record.Member("context").String();
    const JsonField continuations = record.Member("continuations");
    r.continuations = continuations.Strings();
    if (r.continuations.empty())
      throw continuations.Error("empty list");
    Json head;
    head["id"] =
        record.Has("id") ? Json(record.Member("id").Json()) : Json(record.where().line - 1);
    for (const char* name : kCopiedFields) {
      if (record.Has(name))
        head[name] = CopiedValue(record.Member(name), name, r.continuations.size());
    }
    out.requests.push_back(std::move(r));
    out.heads.push_back(std::move(head));
  });
  return out;
}

Json ToJson(Json line, bool bos, const engine::RequestScore& score) {
  line["bos"] = bos;
  if (!score.ok()) {
    line["error"] = score.error;
    return line;
  }
  Json conts = Json::array();
  for (const auto& c : score.continuations) {
    conts.push_back({{"tokens", c.tokens},
                     {"logprobs", c.logprobs},
                     {"sum", c.sum},
                     {"min", c.min},
                     {"n_tokens", c.n_tokens()},
                     {"n_bytes", c.n_bytes},
                     {"is_greedy", c.is_greedy}});
  }
  line["continuations"] = std::move(conts);
  if (score.truncated)
    line["truncated"] = true;
  return line;
}

void PrintStats(const study::OpenedScorer& scorer, const engine::EngineOptions& options,
                std::size_t items, double seconds) {
  const std::int64_t tokens = scorer.evaluated_tokens ? scorer.evaluated_tokens() : 0;
  fmt::print(stderr,
             "llmcal: scored {} items in {:.3f} s ({:.2f} items/s); evaluated {} tokens "
             "({:.1f} tokens/s)\n",
             items, seconds, static_cast<double>(items) / seconds, tokens,
             static_cast<double>(tokens) / seconds);
  const engine::ModelInfo& info = scorer.scorer->info();
  fmt::print(stderr,
             "llmcal: prefix cache {}: evaluated {:.1f} tokens per item; reused {} tokens kept "
             "in the KV memory\n",
             info.prefix_cache ? "on"
             : options.prefix_cache
                 ? "off (a recurrent or hybrid model's memory cannot keep a prefix)"
                 : "off",
             static_cast<double>(tokens) / static_cast<double>(std::max<std::size_t>(items, 1)),
             scorer.reused_tokens ? scorer.reused_tokens() : 0);
  fmt::print(stderr, "llmcal: bos {} (--bos {}; the GGUF metadata says {}; architecture {})\n",
             info.bos ? "on" : "off", engine::BosModeName(options.bos),
             info.adds_bos ? "on" : "off", info.architecture);
  fmt::print(stderr,
             "llmcal: split {}: {} of {} items have a context whose tokens are not a prefix of "
             "the context+continuation tokens\n",
             engine::TokenSplitName(options.split),
             scorer.non_prefix_items ? scorer.non_prefix_items() : 0, items);
}

void RunScore(const ScoreSettings& s) {
  const FileText input_file = ReadWholeInput(s.input);
  const std::string input_name = input_file.path.string();
  const RequestFile input = ReadRequests(input_file);
  const std::span<const engine::ScoreRequest> requests = input.requests;

  engine::EngineOptions engine = s.engine;
  engine.model_path =
      fetch::LocateModel(engine.model_path, fetch::HubSettingsFromEnvironment()).file.string();
  study::OpenedScorer opened = study::OpenLlamaScorer(engine);
  engine::Scorer& scorer = *opened.scorer;
  std::ofstream out_file;
  if (s.output != "-") {
    out_file.open(s.output);
    if (!out_file)
      throw InputError::At(s.output, 0, "", "cannot write the output file");
  }
  std::ostream& out = s.output == "-" ? std::cout : out_file;

  std::size_t failed = 0;
  std::size_t truncated = 0;
  std::size_t nonfinite = 0;
  const auto start = std::chrono::steady_clock::now();
  engine::ScoreInChunks(scorer, requests, kChunkItems,
                        [&](std::size_t first, std::span<const engine::RequestScore> scores) {
                          for (std::size_t i = 0; i < scores.size(); ++i) {
                            const Json& head = input.heads[first + i];
                            engine::RequestScore score = scores[i];
                            if (const std::string problem = engine::NonFiniteLogprob(score);
                                !problem.empty()) {
                              ++nonfinite;  // a broken model: an error, never a score
                              score = {{}, "the model failed: " + problem, score.truncated};
                            }
                            if (!score.ok()) {
                              ++failed;
                              fmt::print(stderr, "llmcal: error: {} item {} (id {}): {}\n",
                                         input_name, first + i, head["id"].dump(), score.error);
                            }
                            truncated += score.truncated ? 1 : 0;
                            out << ToJson(head, scorer.info().bos, score).dump() << '\n';
                          }
                          out.flush();
                          if (!out)
                            throw InputError::At(s.output, 0, "", "write failed");
                        });
  if (out_file.is_open()) {
    out_file.close();
    if (!out_file)
      throw InputError::At(s.output, 0, "", "write failed (closing the file)");
  }
  if (s.stats) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    PrintStats(opened, s.engine, requests.size(), seconds);
  }
  if (truncated > 0) {
    fmt::print(stderr,
               "llmcal: warning: {} item(s) had contexts longer than the model's window of {} "
               "tokens and were cut from the left\n",
               truncated, scorer.info().window);
  }
  if (nonfinite > 0) {
    throw EngineError(fmt::format(
        "the model produced non-finite log-probabilities (NaN or infinity) for {} of {} item(s) "
        "(see above); check the model file {}",
        nonfinite, requests.size(), s.engine.model_path));
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
                "print items/s and evaluated tokens/s (model loading excluded), the tokens the "
                "prefix cache reused, the BOS decision and the token-split count to stderr");
  AddEngineFlags(*cmd, settings->engine);
  cmd->callback([settings] { RunScore(*settings); });
}

}  // namespace llmcal::cli
