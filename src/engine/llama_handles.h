// Owning handles for llama.cpp objects: each frees with its matching function.
#pragma once

#include <llama.h>

#include <memory>

namespace llmcal::engine {

struct LlamaModelDeleter {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
struct LlamaContextDeleter {
  void operator()(llama_context* c) const { llama_free(c); }
};

using LlamaModelPtr = std::unique_ptr<llama_model, LlamaModelDeleter>;
using LlamaContextPtr = std::unique_ptr<llama_context, LlamaContextDeleter>;

}  // namespace llmcal::engine
