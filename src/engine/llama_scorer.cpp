#include "engine/llama_scorer.h"

#include <fmt/format.h>
#include <ggml-backend.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>

#include "common/error.h"
#include "engine/llama_runtime.h"
#include "engine/logit_row.h"
#include "engine/model_file.h"
#include "engine/score_plan.h"

namespace llmcal::engine {

namespace {

// Sequence ids the units of one decode may use; llama.cpp allows up to 256.
constexpr std::size_t kMaxSequences = 64;
// The sequence that holds a group's shared prefix across decodes; the units
// use the ids after it.
constexpr llama_seq_id kPrefixSequence = 0;
constexpr std::size_t kSequenceIds = kMaxSequences + 1;

// Models below this size decode faster as independent single-threaded
// contexts than as one context whose every small op is split across threads
// (stories260K: measured in bench/README.md).
constexpr std::uint64_t kSmallModelParams = 100'000'000;

// The tokens of one llama_decode call, owned here; View() lends them to llama.cpp.
class DecodeBatch {
 public:
  void Clear() {
    tokens_.clear();
    positions_.clear();
    n_seq_ids_.clear();
    seq_id_storage_.clear();
    logits_.clear();
  }
  // Appends `token` at `pos` in the sequences [first_seq, first_seq + n_seqs).
  void Add(std::int32_t token, std::int32_t pos, std::int32_t first_seq, std::int32_t n_seqs) {
    tokens_.push_back(token);
    positions_.push_back(pos);
    n_seq_ids_.push_back(n_seqs);
    for (std::int32_t s = 0; s < n_seqs; ++s)
      seq_id_storage_.push_back(first_seq + s);
    logits_.push_back(0);
  }
  void RequestRow(std::size_t index) { logits_[index] = 1; }
  std::size_t size() const { return tokens_.size(); }

  llama_batch View() {
    seq_id_ptrs_.resize(tokens_.size());
    std::size_t at = 0;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      seq_id_ptrs_[i] = seq_id_storage_.data() + at;
      at += static_cast<std::size_t>(n_seq_ids_[i]);
    }
    return {static_cast<std::int32_t>(tokens_.size()),
            tokens_.data(),
            nullptr,
            positions_.data(),
            n_seq_ids_.data(),
            seq_id_ptrs_.data(),
            logits_.data()};
  }

 private:
  std::vector<llama_token> tokens_;
  std::vector<llama_pos> positions_;
  std::vector<std::int32_t> n_seq_ids_;
  std::vector<llama_seq_id> seq_id_storage_;
  std::vector<llama_seq_id*> seq_id_ptrs_;
  std::vector<std::int8_t> logits_;
};

bool HasGpuDevice() {
  for (std::size_t i = 0; i < ggml_backend_dev_count(); ++i) {
    const auto type = ggml_backend_dev_type(ggml_backend_dev_get(i));
    if (type == GGML_BACKEND_DEVICE_TYPE_GPU || type == GGML_BACKEND_DEVICE_TYPE_IGPU)
      return true;
  }
  return false;
}

// Tokens per decode: --batch-size, or 256 for small models on CPU, where
// attention over the padded KV cells dominates and one HellaSwag-sized item
// per decode is fastest, else 512 (bench/README.md).
int ChooseBatchSize(const EngineOptions& options, const ModelInfo& info, int workers) {
  if (options.batch_size > 0)
    return options.batch_size;
  return workers > 1 || info.n_params < kSmallModelParams ? 256 : 512;
}

// How many llama contexts decode in parallel: --workers, or for a small
// model on CPU alone one single-threaded worker per thread.
int ChooseWorkers(const EngineOptions& options, const ModelInfo& info, int threads) {
  if (options.workers > 0)
    return std::min(options.workers, threads);
  const bool cpu_only = options.gpu_layers == 0 || (!HasGpuDevice() && options.rpc_servers.empty());
  return cpu_only && info.n_params < kSmallModelParams ? threads : 1;
}

// Flash attention pays off on GPUs. On CPU, with the short per-item sequences
// of multiple-choice scoring, plain attention measured 1.8x faster, and it is
// exact in F32 where ggml's CPU flash attention rounds through F16 (log-probs
// moved by up to 2e-2 on the test models).
llama_flash_attn_type FlashAttention(const EngineOptions& options) {
  if (options.flash_attention == "on")
    return LLAMA_FLASH_ATTN_TYPE_ENABLED;
  if (options.flash_attention == "off")
    return LLAMA_FLASH_ATTN_TYPE_DISABLED;
  const bool offloads = options.gpu_layers != 0 && (HasGpuDevice() || !options.rpc_servers.empty());
  return offloads ? LLAMA_FLASH_ATTN_TYPE_AUTO : LLAMA_FLASH_ATTN_TYPE_DISABLED;
}

}  // namespace

