// Multiplying a tensor's stored values by a constant, in the tensor's own
// storage type, without going through a full dequantize/requantize.
//
//   std::vector<std::uint8_t> data = ...;  // one tensor's bytes, as in the GGUF
//   ScaleTensorData(GGML_TYPE_Q8_0, data, 2.0, "model.gguf: tensor 'output.weight'");
//
// F32: each value times the scale, rounded to float. F16: each value
// converted to float, times the scale, rounded to F16. Q8_0: each block's
// F16 scale d times the scale, rounded to F16; the 8-bit quants are kept, so
// the block's values are multiplied exactly when the scale is a power of two
// (and d does not leave F16's normal range). For F32 and F16 too, a power of
// two multiplies exactly barring overflow or subnormals.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "ggml.h"

namespace llmcal::gguf {

// Returns whether ScaleTensorData handles `type` (F32, F16, Q8_0).
bool IsScalableType(ggml_type type);

// Returns the names of the scalable types, e.g. "f32, f16, q8_0".
std::string ScalableTypeNames();

// Multiplies the values stored in `data` (the bytes of one tensor of type
// `type`) by `scale`, in place. `where` names the tensor in error messages.
// REQUIRES: data.size() a whole number of rows of `type`; scale finite and > 0.
// Throws InputError naming `where` when !IsScalableType(type) (listing the
// scalable ones), or when a finite value would become infinite in the storage
// type (overflow); `data` is then partly scaled.
void ScaleTensorData(ggml_type type, std::span<std::uint8_t> data, double scale,
                     std::string_view where);

}  // namespace llmcal::gguf
