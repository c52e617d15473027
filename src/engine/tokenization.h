// Tokenization of (context, continuation) pairs as lm-evaluation-harness does it.
//
// Convention (DESIGN.md, "Scoring convention"): trailing whitespace of the
// context moves to the front of the continuation; whole = tokenize(context +
// continuation), ctx = tokenize(context); the continuation is whole[len(ctx):],
// or, when ctx is not a prefix of whole, whole past their longest common
// prefix. BOS is prepended exactly when the model's metadata asks for it. An
// empty context is conditioned on BOS (or EOS when the model has no BOS).
#pragma once

#include <llama.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmcal::engine {

using TokenIds = std::vector<std::int32_t>;

// Text to token ids with one model's vocabulary. Does not own the vocabulary.
class Tokenizer {
 public:
  // REQUIRES: vocab outlives the Tokenizer.
  explicit Tokenizer(const llama_vocab* vocab);

  // Returns the ids of `text`, without special tokens; special-token text such
  // as "<s>" is tokenized as plain text.
  TokenIds Tokenize(std::string_view text) const;

  bool adds_bos() const { return adds_bos_; }
  // The token an empty context is conditioned on: BOS, else EOS.
  std::int32_t start_token() const { return start_token_; }

 private:
  const llama_vocab* vocab_;
  bool adds_bos_;
  std::int32_t start_token_;
};

// One continuation, tokenized: the model reads `prefix` then predicts
// `continuation` token by token.
struct SplitTokens {
  TokenIds prefix;        // [BOS] + context tokens (possibly fewer; see above)
  TokenIds continuation;  // may be empty: the caller reports that as an error
};

// Splits (context, continuation) into prefix and continuation tokens.
SplitTokens SplitContinuation(const Tokenizer& tokenizer, std::string_view context,
                              std::string_view continuation);

}  // namespace llmcal::engine
