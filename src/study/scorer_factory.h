// How the runner and `llmcal score` get a Scorer for a model: through a
// factory, so that the real llama.cpp scorer runs in production and
// end-to-end tests, and a deterministic fake scorer drives the runner's logic
// tests quickly.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "engine/engine_options.h"
#include "engine/scorer.h"

namespace llmcal::study {

struct OpenedScorer {
  std::unique_ptr<engine::Scorer> scorer;
  // Tokens fed to the model so far (for tokens/s); empty when the scorer
  // does not count them, and then the scored continuation tokens are shown.
  std::function<std::int64_t()> evaluated_tokens = {};
  // Items whose context tokens were not a prefix of context+continuation
  // (engine/tokenization.h); empty when the scorer does not count them.
  std::function<std::int64_t()> non_prefix_items = {};
  // Context tokens the prefix cache kept in the KV memory instead of
  // evaluating again; empty when the scorer has no prefix cache.
  std::function<std::int64_t()> reused_tokens = {};
};

// Loads the model at options.model_path. Throws as LlamaScorer::Open does.
using ScorerFactory = std::function<OpenedScorer(const engine::EngineOptions& options)>;

// The production factory: engine::LlamaScorer.
OpenedScorer OpenLlamaScorer(const engine::EngineOptions& options);

}  // namespace llmcal::study
