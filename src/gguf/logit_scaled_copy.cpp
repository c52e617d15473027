#include "gguf/logit_scaled_copy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "ggml.h"
#include "gguf.h"
#include "gguf/gguf_file.h"
#include "gguf/tensor_scale.h"

namespace llmcal::gguf {
namespace {

constexpr char kOutput[] = "output.weight";
constexpr char kOutputBias[] = "output.bias";
constexpr char kTokenEmbedding[] = "token_embd.weight";
constexpr char kOutputNorm[] = "output_norm.weight";

// Where the logits' scale can be changed by a weight (logit_scaled_copy.h).
enum class ScaleSite {
  kOutputProjection,  // output.weight (and output.bias), made explicit when tied
  kFinalNorm,         // output_norm.weight, the last factor before the tied projection
};

struct ArchitectureRule {
  const char* architecture;  // general.architecture
  ScaleSite site;
};

// The architectures whose logit computation in the pinned llama.cpp
// (src/models/<arch>.cpp) was read: logits = output x (norm(h) * output_norm)
// (+ output.bias), nothing after it.
constexpr ArchitectureRule kRules[] = {
    {"gemma", ScaleSite::kFinalNorm},
    {"llama", ScaleSite::kOutputProjection},
    {"olmo", ScaleSite::kOutputProjection},
    {"qwen2", ScaleSite::kOutputProjection},
};

// The input model: its metadata and tensor descriptions (no data).
struct SourceModel {
  std::filesystem::path path;
  GgufPtr gguf;
  GgmlPtr tensors;
  std::string architecture;
};

// What the copy changes.
struct ScalePlan {
  std::vector<std::string> scaled;  // source tensors multiplied in place
  bool add_output = false;          // append output.weight = scale x token_embd.weight
  std::string site;                 // the weight that carries the scale, for the description
};

void CheckScale(double scale) {
  if (!std::isfinite(scale) || scale <= 0) {
    throw InputError(fmt::format("logit scale must be a finite number > 0 (got {})", scale));
  }
}

std::string StringValue(const gguf_context* gguf, const char* key) {
  const std::int64_t id = gguf_find_key(gguf, key);
  if (id < 0 || gguf_get_kv_type(gguf, id) != GGUF_TYPE_STRING) {
    return "";
  }
  return gguf_get_val_str(gguf, id);
}

// Throws when a tensor's data would lie beyond the end of the file.
void CheckNotTruncated(const SourceModel& source) {
  const std::uintmax_t file_size = std::filesystem::file_size(source.path);
  const gguf_context* gguf = source.gguf.get();
  for (std::int64_t i = 0; i < gguf_get_n_tensors(gguf); ++i) {
    const std::uintmax_t end = gguf_get_data_offset(gguf) + gguf_get_tensor_offset(gguf, i) +
                               gguf_get_tensor_size(gguf, i);
    if (end > file_size) {
      throw InputError(fmt::format("{}: truncated: tensor '{}' ends at byte {}, the file has {}",
                                   source.path.string(), gguf_get_tensor_name(gguf, i), end,
                                   file_size));
    }
  }
}

SourceModel OpenSource(const std::filesystem::path& in) {
  if (!std::filesystem::is_regular_file(in)) {
    throw InputError(fmt::format("{}: no such file", in.string()));
  }
  ggml_context* tensors = nullptr;
  gguf_init_params params{};
  params.no_alloc = true;
  params.ctx = &tensors;
  SourceModel source{in, GgufPtr(gguf_init_from_file(in.string().c_str(), params)),
                     GgmlPtr(tensors), ""};
  if (!source.gguf) {
    throw InputError(fmt::format("{}: not a readable GGUF file", in.string()));
  }
  source.architecture = StringValue(source.gguf.get(), "general.architecture");
  if (source.architecture.empty()) {
    throw InputError(fmt::format("{}: key 'general.architecture': missing", in.string()));
  }
  CheckNotTruncated(source);
  return source;
}

// Throws when the metadata asks llama.cpp to transform the logits after the
// output projection.
void RefuseLogitTransforms(const SourceModel& source) {
  for (const char* what : {"final_logit_softcapping", "logit_scale"}) {
    const std::string key = fmt::format("{}.{}", source.architecture, what);
    if (gguf_find_key(source.gguf.get(), key.c_str()) >= 0) {
      throw InputError(fmt::format(
          "{}: key '{}': the model transforms its logits after the output projection, so "
          "scaling weights would not scale the logits",
          source.path.string(), key));
    }
  }
}

ScaleSite FindSite(const SourceModel& source) {
  for (const ArchitectureRule& rule : kRules) {
    if (source.architecture == rule.architecture) {
      return rule.site;
    }
  }
  throw InputError(fmt::format(
      "{}: key 'general.architecture': '{}' is not supported for a logit-scaled copy (supported: "
      "{})",
      source.path.string(), source.architecture, LogitScaleArchitectures()));
}

// Returns the tensor's id; throws naming it when the model lacks it.
std::int64_t RequireTensor(const SourceModel& source, const char* name) {
  const std::int64_t id = gguf_find_tensor(source.gguf.get(), name);
  if (id < 0) {
    throw InputError(
        fmt::format("{}: tensor '{}': missing ({} models keep their logit scale there)",
                    source.path.string(), name, source.architecture));
  }
  return id;
}

void RequireScalableType(const SourceModel& source, std::int64_t id) {
  const ggml_type type = gguf_get_tensor_type(source.gguf.get(), id);
  if (!IsScalableType(type)) {
    throw InputError(fmt::format("{}: tensor '{}' is {}; a logit-scaled copy supports {}",
                                 source.path.string(), gguf_get_tensor_name(source.gguf.get(), id),
                                 ggml_type_name(type), ScalableTypeNames()));
  }
}

ScalePlan PlanOutputProjection(const SourceModel& source) {
  ScalePlan plan;
  const gguf_context* gguf = source.gguf.get();
  if (const std::int64_t output = gguf_find_tensor(gguf, kOutput); output >= 0) {
    RequireScalableType(source, output);
    plan.scaled.push_back(kOutput);
    plan.site = kOutput;
  } else {
    RequireScalableType(source, RequireTensor(source, kTokenEmbedding));
    plan.add_output = true;
    plan.site = fmt::format("{} (new, from {})", kOutput, kTokenEmbedding);
  }
  if (const std::int64_t bias = gguf_find_tensor(gguf, kOutputBias); bias >= 0) {
    RequireScalableType(source, bias);
    plan.scaled.push_back(kOutputBias);
  }
  return plan;
}

ScalePlan PlanScaling(const SourceModel& source) {
  RefuseLogitTransforms(source);
  if (FindSite(source) == ScaleSite::kOutputProjection) {
    return PlanOutputProjection(source);
  }
  RequireScalableType(source, RequireTensor(source, kOutputNorm));
  return {{kOutputNorm}, false, kOutputNorm};
}

// Records the scale (cumulative over copies of copies) and says in the name
// and description what the file is.
void SetProvenance(gguf_context* target, const SourceModel& source, const ScalePlan& plan,
                   double scale) {
  const gguf_context* gguf = source.gguf.get();
  double total = scale;
  if (const std::int64_t id = gguf_find_key(gguf, kLogitScaleKey);
      id >= 0 && gguf_get_kv_type(gguf, id) == GGUF_TYPE_FLOAT64) {
    total *= gguf_get_val_f64(gguf, id);
  }
  gguf_set_val_f64(target, kLogitScaleKey, total);
  std::string name = StringValue(gguf, "general.name");
  if (name.empty()) {
    name = source.path.stem().string();
  }
  gguf_set_val_str(target, "general.name", fmt::format("{} (logits x{:g})", name, scale).c_str());
  gguf_set_val_str(target, "general.description",
                   fmt::format("llmcal logit-scaled copy of {}: its output logits times {:g}, i.e. "
                               "the original at temperature {:g} ({} scaled, all else unchanged)",
                               source.path.filename().string(), scale, 1.0 / scale, plan.site)
                       .c_str());
}

// Returns the copy's metadata and tensor descriptions: the source's own (read
// again, so that its alignment, which ggml's writer takes from the reader and
// not from the key, stays as it was), then output.weight when the plan adds it.
GgufPtr TargetLayout(const SourceModel& source, const ScalePlan& plan, double scale) {
  gguf_init_params params{};
  params.no_alloc = true;
  GgufPtr target(gguf_init_from_file(source.path.string().c_str(), params));
  if (!target) {
    throw InputError(fmt::format("{}: not a readable GGUF file", source.path.string()));
  }
  SetProvenance(target.get(), source, plan, scale);
  if (plan.add_output) {
    ggml_init_params tensor_params{};
    tensor_params.mem_size = ggml_tensor_overhead();
    tensor_params.no_alloc = true;
    const GgmlPtr extra(ggml_init(tensor_params));
    ggml_tensor* output =
        ggml_dup_tensor(extra.get(), ggml_get_tensor(source.tensors.get(), kTokenEmbedding));
    ggml_set_name(output, kOutput);
    gguf_add_tensor(target.get(), output);  // copies the description
  }
  return target;
}

std::vector<std::uint8_t> ReadTensor(std::ifstream& file, const SourceModel& source,
                                     std::int64_t id) {
  const gguf_context* gguf = source.gguf.get();
  std::vector<std::uint8_t> bytes(gguf_get_tensor_size(gguf, id));
  file.seekg(
      static_cast<std::streamoff>(gguf_get_data_offset(gguf) + gguf_get_tensor_offset(gguf, id)));
  file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!file) {
    throw InputError(fmt::format("{}: cannot read tensor '{}'", source.path.string(),
                                 gguf_get_tensor_name(gguf, id)));
  }
  return bytes;
}

void WriteTensor(PartialFile& out, const std::vector<std::uint8_t>& bytes, std::size_t alignment) {
  out.Write(bytes.data(), bytes.size());
  out.Pad(bytes.size(), alignment);
}

void WriteData(const SourceModel& source, const ScalePlan& plan, double scale,
               const gguf_context* target, PartialFile& out) {
  std::ifstream file(source.path, std::ios::binary);
  const gguf_context* gguf = source.gguf.get();
  const std::size_t alignment = gguf_get_alignment(target);
  const auto where = [&](std::string_view name) {
    return fmt::format("{}: tensor '{}'", source.path.string(), name);
  };
  for (std::int64_t i = 0; i < gguf_get_n_tensors(gguf); ++i) {
    std::vector<std::uint8_t> bytes = ReadTensor(file, source, i);
    const std::string name = gguf_get_tensor_name(gguf, i);
    if (std::find(plan.scaled.begin(), plan.scaled.end(), name) != plan.scaled.end()) {
      ScaleTensorData(gguf_get_tensor_type(gguf, i), bytes, scale, where(name));
    }
    WriteTensor(out, bytes, alignment);
  }
  if (plan.add_output) {
    const std::int64_t embedding = gguf_find_tensor(gguf, kTokenEmbedding);
    std::vector<std::uint8_t> bytes = ReadTensor(file, source, embedding);
    ScaleTensorData(gguf_get_tensor_type(gguf, embedding), bytes, scale, where(kTokenEmbedding));
    WriteTensor(out, bytes, alignment);
  }
}

void RefuseOverwritingInput(const std::filesystem::path& in, const std::filesystem::path& out) {
  std::error_code ignored;
  if (std::filesystem::equivalent(in, out, ignored)) {
    throw InputError(fmt::format("{}: is the input; the copy would replace it", out.string()));
  }
}

}  // namespace

std::string LogitScaleArchitectures() {
  std::string names;
  for (const ArchitectureRule& rule : kRules) {
    names += names.empty() ? "" : ", ";
    names += rule.architecture;
  }
  return names;
}

void WriteLogitScaledCopy(const std::filesystem::path& in, const std::filesystem::path& out,
                          double scale) {
  CheckScale(scale);
  const SourceModel source = OpenSource(in);
  RefuseOverwritingInput(in, out);
  const ScalePlan plan = PlanScaling(source);
  const GgufPtr target = TargetLayout(source, plan, scale);
  PartialFile file(out);
  WriteGgufHeader(target.get(), file);
  WriteData(source, plan, scale, target.get(), file);
  file.Commit();
}

}  // namespace llmcal::gguf
