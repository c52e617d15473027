// The Python string semantics lm-evaluation-harness relies on, case by case.
#include "tasks/python_text.h"

#include <gtest/gtest.h>

#include "tasks/prompt_builder.h"

namespace llmcal::tasks {
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

TEST(PyReplace, ReplacesNonOverlappingLeftToRight) {
  EXPECT_EQ(PyReplace("a  b", "  ", " "), "a b");
  EXPECT_EQ(PyReplace("a   b", "  ", " "), "a  b");   // three spaces -> two
  EXPECT_EQ(PyReplace("a    b", "  ", " "), "a  b");  // four spaces -> two
  EXPECT_EQ(PyReplace("x [title]y [title]", " [title]", ". "), "x. y. ");
  EXPECT_EQ(PyReplace("no match", "zz", "y"), "no match");
}

TEST(PyCapitalize, UpperFirstLowerRest) {
  EXPECT_EQ(PyCapitalize("he"), "He");
  EXPECT_EQ(PyCapitalize("the MAN"), "The man");
  EXPECT_EQ(PyCapitalize(""), "");
  EXPECT_EQ(PyCapitalize("3 cats"), "3 cats");
}

TEST(RemoveBracketed, DeletesShortestBracketsOnOneLine) {
  const TextCase cases[] = {
      {"a [b] c", "a  c"},
      {"[header] x [step] y", " x  y"},
      {"put [a [your name] here", "put  here"},
      {"open [[ (18.", "open [[ (18."},  // no closing bracket: kept
      {"a [b\n] c", "a [b\n] c"},        // '.' does not match a newline
      {"[]x", "x"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RemoveBracketed(c.input), c.expected) << c.input;
  }
}

TEST(HellaswagPreprocess, MatchesLmEvalSteps) {
  const TextCase cases[] = {
      {"  plain text ", "plain text"},
      {"[header] How to x [title] Do y. [step] Then z.", " How to x. Do y. Then z."},
      {"Visit a site like [www.kiddio.org] to find", "Visit a site like to find"},
      {"a   b", "a  b"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(HellaswagPreprocess(c.input), c.expected) << c.input;
  }
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

TEST(YangChoiceText, StripsCapitalizesAndEndsWithPeriod) {
  const TextCase cases[] = {
      {"boil it", "Boil it."},
      {"Freeze it.", "Freeze it."},
      {" replace drawer with bobby pin ", "Replace drawer with bobby pin."},
      {"3 cats", "3 cats."},
      {"why?", "Why?."},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(YangChoiceText(c.input), c.expected) << c.input;
  }
}

}  // namespace
}  // namespace llmcal::tasks
