// Logit-scaled copies of real GGUF models: the same network with its output
// logits multiplied by a constant A, i.e. the original model's next-token
// distribution at temperature 1/A (A = 2: every distribution sharpened, the
// order of the tokens kept). The study's demo uses such a copy as a
// controlled stand-in for alignment-induced overconfidence.
//
//   WriteLogitScaledCopy("stories260K.gguf", "stories260K-x2.gguf", 2.0);
//
// How the logits are scaled depends on how llama.cpp (the pinned v0.5.0)
// computes them for the model's architecture (docs/make_model.md):
//  - llama, qwen2, olmo: logits = output.weight x h (+ output.bias). Both are
//    multiplied by A. A model that ties its output to the token embedding
//    (no output.weight) gets an explicit output.weight = A x token_embd.weight,
//    which llama.cpp then uses instead of the embedding.
//  - gemma: llama.cpp always uses token_embd.weight as the output projection
//    (an extra output.weight is refused at load), so the final norm's scale
//    output_norm.weight, which multiplies h just before it, is multiplied by A.
//  - any other architecture is refused: it was not checked, and some apply a
//    logit scale or a final soft-capping tanh(z / c) * c (Gemma 2 and 3,
//    Command-R, Granite, ...) after which scaling weights does not scale the
//    logits.
// Every other tensor, and every metadata value, is copied byte for byte;
// general.name and general.description say that the file is a scaled copy
// and llmcal.logit_scale records A (times the input's own llmcal.logit_scale
// when it already is a scaled copy). Scaled tensors keep their type: F32,
// F16 and Q8_0 (tensor_scale.h: exact for powers of two); others are refused.
//
// Memory: one tensor at a time. The caller owns both files.
#pragma once

#include <filesystem>
#include <string>

namespace llmcal::gguf {

// The metadata key holding the scale.
inline constexpr char kLogitScaleKey[] = "llmcal.logit_scale";

// Writes to `out` a copy of the GGUF model `in` whose logits are `scale`
// times the original's. The file appears complete or not at all: it is
// written beside `out` under a temporary name and then renamed.
// Throws InputError, naming the file and the key or tensor, when `scale` is
// not finite and > 0; `in` is missing, not a GGUF file or truncated; its
// architecture is missing or not one of the above, or applies a logit scale or
// soft-capping; it has no tensor to scale; a tensor to scale has another type
// or would overflow; `out` is `in` or cannot be written.
void WriteLogitScaledCopy(const std::filesystem::path& in, const std::filesystem::path& out,
                          double scale);

// Returns the architectures WriteLogitScaledCopy accepts, e.g. "gemma, llama, olmo, qwen2".
std::string LogitScaleArchitectures();

}  // namespace llmcal::gguf
