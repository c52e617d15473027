#include "gguf/tensor_scale.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <optional>

#include "common/error.h"

namespace llmcal::gguf {
namespace {

// Q8_0's block as ggml stores it (ggml-common.h): an F16 scale, then 32 quants.
struct BlockQ80 {
  ggml_fp16_t d;
  std::int8_t qs[32];
};
static_assert(sizeof(BlockQ80) == 34);

[[noreturn]] void ThrowOverflow(std::string_view where, std::string_view what, double value,
                                double scale, ggml_type type) {
  throw InputError(fmt::format("{}: {} is {}; times {} it overflows {}", where, what, value, scale,
                               ggml_type_name(type)));
}

// Returns x * scale rounded to float, or nullopt when a finite x overflows.
std::optional<float> ScaleFloat(float x, double scale) {
  const auto y = static_cast<float>(x * scale);
  if (std::isfinite(x) && !std::isfinite(y)) {
    return std::nullopt;
  }
  return y;
}

// Returns h * scale rounded to F16, or nullopt when a finite h overflows.
std::optional<ggml_fp16_t> ScaleHalf(ggml_fp16_t h, double scale) {
  const float x = ggml_fp16_to_fp32(h);
  const ggml_fp16_t y = ggml_fp32_to_fp16(static_cast<float>(x * scale));
  if (std::isfinite(x) && !std::isfinite(ggml_fp16_to_fp32(y))) {
    return std::nullopt;
  }
  return y;
}

// Applies `scale_one` to each element of type T in `data`; on overflow,
// throws naming `describe(i)` and the element's value `value(x)`.
template <typename T, typename ScaleOne, typename Describe, typename Value>
void ScaleEach(std::span<std::uint8_t> data, ggml_type type, double scale, std::string_view where,
               ScaleOne scale_one, Describe describe, Value value) {
  const std::size_t n = data.size() / sizeof(T);
  for (std::size_t i = 0; i < n; ++i) {
    T x;
    std::memcpy(&x, data.data() + i * sizeof(T), sizeof(T));
    const auto y = scale_one(x, scale);
    if (!y) {
      ThrowOverflow(where, describe(i), value(x), scale, type);
    }
    std::memcpy(data.data() + i * sizeof(T), &*y, sizeof(T));
  }
}

std::string ValueAt(std::size_t i) {
  return fmt::format("value {}", i);
}

void ScaleF32(std::span<std::uint8_t> data, double scale, std::string_view where) {
  ScaleEach<float>(data, GGML_TYPE_F32, scale, where, ScaleFloat, ValueAt,
                   [](float x) { return static_cast<double>(x); });
}

void ScaleF16(std::span<std::uint8_t> data, double scale, std::string_view where) {
  ScaleEach<ggml_fp16_t>(data, GGML_TYPE_F16, scale, where, ScaleHalf, ValueAt,
                         [](ggml_fp16_t h) { return static_cast<double>(ggml_fp16_to_fp32(h)); });
}

// Scales each block's d and keeps its quants.
void ScaleQ80(std::span<std::uint8_t> data, double scale, std::string_view where) {
  const auto scale_block = [](BlockQ80 block, double s) -> std::optional<BlockQ80> {
    const std::optional<ggml_fp16_t> d = ScaleHalf(block.d, s);
    if (!d) {
      return std::nullopt;
    }
    block.d = *d;
    return block;
  };
  ScaleEach<BlockQ80>(
      data, GGML_TYPE_Q8_0, scale, where, scale_block,
      [](std::size_t b) { return fmt::format("block {}'s scale d", b); },
      [](const BlockQ80& block) { return static_cast<double>(ggml_fp16_to_fp32(block.d)); });
}

}  // namespace

bool IsScalableType(ggml_type type) {
  return type == GGML_TYPE_F32 || type == GGML_TYPE_F16 || type == GGML_TYPE_Q8_0;
}

std::string ScalableTypeNames() {
  return fmt::format("{}, {}, {}", ggml_type_name(GGML_TYPE_F32), ggml_type_name(GGML_TYPE_F16),
                     ggml_type_name(GGML_TYPE_Q8_0));
}

void ScaleTensorData(ggml_type type, std::span<std::uint8_t> data, double scale,
                     std::string_view where) {
  switch (type) {
    case GGML_TYPE_F32:
      ScaleF32(data, scale, where);
      break;
    case GGML_TYPE_F16:
      ScaleF16(data, scale, where);
      break;
    case GGML_TYPE_Q8_0:
      ScaleQ80(data, scale, where);
      break;
    default:
      throw InputError(fmt::format("{}: cannot scale type {} (supported: {})", where,
                                   ggml_type_name(type), ScalableTypeNames()));
  }
}

}  // namespace llmcal::gguf
