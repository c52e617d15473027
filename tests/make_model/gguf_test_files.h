// GGUF files seen from the tests: reading a file's metadata values and tensor
// data independently of the code under test, and writing small hand-made
// files (not loadable models) for the cases a real model cannot show.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "ggml.h"

namespace llmcal::testing {

// A whole GGUF file in memory.
struct GgufContents {
  // Each metadata key -> its type and value as bytes ("type:bytes"; strings
  // and arrays element by element), so two values compare equal iff both
  // type and value are the same.
  std::map<std::string, std::string> values;
  struct Tensor {
    ggml_type type;
    std::vector<std::int64_t> shape;  // ne[0..n_dims)
    std::string bytes;                // the data as stored
  };
  std::map<std::string, Tensor> tensors;
  std::vector<std::string> tensor_order;
};

// Reads `path`. Fails the calling test (and throws) when it is not a GGUF file.
GgufContents ReadGguf(const std::filesystem::path& path);

// Returns the tensor's values as floats (ggml's own dequantization).
std::vector<float> Dequantize(const GgufContents::Tensor& tensor);

// Returns the string value of `key`, or "" when absent or not a string.
std::string StringValue(const std::filesystem::path& path, const std::string& key);
// Returns the f64 value of `key`, or NaN when absent or not an f64.
double F64Value(const std::filesystem::path& path, const std::string& key);

// A hand-made GGUF: general.architecture (none when empty), f32 keys, and
// rows of `values` stored as `type`, `row` values per row.
struct HandmadeTensor {
  std::string name;
  ggml_type type;
  std::int64_t row;
  std::vector<float> values;
};
struct HandmadeGguf {
  std::string architecture;
  std::map<std::string, float> f32_values;
  std::vector<HandmadeTensor> tensors;
};

// Writes `spec` to `path`. REQUIRES: each value count a multiple of its row,
// each row a multiple of its type's block size.
void WriteHandmadeGguf(const std::filesystem::path& path, const HandmadeGguf& spec);

}  // namespace llmcal::testing
