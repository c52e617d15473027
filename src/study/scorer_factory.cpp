#include "study/scorer_factory.h"

#include "engine/llama_scorer.h"

namespace llmcal::study {

OpenedScorer OpenLlamaScorer(const engine::EngineOptions& options) {
  std::unique_ptr<engine::LlamaScorer> scorer = engine::LlamaScorer::Open(options);
  const engine::LlamaScorer* llama = scorer.get();
  return {std::move(scorer), [llama] { return llama->evaluated_tokens(); }};
}

}  // namespace llmcal::study
