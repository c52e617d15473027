// LlamaScorer: the Scorer backed by llama.cpp, in-process.
//
// It packs many items into one llama_decode: each item's shared context is
// evaluated once, as a sequence prefix shared by the item's continuation
// sequences (score_plan.h); with the prefix cache (EngineOptions::prefix_cache)
// items are taken in token order and the tokens consecutive items share (a
// few-shot header) are evaluated once, kept in the KV memory and lent to
// every sequence that continues them; the KV memory is sized to the tokens
// decoded together (and the kept prefix) and cleared of everything else
// between decodes; logits are requested only at
// the rows a score needs and read in place; log-softmax is computed only for
// those rows. When every continuation is one token (the lettered " A", " B",
// ... style) an item is a single pass over its context and one logits row.
//
// The scorer owns the model and one llama context per worker: small models
// on CPU decode fastest as several single-threaded contexts working on
// different groups of items at once. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "engine/engine_options.h"
#include "engine/llama_handles.h"
#include "engine/score_plan.h"
#include "engine/scorer.h"
#include "engine/tokenization.h"

namespace llmcal::engine {

// Tokens one or more decodes fed to the model, and tokens they read from a
// prefix kept in the KV memory instead.
struct DecodeCount {
  std::size_t evaluated = 0;
  std::size_t reused = 0;
};

class LlamaScorer final : public Scorer {
 public:
  // Loads the model and decides the BOS convention (info().bos). Throws
  // InputError when the file is missing, unreadable or not a loadable GGUF, or
  // when options.bos asks for a BOS token the vocabulary lacks; EngineError
  // when llama.cpp or an RPC server fails.
  static std::unique_ptr<LlamaScorer> Open(const EngineOptions& options);
  ~LlamaScorer() override;

  std::vector<RequestScore> Score(std::span<const ScoreRequest> requests) override;

  const ModelInfo& info() const override { return info_; }
  const Tokenizer& tokenizer() const { return tokenizer_; }
  // Items cut to the window so far, over all Score calls.
  std::int64_t truncated_items() const { return truncated_items_; }
  // Items scored so far, over all Score calls, where for some continuation
  // tokenize(context) is not a prefix of tokenize(context + continuation):
  // those whose scores depend on EngineOptions::split.
  std::int64_t non_prefix_items() const { return non_prefix_items_; }
  // Tokens evaluated (fed to the model) so far, over all Score calls.
  std::int64_t evaluated_tokens() const { return evaluated_tokens_; }
  // Tokens read from a prefix kept in the KV memory instead of evaluated,
  // so far: a group's prefix length once per unit (score_plan.h).
  std::int64_t reused_tokens() const { return reused_tokens_; }

 private:
  class Impl;
  LlamaScorer(EngineOptions options, LlamaModelPtr model);
  // Decodes every group on the workers; returns the tokens fed and reused.
  DecodeCount DecodeInParallel(const std::vector<ScoreUnit>& units,
                               const std::vector<DecodeGroup>& groups,
                               std::vector<RequestScore>& results);

  EngineOptions options_;
  LlamaModelPtr model_;
  ModelInfo info_;
  Tokenizer tokenizer_;
  std::vector<std::unique_ptr<Impl>> workers_;  // one llama context each
  std::int64_t truncated_items_ = 0;
  std::int64_t non_prefix_items_ = 0;
  std::int64_t evaluated_tokens_ = 0;
  std::int64_t reused_tokens_ = 0;
};

}  // namespace llmcal::engine
