#include "synthetic_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#include "common/error.h"
#include "ggml.h"
#include "gguf.h"
#include "gguf/gguf_file.h"
#include "model_catalog.h"
#include "seeded_normal.h"

namespace llmcal::synthetic {
namespace {

using gguf::GgmlPtr;
using gguf::GgufPtr;
using gguf::PartialFile;
using gguf::WriteGgufHeader;

// The standard deviation of the logits across the vocabulary: the final norm
// leaves a hidden state of RMS 1, so output rows drawn with standard deviation
// kLogitSpread / sqrt(n_embd) give logits of about this spread, i.e. per-token
// log-probs that are neither all alike nor dominated by one token.
constexpr double kLogitSpread = 2.5;
// Attention and MLP biases: small next to the projected activations (RMS ~1).
constexpr double kBiasStddev = 0.1;
// The gain of each block's output projection (attn_output, ffn_down). With
// tied embeddings (scaled by sqrt(n_embd) in Gemma) a hidden state dominated by
// the input embedding gives its own token a logit far above the rest, and the
// model predicts a repeat of its last token with near certainty. Blocks that
// write into the residual stream at RMS ~10 keep that token about one logit
// standard deviation above the others; pre-norm blocks do not mind the scale.
constexpr double kResidualGain = 16.0;

// One tensor of the model: its llama.cpp name, shape (ne1 == 0 for a vector)
// and how its values are drawn.
struct TensorPlan {
  std::string name;
  std::int64_t ne0;
  std::int64_t ne1;
  double stddev;  // 0: all ones (a norm scale)
};

std::vector<TensorPlan> PlanTensors(const ArchitectureTraits& arch, const PresetShape& shape,
                                    std::int64_t n_vocab) {
  const std::int64_t n_embd = shape.n_embd;
  const std::int64_t n_ff = shape.n_ff;
  const std::int64_t head_dim = shape.n_embd / shape.n_head;
  const std::int64_t n_q = head_dim * shape.n_head;
  const std::int64_t n_kv = head_dim * shape.n_head_kv;
  const double output_stddev = kLogitSpread / std::sqrt(static_cast<double>(n_embd));
  // A matrix multiplying x (length ne0) keeps unit-RMS activations at unit RMS.
  const auto matrix = [](std::string name, std::int64_t ne0, std::int64_t ne1, double gain = 1.0) {
    return TensorPlan{std::move(name), ne0, ne1, gain / std::sqrt(static_cast<double>(ne0))};
  };
  const bool norm_weights = arch.norm == NormKind::kRmsWithWeight;

  std::vector<TensorPlan> plan;
  // Tied embeddings double as the output projection, so they get its scale;
  // untied ones feed a norm first, where any scale will do.
  plan.push_back(
      {"token_embd.weight", n_embd, n_vocab, arch.tied_embeddings ? output_stddev : 1.0});
  if (norm_weights) {
    plan.push_back({"output_norm.weight", n_embd, 0, 0.0});
  }
  if (!arch.tied_embeddings) {
    plan.push_back({"output.weight", n_embd, n_vocab, output_stddev});
  }
  for (std::uint32_t i = 0; i < shape.n_layer; ++i) {
    const auto name = [i](std::string_view what) { return fmt::format("blk.{}.{}", i, what); };
    if (norm_weights) {
      plan.push_back({name("attn_norm.weight"), n_embd, 0, 0.0});
    }
    plan.push_back(matrix(name("attn_q.weight"), n_embd, n_q));
    plan.push_back(matrix(name("attn_k.weight"), n_embd, n_kv));
    plan.push_back(matrix(name("attn_v.weight"), n_embd, n_kv));
    if (arch.qkv_bias) {
      plan.push_back({name("attn_q.bias"), n_q, 0, kBiasStddev});
      plan.push_back({name("attn_k.bias"), n_kv, 0, kBiasStddev});
      plan.push_back({name("attn_v.bias"), n_kv, 0, kBiasStddev});
    }
    plan.push_back(matrix(name("attn_output.weight"), n_q, n_embd, kResidualGain));
    if (norm_weights) {
      plan.push_back({name("ffn_norm.weight"), n_embd, 0, 0.0});
    }
    plan.push_back(matrix(name("ffn_gate.weight"), n_embd, n_ff));
    plan.push_back(matrix(name("ffn_up.weight"), n_embd, n_ff));
    plan.push_back(matrix(name("ffn_down.weight"), n_ff, n_embd, kResidualGain));
  }
  return plan;
}

GgufPtr ReadVocabulary(const ArchitectureTraits& arch, const std::filesystem::path& vocab_dir) {
  if (!std::filesystem::is_directory(vocab_dir)) {
    throw InputError(
        fmt::format("vocabulary folder {} does not exist (it should be llama.cpp's models/ folder)",
                    vocab_dir.string()));
  }
  const std::filesystem::path file = vocab_dir / arch.vocab_file;
  if (!std::filesystem::is_regular_file(file)) {
    throw InputError(fmt::format("{}: vocabulary file for architecture '{}' not found",
                                 file.string(), arch.name));
  }
  gguf_init_params params{};
  params.no_alloc = true;
  params.ctx = nullptr;
  GgufPtr vocab(gguf_init_from_file(file.string().c_str(), params));
  if (!vocab) {
    throw InputError(fmt::format("{}: not a readable GGUF file", file.string()));
  }
  if (gguf_find_key(vocab.get(), "tokenizer.ggml.tokens") < 0) {
    throw InputError(fmt::format("{}: no tokenizer.ggml.tokens", file.string()));
  }
  return vocab;
}

// Returns a context holding only the vocabulary's tokenizer.* pairs.
GgufPtr TokenizerPairs(const gguf_context* vocab) {
  GgufPtr pairs(gguf_init_empty());
  gguf_set_kv(pairs.get(), vocab);
  for (std::int64_t i = gguf_get_n_kv(pairs.get()) - 1; i >= 0; --i) {
    const std::string key = gguf_get_key(pairs.get(), i);
    if (!key.starts_with("tokenizer.")) {
      gguf_remove_key(pairs.get(), key.c_str());
    }
  }
  return pairs;
}

void SetMetadata(gguf_context* ctx, const SyntheticModelSpec& spec, const ArchitectureTraits& arch,
                 const PresetShape& shape, const WeightType& type, const gguf_context* vocab,
                 std::uint32_t n_vocab) {
  const std::string a = arch.llama_arch;
  const auto key = [&a](std::string_view what) { return fmt::format("{}.{}", a, what); };
  gguf_set_val_str(ctx, "general.architecture", arch.llama_arch);
  gguf_set_val_str(
      ctx, "general.name",
      fmt::format("llmcal synthetic {} {} {} seed {}", spec.arch, spec.preset, spec.type, spec.seed)
          .c_str());
  gguf_set_val_u32(ctx, "general.file_type", type.file_type);
  gguf_set_val_u32(ctx, "general.quantization_version", GGML_QNT_VERSION);
  gguf_set_val_u32(ctx, key("vocab_size").c_str(), n_vocab);
  gguf_set_val_u32(ctx, key("context_length").c_str(), shape.n_ctx_train);
  gguf_set_val_u32(ctx, key("embedding_length").c_str(), shape.n_embd);
  gguf_set_val_u32(ctx, key("block_count").c_str(), shape.n_layer);
  gguf_set_val_u32(ctx, key("feed_forward_length").c_str(), shape.n_ff);
  gguf_set_val_u32(ctx, key("attention.head_count").c_str(), shape.n_head);
  gguf_set_val_u32(ctx, key("attention.head_count_kv").c_str(), shape.n_head_kv);
  gguf_set_val_u32(ctx, key("rope.dimension_count").c_str(), shape.n_embd / shape.n_head);
  gguf_set_val_f32(ctx, key("rope.freq_base").c_str(), arch.rope_freq_base);
  gguf_set_val_f32(ctx,
                   key(arch.norm == NormKind::kRmsWithWeight ? "attention.layer_norm_rms_epsilon"
                                                             : "attention.layer_norm_epsilon")
                       .c_str(),
                   arch.norm_epsilon);
  gguf_set_kv(ctx, TokenizerPairs(vocab).get());
  gguf_set_val_bool(ctx, "tokenizer.ggml.add_bos_token", arch.add_bos);
  if (arch.tokenizer_pre != nullptr) {
    gguf_set_val_str(ctx, "tokenizer.ggml.pre", arch.tokenizer_pre);
  }
}

// Returns the tensor's values in GGUF layout (ne0 fastest), stored as `type`.
std::vector<std::uint8_t> TensorBytes(const TensorPlan& t, ggml_type type, std::uint64_t seed) {
  const std::int64_t n_rows = std::max<std::int64_t>(t.ne1, 1);
  const std::int64_t n = t.ne0 * n_rows;
  std::vector<float> values(static_cast<std::size_t>(n), 1.0f);
  if (t.stddev > 0.0) {
    FillNormal(values, t.stddev, seed, t.name);
  }
  std::vector<std::uint8_t> bytes(ggml_row_size(type, t.ne0) * static_cast<std::size_t>(n_rows));
  switch (type) {
    case GGML_TYPE_F32:
      std::memcpy(bytes.data(), values.data(), bytes.size());
      break;
    case GGML_TYPE_F16:
      ggml_fp32_to_fp16_row(values.data(), reinterpret_cast<ggml_fp16_t*>(bytes.data()), n);
      break;
    default:
      ggml_quantize_chunk(type, values.data(), bytes.data(), 0, n_rows, t.ne0, nullptr);
      break;
  }
  return bytes;
}

std::vector<Choice> ChoicesOf(const auto& entries) {
  std::vector<Choice> choices;
  for (const auto& e : entries) {
    choices.push_back({e.name, e.description});
  }
  return choices;
}

}  // namespace

std::vector<Choice> Architectures() {
  return ChoicesOf(AllArchitectures());
}
std::vector<Choice> Presets() {
  return ChoicesOf(AllPresets());
}
std::vector<Choice> Types() {
  return ChoicesOf(AllWeightTypes());
}

std::string LlamaArchitectureOf(const std::string& arch) {
  return FindArchitecture(arch).llama_arch;
}

std::filesystem::path DefaultVocabDir() {
  return LLMCAL_DEFAULT_VOCAB_DIR;
}

void WriteSyntheticModel(const SyntheticModelSpec& spec, const std::filesystem::path& out,
                         const std::filesystem::path& vocab_dir) {
  const ArchitectureTraits& arch = FindArchitecture(spec.arch);
  const PresetShape& shape = FindPreset(spec.preset);
  const WeightType& type = FindWeightType(spec.type);
  const GgufPtr vocab = ReadVocabulary(arch, vocab_dir);
  const auto n_vocab = static_cast<std::uint32_t>(
      gguf_get_arr_n(vocab.get(), gguf_find_key(vocab.get(), "tokenizer.ggml.tokens")));

  const std::vector<TensorPlan> plan = PlanTensors(arch, shape, n_vocab);
  GgufPtr gguf(gguf_init_empty());
  SetMetadata(gguf.get(), spec, arch, shape, type, vocab.get(), n_vocab);

  // Tensor descriptions only: the data is generated and written one tensor at
  // a time, so memory stays at one tensor even for the large presets.
  ggml_init_params params{};
  params.mem_size = ggml_tensor_overhead() * plan.size();
  params.no_alloc = true;
  GgmlPtr meta(ggml_init(params));
  std::vector<ggml_type> types;
  for (const TensorPlan& t : plan) {
    const ggml_type tensor_type = t.ne1 == 0 ? GGML_TYPE_F32 : type.matrix_type;
    if (t.ne0 % ggml_blck_size(tensor_type) != 0) {
      throw EngineError(fmt::format("{}: row length {} is not a multiple of {}'s block size {}",
                                    t.name, t.ne0, type.name, ggml_blck_size(tensor_type)));
    }
    ggml_tensor* tensor = t.ne1 == 0 ? ggml_new_tensor_1d(meta.get(), tensor_type, t.ne0)
                                     : ggml_new_tensor_2d(meta.get(), tensor_type, t.ne0, t.ne1);
    ggml_set_name(tensor, t.name.c_str());
    gguf_add_tensor(gguf.get(), tensor);
    types.push_back(tensor_type);
  }

  PartialFile file(out);
  WriteGgufHeader(gguf.get(), file);
  const std::size_t alignment = gguf_get_alignment(gguf.get());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const std::vector<std::uint8_t> bytes = TensorBytes(plan[i], types[i], spec.seed);
    file.Write(bytes.data(), bytes.size());
    file.Pad(bytes.size(), alignment);
  }
  file.Commit();
}

}  // namespace llmcal::synthetic