// The llama context and the decode loop. The context's KV memory and output
// buffer are sized to the largest decode group seen so far, not to the window.
class LlamaScorer::Impl {
 public:
  // REQUIRES: model and options outlive the Impl; threads >= 1.
  Impl(llama_model* model, const EngineOptions& options, int threads)
      : model_(model), options_(options), threads_(threads) {}

  // Decodes `group` of `units` and writes each slot's log-prob into `results`
  // (indexed by ScoreUnit::item). A group with a prefix first makes sure the
  // KV memory holds it in sequence kPrefixSequence (evaluating only what the
  // prefix kept from the last group lacks), then lends its cells to every
  // sequence of the group. Returns the tokens fed and the tokens reused.
  DecodeCount Decode(const std::vector<ScoreUnit>& units, const DecodeGroup& group,
                     std::vector<RequestScore>& results) {
    const std::size_t prefix_length = group.prefix_length;
    // Room for any group after this prefix, so that the next one does not
    // rebuild the context (losing the prefix) for a few more tokens.
    const std::size_t group_room =
        prefix_length > 0 ? std::max(group.n_tokens, static_cast<std::size_t>(options_.batch_size))
                          : group.n_tokens;
    EnsureCapacity(prefix_length + group_room, group.n_outputs);
    const TokenIds& first = units[group.first_unit].shared;
    DecodeCount count;
    count.evaluated = KeepPrefix({first.begin(), first.begin() + prefix_length});
    batch_.Clear();
    rows_.clear();
    llama_memory_t memory = llama_get_memory(ctx_.get());
    auto next_seq = static_cast<std::int32_t>(kPrefixSequence + 1);
    for (std::size_t u = group.first_unit; u < group.first_unit + group.n_units; ++u) {
      const auto n_seqs = static_cast<std::int32_t>(units[u].n_sequences());
      for (std::int32_t seq = next_seq; prefix_length > 0 && seq < next_seq + n_seqs; ++seq)
        llama_memory_seq_cp(memory, kPrefixSequence, seq, -1, -1);
      AddUnit(units[u], prefix_length, next_seq, results[units[u].item]);
      next_seq += n_seqs;
      count.reused += prefix_length;
    }
    DecodeOrThrow();
    ReadRows();
    count.evaluated += batch_.size();
    return count;
  }

