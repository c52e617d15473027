#include "engine/tokenization.h"

#include <algorithm>
#include <climits>
#include <string>

#include "common/error.h"

namespace llmcal::engine {

Tokenizer::Tokenizer(const llama_vocab* vocab)
    : vocab_(vocab), adds_bos_(llama_vocab_get_add_bos(vocab)) {
  const llama_token bos = llama_vocab_bos(vocab);
  start_token_ = bos != LLAMA_TOKEN_NULL ? bos : llama_vocab_eos(vocab);
}

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

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

SplitTokens SplitContinuation(const Tokenizer& tokenizer, std::string_view context,
                              std::string_view continuation) {
  size_t ctx_end = context.size();
  while (ctx_end > 0 && IsSpace(context[ctx_end - 1]))
    --ctx_end;
  const std::string moved_continuation =
      std::string(context.substr(ctx_end)) + std::string(continuation);
  context = context.substr(0, ctx_end);

  const TokenIds ctx = tokenizer.Tokenize(context);
  const TokenIds whole = tokenizer.Tokenize(std::string(context) + moved_continuation);
  const size_t common =
      std::mismatch(ctx.begin(), ctx.end(), whole.begin(), whole.end()).first - ctx.begin();

  SplitTokens split;
  if (tokenizer.adds_bos() || common == 0)
    split.prefix.push_back(tokenizer.start_token());
  split.prefix.insert(split.prefix.end(), whole.begin(), whole.begin() + common);
  split.continuation.assign(whole.begin() + common, whole.end());
  return split;
}

}  // namespace llmcal::engine
