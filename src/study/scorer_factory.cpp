#include "study/scorer_factory.h"

#include "engine/llama_scorer.h"

namespace llmcal::study {

OpenedScorer OpenLlamaScorer(const engine::EngineOptions& options) {
  std::unique_ptr<engine::LlamaScorer> scorer = engine::LlamaScorer::Open(options);
  const engine::LlamaScorer* llama = scorer.get();
  return {.scorer = std::move(scorer),
          .evaluated_tokens = [llama] { return llama->evaluated_tokens(); },
          .non_prefix_items = [llama] { return llama->non_prefix_items(); },
          .reused_tokens = [llama] { return llama->reused_tokens(); }};
}

}  // namespace llmcal::study