 private:
  // Turns every requested row into log-probs. The rows' log-sum-exps are
  // independent, so they are split over the worker's threads.
  void ReadRows() {
    const auto n_vocab =
        static_cast<std::size_t>(llama_vocab_n_tokens(llama_model_get_vocab(model_)));
    std::vector<const float*> logits(rows_.size());
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      logits[r] = llama_get_logits_ith(ctx_.get(), static_cast<std::int32_t>(rows_[r].index));
      if (logits[r] == nullptr)
        throw EngineError("llama.cpp returned no logits for a requested row");
    }
    std::vector<LogitRowStats> stats(rows_.size());
    const auto summarize = [&](std::size_t begin, std::size_t end) {
      for (std::size_t r = begin; r < end; ++r)
        stats[r] = SummarizeLogitRow(logits[r], n_vocab);
    };
    const std::size_t n_threads = std::min<std::size_t>(threads_, rows_.size() / 8 + 1);
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < n_threads; ++t) {
      helpers.emplace_back(summarize, rows_.size() * t / n_threads,
                           rows_.size() * (t + 1) / n_threads);
    }
    summarize(0, rows_.size() / n_threads);
    for (auto& h : helpers)
      h.join();
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      for (const TokenSlot& slot : rows_[r].row->slots) {
        ContinuationScore& c = rows_[r].owner->continuations[slot.continuation];
        c.logprobs[slot.token] = LogProbOf(logits[r], stats[r], slot.target);
        if (stats[r].argmax != slot.target)
          c.is_greedy = false;
      }
    }
  }

  // A logits row to read after the decode, and the item it feeds.
  struct RequestedRow {
    std::size_t index;  // position in the batch
    const ScoreUnit::Row* row;
    RequestScore* owner;
  };

  // Adds the unit's tokens after its first `skip` (a prefix already in the
  // KV memory) to the batch, its branches in sequences first_seq, ...
  void AddUnit(const ScoreUnit& unit, std::size_t skip, std::int32_t first_seq,
               RequestScore& owner) {
    const std::size_t base = batch_.size();
    const auto n_branches = static_cast<std::int32_t>(unit.branches.size());
    for (std::size_t p = skip; p < unit.shared.size(); ++p) {
      batch_.Add(unit.shared[p], static_cast<llama_pos>(p), first_seq, std::max(1, n_branches));
    }
    for (std::int32_t b = 0; b < n_branches; ++b) {
      const TokenIds& tail = unit.branches[static_cast<std::size_t>(b)].tail;
      for (std::size_t p = 0; p < tail.size(); ++p) {
        batch_.Add(tail[p], static_cast<llama_pos>(unit.shared.size() + p), first_seq + b, 1);
      }
    }
    for (const auto& row : unit.rows) {
      batch_.RequestRow(base + row.offset - skip);
      rows_.push_back({base + row.offset - skip, &row, &owner});
    }
  }

  void DecodeOrThrow() {
    const int rc = llama_decode(ctx_.get(), batch_.View());
    if (rc != 0) {
      throw EngineError(fmt::format("llama_decode failed (code {}): {}", rc, TakeLlamaErrors()));
    }
  }

  // Leaves the KV memory holding exactly `prefix` in kPrefixSequence (the
  // sequences of the last group dropped). What the memory already holds of
  // it is kept; returns the number of tokens evaluated for the rest.
  std::size_t KeepPrefix(std::span<const std::int32_t> prefix) {
    llama_memory_t memory = llama_get_memory(ctx_.get());
    std::size_t kept = static_cast<std::size_t>(
        std::mismatch(prefix_.begin(), prefix_.end(), prefix.begin(), prefix.end()).first -
        prefix_.begin());
    // A sliding-window cache may have dropped early cells of a prefix longer
    // than its window; they cannot serve a shorter prefix, so start afresh.
    if (kept < prefix_.size() && llama_memory_seq_pos_min(memory, kPrefixSequence) > 0)
      kept = 0;
    if (kept == 0) {
      llama_memory_clear(memory, false);
    } else {
      llama_memory_seq_keep(memory, kPrefixSequence);
      if (!llama_memory_seq_rm(memory, kPrefixSequence, static_cast<llama_pos>(kept), -1)) {
        llama_memory_clear(memory, false);
        kept = 0;
      }
    }
    prefix_.assign(prefix.begin(), prefix.begin() + static_cast<std::ptrdiff_t>(kept));
    if (kept == prefix.size())
      return 0;
    batch_.Clear();
    for (std::size_t p = kept; p < prefix.size(); ++p)
      batch_.Add(prefix[p], static_cast<llama_pos>(p), kPrefixSequence, 1);
    DecodeOrThrow();
    prefix_.assign(prefix.begin(), prefix.end());
    return prefix.size() - kept;
  }

  // Makes the context hold `tokens` KV cells and `outputs` logits rows; a
  // new context starts with empty memory.
  void EnsureCapacity(std::size_t tokens, std::size_t outputs) {
    if (ctx_ && tokens <= kv_cells_ && outputs <= outputs_)
      return;
    const auto batch = static_cast<std::size_t>(options_.batch_size);
    // Whole 256-cell steps (ggml pads attention to 256 cells anyway): prefixes
    // of neighbouring lengths then fit the same context.
    kv_cells_ = std::max({kv_cells_, (tokens + 255) / 256 * 256, batch});
    // llama.cpp reserves at least one output row per sequence.
    outputs_ = std::max({outputs_, outputs, batch, kSequenceIds});
    llama_context_params params = llama_context_default_params();
    params.n_ctx = static_cast<std::uint32_t>(kv_cells_);
    params.n_batch = static_cast<std::uint32_t>(kv_cells_);
    params.n_ubatch = static_cast<std::uint32_t>(std::min(kv_cells_, batch));
    params.n_seq_max = kSequenceIds;
    params.n_outputs_max = static_cast<std::uint32_t>(outputs_);
    // Cells shared by several sequences (an item's context, a kept prefix lent
    // by llama_memory_seq_cp) need one KV buffer for all sequences.
    params.kv_unified = true;
    // The KV memory holds one decode group, so F32 costs little memory, and on
    // CPU it avoids F16 conversions in attention (measured 1.4x on stories260K).
    params.type_k = GGML_TYPE_F32;
    params.type_v = GGML_TYPE_F32;
    params.flash_attn_type = FlashAttention(options_);
    params.n_threads = threads_;
    params.n_threads_batch = threads_;
    ctx_.reset();
    prefix_.clear();
    ctx_.reset(llama_init_from_model(model_, params));
    if (!ctx_) {
      throw EngineError(fmt::format("could not create a llama.cpp context of {} cells: {}",
                                    kv_cells_, TakeLlamaErrors()));
    }
  }

  llama_model* model_;
  const EngineOptions& options_;
  int threads_;
  LlamaContextPtr ctx_;
  std::size_t kv_cells_ = 0;
  std::size_t outputs_ = 0;
  DecodeBatch batch_;
  std::vector<RequestedRow> rows_;
  TokenIds prefix_;  // what the KV memory holds in kPrefixSequence
};

