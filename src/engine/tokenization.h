// Tokenization of (context, continuation) pairs as lm-evaluation-harness does it.
//
// Convention (docs/engine.md, docs/fidelity.md): trailing whitespace of the
// context (Python's str.rstrip() set) moves to the front of the continuation;
// whole = tokenize(context + continuation), ctx = tokenize(context). The
// continuation is whole[len(ctx):] scored after ctx (TokenSplit::kLmEval), or
// whole past the longest common prefix of ctx and whole, scored after that
// prefix (TokenSplit::kCommonPrefix, the default); the two differ only when
// ctx is not a prefix of whole (a token merged across the boundary). The BOS
// token is prepended when SplitOptions::bos says so (engine_options.h decides).
// A prefix that would hold no token at all (an empty context without BOS) is
// the start token alone: BOS, or EOS when the model has no BOS, as the
// harness conditions an empty context on its prefix_token_id.
#pragma once

#include <llama.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine_options.h"
#include "engine/split_tokens.h"

namespace llmcal::engine {

// Text to token ids with one model's vocabulary. Does not own the vocabulary.
class Tokenizer {
 public:
  // REQUIRES: vocab outlives the Tokenizer.
  explicit Tokenizer(const llama_vocab* vocab);

  // Returns the ids of `text`, without special tokens; special-token text such
  // as "<s>" is tokenized as plain text.
  TokenIds Tokenize(std::string_view text) const;

  // The GGUF metadata asks for a BOS token (tokenizer.ggml.add_bos_token).
  bool adds_bos() const { return adds_bos_; }
  // The vocabulary has a BOS token; bos_token() is meaningful only then.
  bool has_bos_token() const { return bos_token_ != LLAMA_TOKEN_NULL; }
  std::int32_t bos_token() const { return bos_token_; }
  // The token an otherwise empty prefix is conditioned on: BOS, else EOS.
  std::int32_t start_token() const { return start_token_; }

 private:
  const llama_vocab* vocab_;
  bool adds_bos_;
  std::int32_t bos_token_;
  std::int32_t start_token_;
};

// The two conventions that change which tokens are scored after which.
struct SplitOptions {
  bool bos = false;  // prepend the BOS token (ModelInfo::bos); REQUIRES: the vocabulary has one
  TokenSplit split = TokenSplit::kCommonPrefix;
};

// Splits (context, continuation) into prefix and continuation tokens.
SplitTokens SplitContinuation(const Tokenizer& tokenizer, std::string_view context,
                              std::string_view continuation, const SplitOptions& options);

}  // namespace llmcal::engine
