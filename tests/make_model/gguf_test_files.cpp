#include "gguf_test_files.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "gguf.h"

namespace llmcal::testing {
namespace {

struct GgufFree {
  void operator()(gguf_context* ctx) const { gguf_free(ctx); }
};
struct GgmlFree {
  void operator()(ggml_context* ctx) const { ggml_free(ctx); }
};
using Gguf = std::unique_ptr<gguf_context, GgufFree>;
using Ggml = std::unique_ptr<ggml_context, GgmlFree>;

Gguf Open(const std::filesystem::path& path) {
  gguf_init_params params{};
  params.no_alloc = true;
  Gguf gguf(gguf_init_from_file(path.string().c_str(), params));
  if (!gguf) {
    ADD_FAILURE() << path << " is not a readable GGUF file";
    throw std::runtime_error("not a GGUF file");
  }
  return gguf;
}

std::size_t ScalarSize(gguf_type type) {
  switch (type) {
    case GGUF_TYPE_UINT8:
    case GGUF_TYPE_INT8:
    case GGUF_TYPE_BOOL:
      return 1;
    case GGUF_TYPE_UINT16:
    case GGUF_TYPE_INT16:
      return 2;
    case GGUF_TYPE_UINT32:
    case GGUF_TYPE_INT32:
    case GGUF_TYPE_FLOAT32:
      return 4;
    default:
      return 8;
  }
}

std::string ValueBytes(const gguf_context* gguf, std::int64_t id) {
  const gguf_type type = gguf_get_kv_type(gguf, id);
  std::string out = std::to_string(type) + ":";
  if (type == GGUF_TYPE_STRING) {
    return out + gguf_get_val_str(gguf, id);
  }
  if (type != GGUF_TYPE_ARRAY) {
    const auto* data = static_cast<const char*>(gguf_get_val_data(gguf, id));
    return out + std::string(data, ScalarSize(type));
  }
  const gguf_type element = gguf_get_arr_type(gguf, id);
  const std::size_t n = gguf_get_arr_n(gguf, id);
  out += std::to_string(element) + ":" + std::to_string(n) + ":";
  if (element == GGUF_TYPE_STRING) {
    for (std::size_t i = 0; i < n; ++i) {
      out += std::string(gguf_get_arr_str(gguf, id, i)) + '\0';
    }
    return out;
  }
  return out + std::string(static_cast<const char*>(gguf_get_arr_data(gguf, id)),
                           n * ScalarSize(element));
}

}  // namespace

GgufContents ReadGguf(const std::filesystem::path& path) {
  const Gguf gguf = Open(path);
  GgufContents contents;
  for (std::int64_t i = 0; i < gguf_get_n_kv(gguf.get()); ++i) {
    contents.values[gguf_get_key(gguf.get(), i)] = ValueBytes(gguf.get(), i);
  }
  std::ifstream file(path, std::ios::binary);
  for (std::int64_t i = 0; i < gguf_get_n_tensors(gguf.get()); ++i) {
    GgufContents::Tensor tensor;
    tensor.type = gguf_get_tensor_type(gguf.get(), i);
    const std::int64_t* ne = gguf_get_tensor_ne(gguf.get(), i);
    tensor.shape.assign(ne, ne + GGML_MAX_DIMS);
    tensor.bytes.resize(gguf_get_tensor_size(gguf.get(), i));
    file.seekg(static_cast<std::streamoff>(gguf_get_data_offset(gguf.get()) +
                                           gguf_get_tensor_offset(gguf.get(), i)));
    file.read(tensor.bytes.data(), static_cast<std::streamsize>(tensor.bytes.size()));
    EXPECT_TRUE(file) << path << ": tensor data cut short";
    const std::string name = gguf_get_tensor_name(gguf.get(), i);
    contents.tensor_order.push_back(name);
    contents.tensors[name] = std::move(tensor);
  }
  return contents;
}

std::vector<float> Dequantize(const GgufContents::Tensor& tensor) {
  std::int64_t n = 1;
  for (const std::int64_t d : tensor.shape) {
    n *= d;
  }
  std::vector<float> values(static_cast<std::size_t>(n));
  if (tensor.type == GGML_TYPE_F32) {
    std::memcpy(values.data(), tensor.bytes.data(), values.size() * sizeof(float));
  } else {
    ggml_get_type_traits(tensor.type)->to_float(tensor.bytes.data(), values.data(), n);
  }
  return values;
}

std::string StringValue(const std::filesystem::path& path, const std::string& key) {
  const Gguf gguf = Open(path);
  const std::int64_t id = gguf_find_key(gguf.get(), key.c_str());
  return id >= 0 && gguf_get_kv_type(gguf.get(), id) == GGUF_TYPE_STRING
             ? gguf_get_val_str(gguf.get(), id)
             : "";
}

double F64Value(const std::filesystem::path& path, const std::string& key) {
  const Gguf gguf = Open(path);
  const std::int64_t id = gguf_find_key(gguf.get(), key.c_str());
  return id >= 0 && gguf_get_kv_type(gguf.get(), id) == GGUF_TYPE_FLOAT64
             ? gguf_get_val_f64(gguf.get(), id)
             : std::nan("");
}

void WriteHandmadeGguf(const std::filesystem::path& path, const HandmadeGguf& spec) {
  Gguf gguf(gguf_init_empty());
  if (!spec.architecture.empty()) {
    gguf_set_val_str(gguf.get(), "general.architecture", spec.architecture.c_str());
  }
  for (const auto& [key, value] : spec.f32_values) {
    gguf_set_val_f32(gguf.get(), key.c_str(), value);
  }
  std::size_t bytes = 0;
  for (const HandmadeTensor& t : spec.tensors) {
    bytes += ggml_row_size(t.type, t.row) * (t.values.size() / t.row) + ggml_tensor_overhead();
  }
  ggml_init_params params{};
  params.mem_size = bytes + 1024;
  const Ggml ggml(ggml_init(params));
  for (const HandmadeTensor& t : spec.tensors) {
    const auto rows = static_cast<std::int64_t>(t.values.size()) / t.row;
    ggml_tensor* tensor = ggml_new_tensor_2d(ggml.get(), t.type, t.row, rows);
    ggml_set_name(tensor, t.name.c_str());
    if (t.type == GGML_TYPE_F32) {
      std::memcpy(tensor->data, t.values.data(), t.values.size() * sizeof(float));
    } else if (t.type == GGML_TYPE_F16) {
      ggml_fp32_to_fp16_row(t.values.data(), static_cast<ggml_fp16_t*>(tensor->data),
                            static_cast<std::int64_t>(t.values.size()));
    } else {
      ggml_quantize_chunk(t.type, t.values.data(), tensor->data, 0, rows, t.row, nullptr);
    }
    gguf_add_tensor(gguf.get(), tensor);
  }
  ASSERT_TRUE(gguf_write_to_file(gguf.get(), path.string().c_str(), false)) << path;
}

}  // namespace llmcal::testing
