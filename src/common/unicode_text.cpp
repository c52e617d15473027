#include "common/unicode_text.h"

#include <algorithm>

namespace llmcal {
namespace {

// Start of the code point that ends just before `end` (end > 0): at most
// three continuation bytes back.
std::size_t PreviousCodePointStart(std::string_view text, std::size_t end) {
  std::size_t start = end - 1;
  while (start > 0 && end - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  return start;
}

}  // namespace

Utf8CodePoint DecodeUtf8At(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    return {lead, 1};
  }
  std::size_t length = 0;
  std::uint32_t value = 0;
  std::uint32_t min_value = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, min_value = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, min_value = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, min_value = 0x10000;
  } else {
    return {};
  }
  if (pos + length > text.size()) {
    return {};
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) {
      return {};
    }
    value = (value << 6) | (byte(pos + i) & 0x3F);
  }
  if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return {};
  }
  return {value, length};
}

std::size_t CountCodePoints(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  }));
}

bool IsValidUtf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Utf8CodePoint cp = DecodeUtf8At(text, pos);
    if (cp.length == 0) {
      return false;
    }
    pos += cp.length;
  }
  return true;
}

bool IsPythonSpace(std::uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

std::string_view PyLStrip(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const Utf8CodePoint cp = DecodeUtf8At(text, begin);
    if (cp.length == 0 || !IsPythonSpace(cp.value)) {
      break;
    }
    begin += cp.length;
  }
  return text.substr(begin);
}

std::string_view PyRStrip(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0) {
    const std::size_t start = PreviousCodePointStart(text, end);
    const Utf8CodePoint cp = DecodeUtf8At(text, start);
    if (cp.length != end - start || !IsPythonSpace(cp.value)) {
      break;
    }
    end = start;
  }
  return text.substr(0, end);
}

std::string_view PyStrip(std::string_view text) {
  return PyRStrip(PyLStrip(text));
}

}  // namespace llmcal
