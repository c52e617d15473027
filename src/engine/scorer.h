// The Scorer: log-likelihood of answer continuations given a context.
//
// A ScoreRequest is one multiple-choice item: a context and its K continuation
// strings. The scorer returns, for every continuation, the per-token
// log-probabilities the model assigns to it after the context, following
// lm-evaluation-harness's convention (see tokenization.h). Scores are plain
// values owned by the caller; a Scorer holds the model and is not thread-safe.
//
// ScoreInChunks drives a Scorer over many requests a chunk at a time, handing
// each finished chunk to a callback: the unit of output (`llmcal score`) and
// of commit (the study runner's one transaction per chunk).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace llmcal::engine {

struct ScoreRequest {
  std::string context;
  std::vector<std::string> continuations;  // REQUIRES: at least one
};

struct ContinuationScore {
  std::vector<std::int32_t> tokens;  // continuation token ids
  std::vector<float> logprobs;       // log-softmax over the vocabulary, one per token
  double sum = 0.0;                  // sum of logprobs
  double min = 0.0;                  // smallest logprob
  std::int64_t n_bytes = 0;          // UTF-8 bytes of the continuation string as given
  bool is_greedy = false;            // every token is the argmax of its row

  std::int64_t n_tokens() const { return static_cast<std::int64_t>(tokens.size()); }
};

struct RequestScore {
  std::vector<ContinuationScore> continuations;  // in request order; empty when error is set
  std::string error;       // why this item could not be scored (e.g. a zero-token continuation)
  bool truncated = false;  // the context was cut from the left to fit the model's window

  bool ok() const { return error.empty(); }
};

// Returns "" when every log-prob of `score` is finite, else what is not:
// "continuation 2 token 0 has log-probability nan" (the first such token).
// A non-finite log-prob comes from a broken model (e.g. NaN weights): such
// an item is a failure of the model, never a score.
std::string NonFiniteLogprob(const RequestScore& score);

// What the loaded model is, for provenance and reports.
struct ModelInfo {
  std::string architecture;  // general.architecture, e.g. "llama"
  std::string description;   // llama.cpp's one-line description
  std::uint64_t n_params = 0;
  std::uint64_t size_bytes = 0;
  std::int32_t n_vocab = 0;
  std::int32_t train_context = 0;  // the model's training window
  std::int32_t window = 0;         // the window contexts are cut to
  bool adds_bos = false;           // the GGUF metadata asks for a BOS token
  bool bos = false;                // contexts get a BOS token (EngineOptions::bos decided)
  // Tokens shared by consecutive items are evaluated once and kept
  // (EngineOptions::prefix_cache, unless the model's memory cannot be cut
  // back to a prefix: recurrent and hybrid models).
  bool prefix_cache = false;
};

class Scorer {
 public:
  virtual ~Scorer() = default;

  // The model behind this scorer.
  virtual const ModelInfo& info() const = 0;

  // Scores every request. Returns one RequestScore per request, in order. An
  // item that cannot be scored carries an error and does not stop the others.
  // Throws EngineError when the model itself fails.
  virtual std::vector<RequestScore> Score(std::span<const ScoreRequest> requests) = 0;
};

// Receives one finished chunk: `first` is the index of scores[0] within the
// requests given to ScoreInChunks.
using ChunkCallback = std::function<void(std::size_t first, std::span<const RequestScore> scores)>;

// Scores `requests` in consecutive chunks of `chunk_items` (the last may be
// smaller) and calls on_chunk after each, in order, before scoring the next.
// An exception from on_chunk stops the loop and propagates; chunks already
// handed over stay handed over. REQUIRES: chunk_items >= 1.
void ScoreInChunks(Scorer& scorer, std::span<const ScoreRequest> requests, std::size_t chunk_items,
                   const ChunkCallback& on_chunk);

}  // namespace llmcal::engine
