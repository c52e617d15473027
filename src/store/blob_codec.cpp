#include "store/blob_codec.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

namespace llmcal::store {

namespace {

static_assert(sizeof(float) == 4 && std::numeric_limits<float>::is_iec559,
              "the store writes IEEE 754 binary32 floats");

// Copies 4-byte elements between memory and little-endian bytes; on a
// big-endian host each element's bytes are reversed.
void CopyLittleEndian(const std::byte* from, std::byte* to, std::size_t n_elements) {
  std::memcpy(to, from, 4 * n_elements);
  if constexpr (std::endian::native == std::endian::big) {
    for (std::size_t i = 0; i < n_elements; ++i)
      std::reverse(to + 4 * i, to + 4 * i + 4);
  }
}

template <typename T>
std::vector<std::byte> Encode(std::span<const T> values) {
  static_assert(sizeof(T) == 4);
  std::vector<std::byte> bytes(4 * values.size());
  CopyLittleEndian(reinterpret_cast<const std::byte*>(values.data()), bytes.data(), values.size());
  return bytes;
}

template <typename T>
bool Decode(std::span<const std::byte> blob, std::vector<T>& out) {
  static_assert(sizeof(T) == 4);
  if (blob.size() % 4 != 0)
    return false;
  out.resize(blob.size() / 4);
  CopyLittleEndian(blob.data(), reinterpret_cast<std::byte*>(out.data()), out.size());
  return true;
}

}  // namespace

std::vector<std::byte> EncodeFloats(std::span<const float> values) {
  return Encode(values);
}

std::vector<std::byte> EncodeInt32s(std::span<const std::int32_t> values) {
  return Encode(values);
}

bool DecodeFloats(std::span<const std::byte> blob, std::vector<float>& out) {
  return Decode(blob, out);
}

bool DecodeInt32s(std::span<const std::byte> blob, std::vector<std::int32_t>& out) {
  return Decode(blob, out);
}

}  // namespace llmcal::store
