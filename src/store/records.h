// What a store holds, as plain values (docs/store.md describes every field):
// the models and tasks a study read, its runs (one per model, task and prompt
// style, with every setting that can change a score), the sessions (one per
// `llmcal run` or `llmcal merge` invocation) and, per run, the stored items
// with the per-token scores of every choice. Values are owned by the caller;
// the Store reads and writes them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/file_digest.h"

namespace llmcal::store {

// What llama.cpp says about a model once it is loaded.
struct ModelDetails {
  std::string architecture;  // general.architecture, e.g. "llama"
  std::uint64_t n_params = 0;
  std::string description;  // llama.cpp's one-line description

  bool operator==(const ModelDetails&) const = default;
};

struct ModelRecord {
  std::int64_t id = 0;
  std::string name;                     // the NAME of --model NAME=PATH
  FileFingerprint file;                 // the file behind the name
  std::optional<ModelDetails> details;  // nullopt until the model was first loaded
};

// A pretrained model and its instruction-tuned sibling, as a study named
// them: what `report`, `compare` and `rank` compare when given no --pair.
struct PairRecord {
  std::string name;
  std::string base;      // model name
  std::string instruct;  // model name

  bool operator==(const PairRecord&) const = default;
};

struct TaskFile {
  std::string path;  // as read (informative: the same content may move)
  std::uint64_t size = 0;
  std::string sha256;
};

// load_options of a task that only imported runs use (it has no files):
// the first `llmcal run` of the task records its real files and options.
inline constexpr std::string_view kImportedTaskOptions = "imported from lm-evaluation-harness";

struct TaskRecord {
  std::int64_t id = 0;
  std::string name;  // as asked for: "arc_easy", "mmlu", "custom:my.jsonl"
  std::int64_t item_count = 0;
  // The loader options that change the items ("skip_bad=0 medmcqa_cop_base=auto").
  std::string load_options;
  std::vector<TaskFile> files;  // in reading order

  bool imported_only() const { return files.empty() && load_options == kImportedTaskOptions; }
};

// The settings that change a score, as the user asked for them. A stored run
// is continued only under equal values.
struct RunSettings {
  std::string template_version;  // tasks::TemplateVersion(style)
  std::string bos_mode;          // engine::BosModeName
  std::string token_split;       // engine::TokenSplitName
  std::int64_t ctx_size = 0;     // --ctx-size (0 = the model's training window)
  std::int64_t num_fewshot = 0;  // --num-fewshot: few-shot examples before each item
  // The SHA-256 of each file of the few-shot split, in reading order,
  // comma-separated; empty when num_fewshot is 0.
  std::string fewshot_sha256;

  bool operator==(const RunSettings&) const = default;
};

// What the engine decided from the settings and the model, known once the
// model is loaded.
struct RunEffective {
  std::int64_t window = 0;  // tokens a context is cut to
  bool bos = false;         // contexts start with a BOS token

  bool operator==(const RunEffective&) const = default;
};

// Where a run's scores came from: llmcal's own scorer (per-token log-probs of
// every choice), or an import of lm-evaluation-harness samples (each choice's
// log-likelihood total only; docs/store.md, "Imported runs").
inline constexpr std::string_view kOriginLlmcal = "llmcal";
inline constexpr std::string_view kOriginLmEval = "lm-eval";

struct RunRecord {
  std::int64_t id = 0;
  std::int64_t model_id = 0;
  std::int64_t task_id = 0;
  std::string model;  // model name (read side)
  std::string task;   // task name (read side)
  std::string style;  // "continuation" or "choice"
  RunSettings settings;
  std::optional<RunEffective> effective;  // nullopt until the model was loaded for this run
  // Items per scoring block: the unit of commit, of resumption and of shards.
  std::int64_t block_items = 0;
  std::string created_at;                           // UTC, ISO 8601
  std::string origin = std::string(kOriginLlmcal);  // kOriginLlmcal or kOriginLmEval

