// The Python string semantics lm-evaluation-harness's task templates rely
// on, case by case (tasks/python_text.h; the Unicode layer has its own suite,
// tests/common).
#include "tasks/python_text.h"

#include <gtest/gtest.h>

#include "tasks/prompt_builder.h"

namespace llmcal::tasks {
namespace {

struct TextCase {
  std::string input;
  std::string expected;
};

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
