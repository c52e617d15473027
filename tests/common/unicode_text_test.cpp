// Python's view of UTF-8 text (common/unicode_text.h): code points, str.isspace(),
// strip(), case by case.
#include "common/unicode_text.h"

#include <gtest/gtest.h>

#include <iterator>
#include <string>

namespace llmcal {
namespace {

struct TextCase {
  std::string input;
  std::string expected;
};

TEST(PyStrip, StripsEveryPythonWhitespace) {
  const TextCase cases[] = {
      {"", ""},
      {"   ", ""},
      {" a b ", "a b"},
      {"\t\n\r\f\va\x1c\x1d\x1e\x1f", "a"},
      {"\xc2\xa0x\xc2\xa0", "x"},          // U+00A0 no-break space
      {"\xe3\x80\x80x\xe2\x80\x89", "x"},  // U+3000 and U+2009
      {"\xc2\x85x", "x"},                  // U+0085 next line
      {"\xe2\x80\x8bx", "\xe2\x80\x8bx"},  // U+200B zero width space is not whitespace
      {"x\xc3\xa9 ", "x\xc3\xa9"},         // é kept
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PyStrip(c.input), c.expected) << c.input;
  }
}

// Every code point of Python's str.isspace() set, one by one, as UTF-8; each
// is removed by rstrip() and lstrip() alike (Python 3: "".join(chr(c) for c
// in range(0x110000) if chr(c).isspace()) lists exactly these 29).
TEST(PyRStrip, RemovesEachPythonWhitespaceCodePoint) {
  const char* const spaces[] = {
      "\t",           "\n",           "\v",           "\f",           "\r",
      "\x1c",         "\x1d",         "\x1e",         "\x1f",         " ",
      "\xc2\x85",     "\xc2\xa0",     "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x81",
      "\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84", "\xe2\x80\x85", "\xe2\x80\x86",
      "\xe2\x80\x87", "\xe2\x80\x88", "\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xa8",
      "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80"};
  ASSERT_EQ(std::size(spaces), 29u);
  for (const char* space : spaces) {
    const std::string text = std::string("Answer:") + space;
    EXPECT_EQ(PyRStrip(text), "Answer:") << ::testing::PrintToString(std::string(space));
    EXPECT_EQ(PyLStrip(std::string(space) + "x"), "x")
        << ::testing::PrintToString(std::string(space));
  }
}

TEST(PyRStrip, KeepsWhatPythonKeeps) {
  const TextCase cases[] = {
      {"a b", "a b"},
      {"x\xe2\x80\x8b", "x\xe2\x80\x8b"},  // U+200B zero width space: not whitespace
      {"x\xef\xbb\xbf", "x\xef\xbb\xbf"},  // U+FEFF: not whitespace
      {"x\xe2\x80\x8c", "x\xe2\x80\x8c"},  // U+200C: not whitespace
      {"\xc3\xa9 \n", "\xc3\xa9"},         // é then spaces
      {"a\x80 ", "a\x80"},                 // invalid UTF-8 stops the strip, is kept
      {" \t ", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PyRStrip(c.input), c.expected) << c.input;
  }
  EXPECT_EQ(PyLStrip(" \xc2\xa0"
                     "a b "),
            "a b ");
}

TEST(IsValidUtf8, AcceptsWellFormedOnly) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

TEST(CountCodePoints, CountsUtf8CodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("caf\xC3\xA9"), 4u);  // café: é is 2 bytes
  EXPECT_EQ(CountCodePoints("\xE2\x82\xAC"
                            "5"),
            2u);                                       // €5: € is 3 bytes
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80"), 1u);  // one 4-byte emoji
}

}  // namespace
}  // namespace llmcal