std::unique_ptr<LlamaScorer> LlamaScorer::Open(const EngineOptions& options) {
  if (options.batch_size < 0)
    throw InputError("--batch-size must not be negative");
  InitLlamaRuntime(options.verbose);
  CheckModelFile(options.model_path);
  RegisterRpcServers(options.rpc_servers);
  TakeLlamaErrors();  // report only what this load logs
  llama_model_params params = llama_model_default_params();
  params.n_gpu_layers = options.gpu_layers;
  LlamaModelPtr model(llama_model_load_from_file(options.model_path.c_str(), params));
  if (!model) {
    throw InputError::At(options.model_path, 0, "",
                         "llama.cpp could not load the model: " + TakeLlamaErrors());
  }
  return std::unique_ptr<LlamaScorer>(new LlamaScorer(options, std::move(model)));
}

LlamaScorer::LlamaScorer(EngineOptions options, LlamaModelPtr model)
    : options_(std::move(options)),
      model_(std::move(model)),
      tokenizer_(llama_model_get_vocab(model_.get())) {
  char desc[256];
  llama_model_desc(model_.get(), desc, sizeof desc);
  info_.architecture = MetaString(model_.get(), "general.architecture");
  info_.description = desc;
  info_.n_params = llama_model_n_params(model_.get());
  info_.size_bytes = llama_model_size(model_.get());
  info_.n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model_.get()));
  info_.train_context = llama_model_n_ctx_train(model_.get());
  info_.window = options_.context_size > 0 ? options_.context_size : info_.train_context;
  info_.adds_bos = tokenizer_.adds_bos();
  info_.bos = DecideBos(options_.bos, tokenizer_.adds_bos(), info_.architecture,
                        tokenizer_.has_bos_token());
  // Recurrent state cannot be cut back to a shorter prefix.
  const bool keeps_cells =
      !llama_model_is_recurrent(model_.get()) && !llama_model_is_hybrid(model_.get());
  info_.prefix_cache = options_.prefix_cache && keeps_cells;
  const int threads = options_.threads > 0
                          ? options_.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = ChooseWorkers(options_, info_, threads);
  options_.batch_size = ChooseBatchSize(options_, info_, workers);
  for (int w = 0; w < workers; ++w) {
    workers_.push_back(
        std::make_unique<Impl>(model_.get(), options_, std::max(1, threads / workers)));
  }
}

LlamaScorer::~LlamaScorer() = default;

