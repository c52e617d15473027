// UTF-8 text as Python's str methods see it: code points, and the whitespace
// set of str.isspace(). lm-evaluation-harness strips prompts with str.strip()
// and str.rstrip(), which remove Unicode whitespace (U+00A0, U+3000, ...),
// not only ASCII blanks; the task templates and the scorer's whitespace move
// must remove exactly the same characters.
//
//   PyRStrip("Answer:\u00a0 ") == "Answer:"
//
// Invalid UTF-8 is never whitespace: stripping stops at it. Nothing here fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace llmcal {

// One decoded code point and the number of bytes it took.
struct Utf8CodePoint {
  std::uint32_t value = 0;
  std::size_t length = 0;  // 0 when the bytes at the position are not valid UTF-8
};

// Decodes the code point starting at byte `pos` (no overlong forms, no
// surrogates, nothing above U+10FFFF). REQUIRES: pos < text.size().
Utf8CodePoint DecodeUtf8At(std::string_view text, std::size_t pos);

// Returns true when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// Returns the number of Unicode code points in UTF-8 text (bytes that are not
// continuation bytes 10xxxxxx): what lm-evaluation-harness's acc_norm divides
// by. Invalid input is counted the same way and never read past its end.
std::size_t CountCodePoints(std::string_view utf8);

// Returns true for the code points Python's str.isspace() accepts:
// U+0009-U+000D, U+001C-U+0020, U+0085, U+00A0, U+1680, U+2000-U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000.
bool IsPythonSpace(std::uint32_t code_point);

// `text` without leading (PyLStrip), trailing (PyRStrip) or both (PyStrip)
// whitespace, as Python's str.lstrip(), str.rstrip() and str.strip() with no
// argument. The result is a view into `text`.
std::string_view PyLStrip(std::string_view text);
std::string_view PyRStrip(std::string_view text);
std::string_view PyStrip(std::string_view text);

}  // namespace llmcal
