// The fixed tables behind the synthetic model generator: which architectures,
// shapes and weight types it knows, and what each one means for the GGUF file.
//
// Everything here is static data; lookups return references into it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ggml.h"

namespace llmcal::synthetic {

// How a transformer block normalizes its input.
enum class NormKind {
  kRmsWithWeight,      // RMSNorm with a learned scale (Llama, Qwen2, Gemma)
  kLayerNormNoWeight,  // LayerNorm without parameters (OLMo)
};

// One generated architecture: the llama.cpp architecture it maps to, its
// tokenizer and the details that differ between model families.
struct ArchitectureTraits {
  const char* name;        // our name, e.g. "llama-bpe"
  const char* llama_arch;  // general.architecture, e.g. "llama"
  const char* vocab_file;  // tokenizer source in llama.cpp's models/ folder
  const char* description;
  bool add_bos;               // tokenizer.ggml.add_bos_token, as the real family has it
  const char* tokenizer_pre;  // tokenizer.ggml.pre to set, or nullptr to keep the vocab's
  bool tied_embeddings;       // output projection shares token_embd (no output.weight)
  bool qkv_bias;              // attention q/k/v projections have biases (Qwen2)
  NormKind norm;
  float rope_freq_base;
  float norm_epsilon;
};

// A model shape. Vocabulary size comes from the tokenizer, not the preset.
struct PresetShape {
  const char* name;
  const char* description;
  std::uint32_t n_layer;
  std::uint32_t n_embd;
  std::uint32_t n_head;
  std::uint32_t n_head_kv;
  std::uint32_t n_ff;
  std::uint32_t n_ctx_train;
};

// A weight type: what two-dimensional weights are stored as. One-dimensional
// tensors (norms, biases) stay F32, as llama.cpp's quantizer keeps them.
struct WeightType {
  const char* name;
  const char* description;
  ggml_type matrix_type;
  std::uint32_t file_type;  // general.file_type (enum llama_ftype)
};

const std::vector<ArchitectureTraits>& AllArchitectures();
const std::vector<PresetShape>& AllPresets();
const std::vector<WeightType>& AllWeightTypes();

// Return the entry named `name`. Throw InputError naming the valid choices
// when there is none.
const ArchitectureTraits& FindArchitecture(const std::string& name);
const PresetShape& FindPreset(const std::string& name);
const WeightType& FindWeightType(const std::string& name);

}  // namespace llmcal::synthetic
