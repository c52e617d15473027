// Settings of the llama.cpp engine: where the model is, how to run it, and
// the two tokenization conventions that change scores (BOS and token split).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/name_table.h"

namespace llmcal::engine {

// Whether a BOS token is prepended to every context (docs/fidelity.md).
enum class BosMode {
  kAuto,      // as the GGUF metadata says (lm-evaluation-harness since v0.4.9.2)
  kOn,        // always
  kOff,       // never (an empty context is still conditioned on BOS or EOS)
  kLmEval04,  // lm-evaluation-harness v0.4.2-v0.4.9: off, except on for Gemma models
};

// Where the continuation's tokens start when tokenize(context) is not a
// prefix of tokenize(context + continuation) (docs/engine.md).
enum class TokenSplit {
  kCommonPrefix,  // after the longest common prefix: merged tokens are scored
  kLmEval,        // lm-evaluation-harness exactly: whole[len(ctx):] scored after ctx
};

// The one table of each enum's names (common/name_table.h): --bos, --split,
// the study file's keys and the store's provenance all spell them so.
inline constexpr NamedValue<BosMode> kBosModeNames[] = {{BosMode::kAuto, "auto"},
                                                        {BosMode::kOn, "on"},
                                                        {BosMode::kOff, "off"},
                                                        {BosMode::kLmEval04, "lm-eval-0.4"}};
inline constexpr NamedValue<TokenSplit> kTokenSplitNames[] = {
    {TokenSplit::kCommonPrefix, "common-prefix"}, {TokenSplit::kLmEval, "lm-eval"}};
inline constexpr auto kAllBosModes = ValuesOf(kBosModeNames);
inline constexpr auto kAllTokenSplits = ValuesOf(kTokenSplitNames);

// The values EngineOptions::flash_attention takes: on, off, or auto (= on
// when layers run on a GPU).
inline constexpr std::string_view kFlashAttentionModes[] = {"on", "off", "auto"};

// Returns the name of `mode` ("auto", "on", "off" or "lm-eval-0.4").
inline std::string_view BosModeName(BosMode mode) {
  return NameIn(kBosModeNames, mode);
}
// Returns the name of `split` ("common-prefix" or "lm-eval").
inline std::string_view TokenSplitName(TokenSplit split) {
  return NameIn(kTokenSplitNames, split);
}
// Return the value named `name` (as the tables spell it), or nullopt.
inline std::optional<BosMode> ParseBosMode(std::string_view name) {
  return ValueIn(kBosModeNames, name);
}
inline std::optional<TokenSplit> ParseTokenSplit(std::string_view name) {
  return ValueIn(kTokenSplitNames, name);
}

// Returns whether every context gets a BOS token under `mode`, for a model
// whose GGUF metadata says `adds_bos` (tokenizer.ggml.add_bos_token) and whose
// general.architecture is `architecture`. lm-eval-0.4 is on exactly when the
// architecture contains "gemma" (gemma, gemma2, gemma3, ...), as
// lm-evaluation-harness v0.4.4-v0.4.9 test the Hugging Face model type.
// Throws InputError when the answer is yes but the vocabulary has no BOS
// token (`has_bos_token` false): the request cannot be honoured.
bool DecideBos(BosMode mode, bool adds_bos, std::string_view architecture, bool has_bos_token);

// The words of EngineOptions::prefix_cache.
inline constexpr NamedValue<bool> kPrefixCacheNames[] = {{true, "on"}, {false, "off"}};

struct EngineOptions {
  std::string model_path;
  int threads = 0;       // 0 = all hardware threads
  int workers = 0;       // contexts decoding in parallel; 0 = auto (see llama_scorer.h)
  int batch_size = 0;    // tokens packed into one decode; 0 = auto (see llama_scorer.h)
  int context_size = 0;  // the window contexts are cut to; 0 = the model's training window
  int gpu_layers = -1;   // layers offloaded to GPU/RPC devices; -1 = all that fit the device
  std::vector<std::string> rpc_servers;  // host:port of llama.cpp rpc-server instances
  std::string flash_attention = "auto";  // on | off | auto (= on when offloading to a GPU)
  BosMode bos = BosMode::kAuto;
  TokenSplit split = TokenSplit::kCommonPrefix;
  // Evaluate the tokens consecutive items share once and keep them in the KV
  // memory (docs/engine.md); scores equal those without, to float tolerance.
  bool prefix_cache = true;
  bool verbose = false;  // pass llama.cpp's own log through
};

}  // namespace llmcal::engine
