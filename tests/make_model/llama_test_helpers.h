// Small llama.cpp helpers for the synthetic model tests: load a model, run the
// tokenizer, decode a prompt, and read llama.cpp's own tokenizer test cases.
// llama.cpp's log output is kept off stderr (engine/llama_runtime.h).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/llama_handles.h"
#include "engine/llama_runtime.h"
#include "llama.h"

namespace llmcal::testing {

using engine::LlamaModelPtr;
using engine::MetaString;

// Loads the GGUF at `path` on the CPU. Returns null when llama.cpp refuses it.
LlamaModelPtr LoadModel(const std::filesystem::path& path);

// Tokenizes `text` as llama.cpp does; `add_special` adds BOS/EOS when the
// model asks for them. Special-token text is not parsed.
std::vector<llama_token> Tokenize(const llama_model* model, std::string_view text,
                                  bool add_special);

// Decodes `tokens` in a fresh context and returns the logits of the last one.
// REQUIRES: tokens is not empty and shorter than 256.
std::vector<float> LastLogits(llama_model* model, const std::vector<llama_token>& tokens);

// One case of llama.cpp's tokenizer test files (models/ggml-vocab-*.gguf.inp
// and .out): a text and the ids the reference (Hugging Face) tokenizer gives
// without special tokens.
struct TokenizerCase {
  std::string text;
  std::vector<llama_token> ids;
};

// Reads `<vocab_gguf>.inp` and `.out` as llama.cpp's test-tokenizer-0 does.
// Returns no cases when the files are missing or do not pair up.
std::vector<TokenizerCase> ReadTokenizerCases(const std::filesystem::path& vocab_gguf);

}  // namespace llmcal::testing
