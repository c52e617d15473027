#include "llama_test_helpers.h"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace llmcal::testing {

LlamaModelPtr LoadModel(const std::filesystem::path& path) {
  engine::InitLlamaRuntime(false);
  llama_model_params params = llama_model_default_params();
  params.n_gpu_layers = 0;
  return LlamaModelPtr(llama_model_load_from_file(path.string().c_str(), params));
}

std::vector<llama_token> Tokenize(const llama_model* model, std::string_view text,
                                  bool add_special) {
  const llama_vocab* vocab = llama_model_get_vocab(model);
  std::vector<llama_token> ids(text.size() + 8);
  const auto n = llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), ids.data(),
                                static_cast<int32_t>(ids.size()), add_special, false);
  if (n < 0) {
    throw std::runtime_error("llama_tokenize: buffer too small");
  }
  ids.resize(static_cast<std::size_t>(n));
  return ids;
}

std::vector<float> LastLogits(llama_model* model, const std::vector<llama_token>& tokens) {
  llama_context_params params = llama_context_default_params();
  params.n_ctx = 256;
  params.n_batch = 256;
  params.n_threads = 2;
  params.n_threads_batch = 2;
  engine::LlamaContextPtr ctx(llama_init_from_model(model, params));
  if (!ctx) {
    throw std::runtime_error("llama_init_from_model failed");
  }
  std::vector<llama_token> input = tokens;
  if (llama_decode(ctx.get(),
                   llama_batch_get_one(input.data(), static_cast<int32_t>(input.size()))) != 0) {
    throw std::runtime_error("llama_decode failed");
  }
  const float* logits = llama_get_logits_ith(ctx.get(), -1);
  const int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
  return std::vector<float>(logits, logits + n_vocab);
}

std::vector<TokenizerCase> ReadTokenizerCases(const std::filesystem::path& vocab_gguf) {
  std::ifstream inp(vocab_gguf.string() + ".inp", std::ios::binary);
  std::ifstream out(vocab_gguf.string() + ".out");
  if (!inp || !out) {
    return {};
  }
  const std::string raw((std::istreambuf_iterator<char>(inp)), std::istreambuf_iterator<char>());
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<std::string> texts;
  for (std::size_t pos = 0; pos < raw.size();) {
    const std::size_t next = raw.find(sep, pos);
    if (next == std::string::npos) {
      texts.push_back(raw.substr(pos));
      break;
    }
    texts.push_back(raw.substr(pos, next - pos));
    pos = next + sep.size();
  }
  std::vector<TokenizerCase> cases;
  std::string line;
  for (const std::string& text : texts) {
    if (!std::getline(out, line)) {
      return {};
    }
    TokenizerCase c{text, {}};
    std::istringstream ids(line);
    for (llama_token id = 0; ids >> id;) {
      c.ids.push_back(id);
    }
    cases.push_back(std::move(c));
  }
  return std::getline(out, line) ? std::vector<TokenizerCase>{} : cases;
}

}  // namespace llmcal::testing
