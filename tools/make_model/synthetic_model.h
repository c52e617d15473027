// Synthetic test models: random-weight GGUF files with real tokenizers.
//
// WriteSyntheticModel() writes a complete llama.cpp model (metadata, tokenizer
// and weights) for one of a few architectures, filled with seeded random
// weights. The tokenizer is copied from the vocabulary files that ship with
// llama.cpp (models/ggml-vocab-*.gguf), so tokenization is exactly that of the
// real model family. The same spec always gives a byte-identical file on the
// same platform (weights come from std::mt19937_64 and a fixed transform, not
// from implementation-defined distributions), so tests can depend on it.
//
// The caller owns the output file; nothing else is kept.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace llmcal::synthetic {

struct SyntheticModelSpec {
  std::string arch = "llama-spm";  // one of Architectures()
  std::string preset = "tiny";     // one of Presets()
  std::string type = "f32";        // one of Types()
  std::uint64_t seed = 0;
};

// One choice of a spec field, with a line saying what it is (for --list).
struct Choice {
  std::string name;
  std::string description;
};

// Returns the valid values of SyntheticModelSpec::arch, ::preset and ::type.
std::vector<Choice> Architectures();
std::vector<Choice> Presets();
std::vector<Choice> Types();

// Returns the llama.cpp architecture name that `arch` generates ("llama-bpe"
// -> "llama"), i.e. the model's general.architecture.
// Throws InputError when `arch` is not one of Architectures().
std::string LlamaArchitectureOf(const std::string& arch);

// Writes the model described by `spec` to `out`, reading the tokenizer from
// `vocab_dir` (a llama.cpp models/ folder). The file appears complete or not
// at all: it is written beside `out` under a temporary name and then renamed.
// Throws InputError for an unknown arch, preset or type, a missing or
// unreadable vocabulary file, or an output path that cannot be written;
// EngineError when a shape does not suit the requested type.
void WriteSyntheticModel(const SyntheticModelSpec& spec, const std::filesystem::path& out,
                         const std::filesystem::path& vocab_dir);

// Returns the llama.cpp models/ folder this build uses (the default vocab_dir).
std::filesystem::path DefaultVocabDir();

}  // namespace llmcal::synthetic
