#include "tasks/python_text.h"

#include <cstdint>

namespace llmcal::tasks {
namespace {

// One decoded code point and the number of bytes it took.
struct CodePoint {
  std::uint32_t value = 0;
  std::size_t length = 0;  // 0 when the bytes are not valid UTF-8
};

CodePoint DecodeAt(std::string_view text, std::size_t pos) {
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

// Python's str.isspace() set.
bool IsPythonSpace(std::uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

// Start of the code point that ends just before `end` (end > 0).
std::size_t PreviousCodePointStart(std::string_view text, std::size_t end) {
  std::size_t start = end - 1;
  while (start > 0 && end - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  return start;
}

char AsciiUpper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string PyStrip(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const CodePoint cp = DecodeAt(text, begin);
    if (cp.length == 0 || !IsPythonSpace(cp.value)) {
      break;
    }
    begin += cp.length;
  }
  std::size_t end = text.size();
  while (end > begin) {
    const std::size_t start = PreviousCodePointStart(text, end);
    const CodePoint cp = DecodeAt(text, start);
    if (cp.length != end - start || !IsPythonSpace(cp.value)) {
      break;
    }
    end = start;
  }
  return std::string(text.substr(begin, end - begin));
}

std::string PyReplace(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (true) {
    const std::size_t hit = text.find(from, pos);
    if (hit == std::string_view::npos) {
      break;
    }
    out.append(text.substr(pos, hit - pos));
    out.append(to);
    pos = hit + from.size();
  }
  out.append(text.substr(pos));
  return out;
}

std::string PyCapitalize(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = i == 0 ? AsciiUpper(out[i]) : AsciiLower(out[i]);
  }
  return out;
}

std::string RemoveBracketed(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == '[') {
      const std::size_t close = text.find_first_of("]\n", pos + 1);
      if (close != std::string_view::npos && text[close] == ']') {
        pos = close + 1;
        continue;
      }
    }
    out.push_back(text[pos]);
    ++pos;
  }
  return out;
}

std::string HellaswagPreprocess(std::string_view text) {
  std::string out = PyStrip(text);
  out = PyReplace(out, " [title]", ". ");
  out = RemoveBracketed(out);
  return PyReplace(out, "  ", " ");
}

bool IsValidUtf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const CodePoint cp = DecodeAt(text, pos);
    if (cp.length == 0) {
      return false;
    }
    pos += cp.length;
  }
  return true;
}

}  // namespace llmcal::tasks
