#include "engine/tokenization.h"

#include <algorithm>
#include <climits>
#include <string>

#include "common/error.h"
#include "common/unicode_text.h"

namespace llmcal::engine {

Tokenizer::Tokenizer(const llama_vocab* vocab)
    : vocab_(vocab),
      adds_bos_(llama_vocab_get_add_bos(vocab)),
      bos_token_(llama_vocab_bos(vocab)),
      start_token_(bos_token_ != LLAMA_TOKEN_NULL ? bos_token_ : llama_vocab_eos(vocab)) {}

TokenIds Tokenizer::Tokenize(std::string_view text) const {
  if (text.size() > static_cast<size_t>(INT_MAX / 2)) {
    throw InputError("text of " + std::to_string(text.size()) + " bytes is too long to tokenize");
  }
  const auto len = static_cast<std::int32_t>(text.size());
  TokenIds ids(text.size() + 2);
  std::int32_t n = llama_tokenize(vocab_, text.data(), len, ids.data(),
                                  static_cast<std::int32_t>(ids.size()), false, false);
  if (n < 0) {
    ids.resize(static_cast<size_t>(-n));
    n = llama_tokenize(vocab_, text.data(), len, ids.data(), static_cast<std::int32_t>(ids.size()),
                       false, false);
  }
  if (n < 0)
    throw EngineError("llama_tokenize failed");
  ids.resize(static_cast<size_t>(n));
  return ids;
}

SplitTokens SplitContinuation(const Tokenizer& tokenizer, std::string_view context,
                              std::string_view continuation, const SplitOptions& options) {
  // Moving the context's trailing whitespace to the continuation changes
  // where the context ends, not the whole text.
  const TokenIds ctx = tokenizer.Tokenize(PyRStrip(context));
  const TokenIds whole = tokenizer.Tokenize(std::string(context) + std::string(continuation));
  const std::size_t common =
      std::mismatch(ctx.begin(), ctx.end(), whole.begin(), whole.end()).first - ctx.begin();

  SplitTokens split;
  split.context_not_prefix = common < ctx.size();
  const std::size_t cut = options.split == TokenSplit::kLmEval ? ctx.size() : common;
  split.prefix.assign(ctx.begin(), ctx.begin() + static_cast<std::ptrdiff_t>(cut));
  if (options.bos)
    split.prefix.insert(split.prefix.begin(), tokenizer.bos_token());
  if (split.prefix.empty())
    split.prefix.push_back(tokenizer.start_token());
  if (cut < whole.size())
    split.continuation.assign(whole.begin() + static_cast<std::ptrdiff_t>(cut), whole.end());
  return split;
}

}  // namespace llmcal::engine