namespace {

// Tokenizes one request; returns an error message, or "" when it can be scored.
std::string TokenizeRequest(const Tokenizer& tokenizer, const SplitOptions& split,
                            const ScoreRequest& request, std::size_t window, ItemTokens& tokens) {
  if (request.continuations.empty())
    return "no continuations";
  for (std::size_t k = 0; k < request.continuations.size(); ++k) {
    tokens.push_back(
        SplitContinuation(tokenizer, request.context, request.continuations[k], split));
    const std::size_t n = tokens.back().continuation.size();
    if (n == 0) {
      return fmt::format("continuation {} ({:?}) has zero tokens", k, request.continuations[k]);
    }
    if (n >= window) {
      return fmt::format("continuation {} has {} tokens, more than the model's window of {}", k, n,
                         window);
    }
  }
  return "";
}

}  // namespace

DecodeCount LlamaScorer::DecodeInParallel(const std::vector<ScoreUnit>& units,
                                          const std::vector<DecodeGroup>& groups,
                                          std::vector<RequestScore>& results) {
  // Groups go to whichever worker is free. Workers write disjoint
  // continuations (a unit covers whole continuations), so they share `results`.
  // Each worker keeps its own last prefix, so a prefix whose groups go to
  // several workers is evaluated once by each of them.
  std::atomic<std::size_t> next{0}, evaluated{0}, reused{0};
  std::vector<std::exception_ptr> errors(workers_.size());
  auto work = [&](std::size_t w) {
    try {
      for (std::size_t g = next++; g < groups.size(); g = next++) {
        const DecodeCount count = workers_[w]->Decode(units, groups[g], results);
        evaluated += count.evaluated;
        reused += count.reused;
      }
    } catch (...) {
      errors[w] = std::current_exception();
      next = groups.size();
    }
  };
  if (workers_.size() == 1) {
    work(0);
  } else {
    std::vector<std::thread> threads;
    for (std::size_t w = 0; w < workers_.size(); ++w)
      threads.emplace_back(work, w);
    for (auto& t : threads)
      t.join();
  }
  for (const auto& e : errors) {
    if (e)
      std::rethrow_exception(e);
  }
  return {evaluated, reused};
}

std::vector<RequestScore> LlamaScorer::Score(std::span<const ScoreRequest> requests) {
  std::vector<RequestScore> results(requests.size());
  std::vector<ScoreUnit> units;
  const auto window = static_cast<std::size_t>(std::max(2, info_.window));
  const SplitOptions split{info_.bos, options_.split};
  for (std::size_t i = 0; i < requests.size(); ++i) {
    ItemTokens tokens;
    results[i].error = TokenizeRequest(tokenizer_, split, requests[i], window, tokens);
    if (!results[i].ok())
      continue;
    const bool not_prefix = std::any_of(tokens.begin(), tokens.end(),
                                        [](const SplitTokens& t) { return t.context_not_prefix; });
    non_prefix_items_ += not_prefix ? 1 : 0;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      ContinuationScore& c = results[i].continuations.emplace_back();
      c.tokens = tokens[k].continuation;
      c.logprobs.assign(c.tokens.size(), std::numeric_limits<float>::quiet_NaN());
      c.n_bytes = static_cast<std::int64_t>(requests[i].continuations[k].size());
      c.is_greedy = true;
    }
    auto item_units = PlanItem(i, tokens, window, &results[i].truncated);
    truncated_items_ += results[i].truncated ? 1 : 0;
    std::move(item_units.begin(), item_units.end(), std::back_inserter(units));
  }
  const auto batch = static_cast<std::size_t>(options_.batch_size);
  if (info_.prefix_cache)
    SortBySharedTokens(units);
  const PrefixSharing sharing = info_.prefix_cache ? PrefixSharing::kOn : PrefixSharing::kOff;
  const DecodeCount count =
      DecodeInParallel(units, PackUnits(units, {batch, kMaxSequences, batch}, sharing), results);
  evaluated_tokens_ += static_cast<std::int64_t>(count.evaluated);
  reused_tokens_ += static_cast<std::int64_t>(count.reused);
  for (RequestScore& r : results) {
    for (ContinuationScore& c : r.continuations) {
      c.sum = 0.0;
      c.min = std::numeric_limits<double>::infinity();
      for (float lp : c.logprobs) {
        c.sum += lp;
        c.min = std::min<double>(c.min, lp);
      }
    }
  }
  return results;
}

}  // namespace llmcal::engine
