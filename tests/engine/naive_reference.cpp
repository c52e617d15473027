#include "naive_reference.h"

#include <gtest/gtest.h>
#include <llama.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/llama_handles.h"
#include "engine/llama_runtime.h"
#include "engine/tokenization.h"

namespace llmcal::testing {

namespace {

NaiveScore ScoreAlone(llama_model* model, llama_context* ctx, const engine::SplitTokens& split,
                      int window) {
  std::vector<llama_token> input = split.prefix;
  input.insert(input.end(), split.continuation.begin(), split.continuation.end() - 1);
  std::size_t first = split.prefix.size() - 1;  // row predicting the first continuation token
  if (input.size() > static_cast<std::size_t>(window)) {
    const std::size_t cut = input.size() - static_cast<std::size_t>(window);
    input.erase(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(cut));
    first -= cut;
  }
  if (input.size() > llama_n_ctx(ctx))
    throw std::runtime_error("naive reference: input too long");
  llama_memory_clear(llama_get_memory(ctx), true);  // a fresh sequence every time
  llama_batch batch = llama_batch_init(static_cast<std::int32_t>(input.size()), 0, 1);
  for (std::size_t i = 0; i < input.size(); ++i) {
    batch.token[i] = input[i];
    batch.pos[i] = static_cast<llama_pos>(i);
    batch.n_seq_id[i] = 1;
    batch.seq_id[i][0] = 0;
    batch.logits[i] = 1;
  }
  batch.n_tokens = static_cast<std::int32_t>(input.size());
  const int rc = llama_decode(ctx, batch);
  llama_batch_free(batch);
  if (rc != 0)
    throw std::runtime_error("naive reference: decode failed");

  const int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
  NaiveScore score;
  score.tokens = split.continuation;
  for (std::size_t j = 0; j < split.continuation.size(); ++j) {
    const float* row = llama_get_logits_ith(ctx, static_cast<std::int32_t>(first + j));
    double max = row[0];
    int argmax = 0;
    for (int v = 1; v < n_vocab; ++v) {
      if (row[v] > max) {
        max = row[v];
        argmax = v;
      }
    }
    double sum = 0;
    for (int v = 0; v < n_vocab; ++v)
      sum += std::exp(static_cast<double>(row[v]) - max);
    const std::int32_t target = split.continuation[j];
    score.logprobs.push_back(static_cast<double>(row[target]) - max - std::log(sum));
    score.is_greedy = score.is_greedy && argmax == target;
  }
  return score;
}

}  // namespace

struct NaiveScorer::Model {
  engine::LlamaModelPtr model;
  engine::LlamaContextPtr context;
};

NaiveScorer::NaiveScorer(const std::string& model_path, int window,
                         std::optional<engine::SplitOptions> split)
    : model_(std::make_unique<Model>()), window_(window) {
  engine::InitLlamaRuntime(false);
  model_->model.reset(llama_model_load_from_file(model_path.c_str(), llama_model_default_params()));
  if (!model_->model)
    throw std::runtime_error("naive reference: cannot load " + model_path);
  if (window_ <= 0)
    window_ = llama_model_n_ctx_train(model_->model.get());
  split_ = split.value_or(
      engine::SplitOptions{llama_vocab_get_add_bos(llama_model_get_vocab(model_->model.get()))});
  llama_context_params params = llama_context_default_params();
  params.n_ctx = static_cast<std::uint32_t>(window_);
  params.n_batch = params.n_ctx;
  params.n_ubatch = params.n_ctx;
  params.n_threads = 2;
  params.n_threads_batch = 2;
  // Full-precision KV memory: the reference is the most exact evaluation.
  params.type_k = GGML_TYPE_F32;
  params.type_v = GGML_TYPE_F32;
  // Flash attention on CPU works partly in F16 and moves log-probs by up to
  // 2e-2 on the test models; plain attention in F32 is the exact reference.
  params.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
  model_->context.reset(llama_init_from_model(model_->model.get(), params));
  if (!model_->context)
    throw std::runtime_error("naive reference: no context");
}

NaiveScorer::~NaiveScorer() = default;

std::vector<NaiveScore> NaiveScorer::Score(const engine::ScoreRequest& request) const {
  llama_model* model = model_->model.get();
  const engine::Tokenizer tokenizer(llama_model_get_vocab(model));
  std::vector<NaiveScore> scores;
  for (const auto& continuation : request.continuations) {
    const auto split = engine::SplitContinuation(tokenizer, request.context, continuation, split_);
    if (split.continuation.empty())
      throw std::runtime_error("naive reference: empty continuation");
    if (split.continuation.size() >= static_cast<std::size_t>(window_))
      return {};
    scores.push_back(ScoreAlone(model, model_->context.get(), split, window_));
  }
  return scores;
}

void ExpectSameScores(const engine::ScoreRequest& request, const engine::RequestScore& batched,
                      const std::vector<NaiveScore>& naive, double tolerance) {
  if (naive.empty()) {  // a continuation as long as the window: an error for this item alone
    EXPECT_FALSE(batched.ok());
    EXPECT_NE(batched.error.find("window"), std::string::npos) << batched.error;
    return;
  }
  ASSERT_TRUE(batched.ok()) << batched.error;
  ASSERT_EQ(batched.continuations.size(), naive.size());
  for (std::size_t k = 0; k < naive.size(); ++k) {
    const auto& b = batched.continuations[k];
    SCOPED_TRACE("continuation " + std::to_string(k) + ": '" + request.continuations[k] + "'");
    ASSERT_EQ(b.tokens, naive[k].tokens);
    ASSERT_EQ(b.logprobs.size(), naive[k].logprobs.size());
    double sum = 0, min = 0;
    for (std::size_t j = 0; j < b.logprobs.size(); ++j) {
      EXPECT_NEAR(b.logprobs[j], naive[k].logprobs[j], tolerance) << "token " << j;
      sum += naive[k].logprobs[j];
      min = j == 0 ? naive[k].logprobs[j] : std::min(min, naive[k].logprobs[j]);
    }
    EXPECT_NEAR(b.sum, sum, tolerance * static_cast<double>(b.logprobs.size()));
    EXPECT_NEAR(b.min, min, tolerance);
    EXPECT_EQ(b.n_bytes, static_cast<std::int64_t>(request.continuations[k].size()));
    EXPECT_EQ(b.is_greedy, naive[k].is_greedy);
  }
}

}  // namespace llmcal::testing
