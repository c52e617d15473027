#include "model_catalog.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "common/error.h"

namespace llmcal::synthetic {

const std::vector<ArchitectureTraits>& AllArchitectures() {
  // add_bos: Llama-2/Mistral, Llama-3 and Gemma prepend <bos>; Qwen2 and OLMo
  // do not. Written explicitly, as converted real models carry it, so the
  // model does not depend on llama.cpp's per-tokenizer default.
  // OLMo's tokenizer is GPT-NeoX-20B's; the vocab file names no pre-tokenizer,
  // so it gets "olmo" (the GPT-2 split), which a converted OLMo model carries.
  static const std::vector<ArchitectureTraits> kArchitectures = {
      {"llama-spm", "llama", "ggml-vocab-llama-spm.gguf",
       "llama with the SentencePiece tokenizer of Llama-2/Mistral (32000 tokens)", true, nullptr,
       false, false, NormKind::kRmsWithWeight, 10000.0f, 1e-5f},
      {"llama-bpe", "llama", "ggml-vocab-llama-bpe.gguf",
       "llama with the BPE tokenizer of Llama-3 (128256 tokens)", true, nullptr, false, false,
       NormKind::kRmsWithWeight, 500000.0f, 1e-5f},
      {"qwen2", "qwen2", "ggml-vocab-qwen2.gguf",
       "qwen2 (q/k/v biases, tied embeddings) with the Qwen2 tokenizer (151936 tokens)", false,
       nullptr, true, true, NormKind::kRmsWithWeight, 1000000.0f, 1e-6f},
      {"gemma", "gemma", "ggml-vocab-gemma-4.gguf",
       "gemma (tied, scaled embeddings) with the Gemma-4 tokenizer (262144 tokens)", true, nullptr,
       true, false, NormKind::kRmsWithWeight, 10000.0f, 1e-6f},
      {"olmo", "olmo", "ggml-vocab-gpt-neox.gguf",
       "olmo (parameter-free LayerNorm, tied) with the GPT-NeoX tokenizer (50432 tokens)", false,
       "olmo", true, false, NormKind::kLayerNormNoWeight, 10000.0f, 1e-5f},
  };
  return kArchitectures;
}

const std::vector<PresetShape>& AllPresets() {
  // Every row length (n_embd, n_ff, n_head * head size) is a multiple of 32,
  // the Q8_0 block size.
  static const std::vector<PresetShape> kPresets = {
      {"tiny", "2 layers, width 64, 4 heads (2 KV), FFN 128, context 512", 2, 64, 4, 2, 128, 512},
      {"small", "4 layers, width 256, 4 heads (2 KV), FFN 768, context 2048", 4, 256, 4, 2, 768,
       2048},
      {"qwen2.5-0.5b",
       "Qwen2.5-0.5B shape: 24 layers, width 896, 14 heads (2 KV), FFN 4864, "
       "context 32768",
       24, 896, 14, 2, 4864, 32768},
  };
  return kPresets;
}

const std::vector<WeightType>& AllWeightTypes() {
  // file_type values are enum llama_ftype: ALL_F32, MOSTLY_F16, MOSTLY_Q8_0.
  static const std::vector<WeightType> kTypes = {
      {"f32", "all tensors F32", GGML_TYPE_F32, 0},
      {"f16", "matrices F16, norms and biases F32", GGML_TYPE_F16, 1},
      {"q8_0", "matrices Q8_0, norms and biases F32", GGML_TYPE_Q8_0, 7},
  };
  return kTypes;
}

namespace {

template <typename Entry>
const Entry& FindByName(const std::vector<Entry>& entries, const std::string& name,
                        const char* what) {
  const auto it =
      std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return name == e.name; });
  if (it != entries.end()) {
    return *it;
  }
  std::vector<std::string> names;
  for (const Entry& e : entries) {
    names.emplace_back(e.name);
  }
  throw InputError(
      fmt::format("unknown {} '{}' (choose one of: {})", what, name, fmt::join(names, ", ")));
}

}  // namespace

const ArchitectureTraits& FindArchitecture(const std::string& name) {
  return FindByName(AllArchitectures(), name, "architecture");
}

const PresetShape& FindPreset(const std::string& name) {
  return FindByName(AllPresets(), name, "preset");
}

const WeightType& FindWeightType(const std::string& name) {
  return FindByName(AllWeightTypes(), name, "type");
}

}  // namespace llmcal::synthetic
