// Token ids and one continuation's tokens after the context/continuation
// split: plain data shared by the tokenizer (tokenization.h, which fills it
// with llama.cpp) and the decode plan (score_plan.h, which knows nothing of
// llama.cpp). Values are owned by whoever holds them.
#pragma once

#include <cstdint>
#include <vector>

namespace llmcal::engine {

using TokenIds = std::vector<std::int32_t>;

// One continuation, tokenized: the model reads `prefix` then predicts
// `continuation` token by token.
struct SplitTokens {
  TokenIds prefix;        // [BOS] + context tokens (tokenization.h), never empty
  TokenIds continuation;  // may be empty: the caller reports that as an error
  // tokenize(context) is not a prefix of tokenize(context + continuation):
  // a token merged across the boundary, where the two splits differ.
  bool context_not_prefix = false;
};

}  // namespace llmcal::engine
