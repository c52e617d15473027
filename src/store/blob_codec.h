// The store's array encoding: per-token log-probs as float32 and token ids
// as int32, each element little-endian, packed without header or padding
// (docs/store.md). The element count is the blob's size / 4.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace llmcal::store {

// Returns the little-endian bytes of `values`.
std::vector<std::byte> EncodeFloats(std::span<const float> values);
std::vector<std::byte> EncodeInt32s(std::span<const std::int32_t> values);

// Return the values of a blob written by Encode*. Return false (and leave
// `out` unspecified) when the blob's size is not a multiple of 4.
bool DecodeFloats(std::span<const std::byte> blob, std::vector<float>& out);
bool DecodeInt32s(std::span<const std::byte> blob, std::vector<std::int32_t>& out);

}  // namespace llmcal::store