  bool imported() const { return origin == kOriginLmEval; }
};

// One file an imported run's items were read from.
struct ImportRecord {
  std::int64_t run_id = 0;
  std::string sha256;         // SHA-256 of the file: importing it again adds nothing
  std::string path;           // as read (informative)
  std::uint64_t size = 0;     // bytes
  std::string source_task;    // the task name in the other tool ("mmlu_anatomy")
  std::string source_format;  // "jsonl" (harness v0.4.3 on) or "json-array" (v0.4.0-v0.4.2)
  // The harness version: read from the results file beside the samples, or
  // inferred from the samples' fields (saying so), or "unknown".
  std::string harness_version;
  std::int64_t items = 0;  // items read from the file
  std::int64_t session_id = 0;
};

// One invocation that wrote to the store, with the informative settings
// that do not change scores.
struct SessionRecord {
  std::int64_t id = 0;
  std::string key;   // random 128-bit hex id: sessions keep their identity across merges
  std::string kind;  // "run", "merge" or "import"
  std::string started_at;
  std::string finished_at;  // empty: still running, or killed
  std::string llmcal_version;
  std::string llama_version;
  std::string host;
  std::int64_t threads = 0;     // 0 = all cores
  std::int64_t workers = 0;     // 0 = automatic
  std::int64_t batch_size = 0;  // 0 = automatic
  std::int64_t gpu_layers = -1;
  std::string rpc_servers;   // comma-separated host:port, empty for none
  std::string flash_attn;    // on | off | auto
  std::string shard;         // "I/N", empty for all items
  std::string prefix_cache;  // on | off (--prefix-cache); empty for a merge
};

struct StoredChoice {
  std::vector<std::int32_t> tokens;  // continuation token ids
  std::vector<float> logprobs;       // one per token
  std::int64_t n_bytes = 0;          // UTF-8 bytes of the choice text
  std::int64_t n_chars = 0;          // Unicode code points of the choice text
  bool is_greedy = false;            // every token is the argmax of its row

  std::int64_t n_tokens() const { return static_cast<std::int64_t>(tokens.size()); }
  // The sum and minimum of the log-probs, accumulated in double in token
  // order: exactly engine::ContinuationScore's sum and min.
  double Sum() const {
    double sum = 0.0;
    for (float lp : logprobs)
      sum += lp;
    return sum;
  }
  double Min() const {
    double min = logprobs.empty() ? 0.0 : logprobs.front();
    for (float lp : logprobs)
      min = std::min<double>(min, lp);
    return min;
  }
};

struct StoredItem {
  std::int64_t index = 0;  // position in the task's item order
  std::string id;          // the benchmark's id of the item
  std::int64_t gold = 0;   // 0-based index of the correct choice
  std::string subject;     // MMLU subject (or MedMCQA subject); empty when none
  std::int64_t n_choices = 0;
  bool truncated = false;             // a context was cut to the window
  std::string error;                  // why the item could not be scored; empty when scored
  std::vector<StoredChoice> choices;  // n_choices of them when scored, none on error
  std::int64_t session_id = 0;        // the session that stored it

  bool ok() const { return error.empty(); }
};

// Returns true when two items hold the same values, comparing log-probs bit
// for bit (so -0.0 differs from 0.0 and a NaN equals the same NaN). The
// session that stored them does not count.
bool SameContent(const StoredItem& a, const StoredItem& b);

// What every confidence method needs of one choice (sum, min, mean, chars,
// bytes, choice): its scores without the per-token arrays.
struct ChoiceSummary {
  double sum = 0.0;  // StoredChoice::Sum()
  double min = 0.0;  // StoredChoice::Min()
  std::int64_t n_tokens = 0;
  std::int64_t n_bytes = 0;
  std::int64_t n_chars = 0;
  bool is_greedy = false;
};

struct ItemSummary {
  std::int64_t index = 0;
  std::int64_t gold = 0;
  std::string subject;
  std::int64_t n_choices = 0;
  bool truncated = false;
  bool failed = false;           // stored with an error: no choices
  std::size_t first_choice = 0;  // its choices in RunScores::choices, when not failed
};

// One choice of an imported item: the other tool's log-likelihood total of
// the continuation, without per-token scores.
struct ImportedChoice {
  double sum = 0.0;
  std::int64_t n_bytes = 0;  // UTF-8 bytes of the choice text
  std::int64_t n_chars = 0;  // Unicode code points of the choice text
  bool is_greedy = false;

  bool operator==(const ImportedChoice&) const = default;
};

// One item of an imported run (a scored item has n_choices choices, a failed
// one none and its error).
struct ImportedItem {
  std::int64_t index = 0;
  std::string id;
  std::int64_t gold = 0;
  std::string subject;
  std::int64_t n_choices = 0;
  std::string error;  // empty when the item has scores
  std::vector<ImportedChoice> choices;
  std::int64_t session_id = 0;

  bool ok() const { return error.empty(); }
};

// A run's stored scores, compact: the choices of items[i] are
// choices[items[i].first_choice .. + items[i].n_choices) unless it failed.
struct RunScores {
  std::vector<ItemSummary> items;  // by item index
  std::vector<ChoiceSummary> choices;
  // False for an imported run: its choices have a sum but no per-token
  // scores, so their min is NaN and n_tokens 0, and the methods that need
  // tokens (min, mean) are undefined for it.
  bool token_scores = true;
};

// Items planned, stored and failed for one run.
struct RunProgress {
  RunRecord run;
  std::int64_t items_planned = 0;
  std::int64_t items_stored = 0;  // scored or failed
  std::int64_t items_failed = 0;  // stored with an error
};

}  // namespace llmcal::store
