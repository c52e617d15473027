#include "tasks/python_text.h"

#include "common/unicode_text.h"

namespace llmcal::tasks {
namespace {

char AsciiUpper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

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
  std::string out(PyStrip(text));
  out = PyReplace(out, " [title]", ". ");
  out = RemoveBracketed(out);
  return PyReplace(out, "  ", " ");
}

}  // namespace llmcal::tasks
