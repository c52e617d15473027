#include "calibration/confidence_methods.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace llmcal::calibration {
namespace {

struct MethodCase {
  ConfidenceMethod method;
  double expected;
};

TEST(ChoiceScore, EveryMethodOnOneContinuation) {
  // Tokens -1.0, -2.5, -0.5 for a choice text of 4 code points in 6 bytes.
  const std::vector<double> logprobs = {-1.0, -2.5, -0.5};
  const Continuation c{logprobs, 4, 6};
  const MethodCase cases[] = {
      {ConfidenceMethod::kSum, -4.0},                                             // -1 - 2.5 - 0.5
      {ConfidenceMethod::kMin, -2.5},       {ConfidenceMethod::kMean, -4.0 / 3},  // sum / 3 tokens
      {ConfidenceMethod::kChars, -1.0},      // sum / 4 code points
      {ConfidenceMethod::kBytes, -4.0 / 6},  // sum / 6 bytes
      {ConfidenceMethod::kChoice, -4.0},     // a split letter: its tokens' sum
  };
  for (const MethodCase& m : cases) {
    EXPECT_DOUBLE_EQ(ChoiceScore(m.method, c), m.expected) << MethodName(m.method);
  }
}

TEST(SummaryScore, EqualsChoiceScoreOnTheLogProbsItSummarises) {
  const std::vector<double> logprobs = {-1.0, -2.5, -0.5};
  const Continuation c{logprobs, 4, 6};
  const ContinuationSummary summary{
      .sum = -4.0, .min = -2.5, .num_tokens = 3, .num_chars = 4, .num_bytes = 6};
  for (ConfidenceMethod m : kAllConfidenceMethods) {
    EXPECT_EQ(SummaryScore(m, summary), ChoiceScore(m, c)) << MethodName(m);
  }
  EXPECT_THROW(SummaryScore(ConfidenceMethod::kMin, ContinuationSummary{}), std::invalid_argument);
  EXPECT_THROW(SummaryScore(ConfidenceMethod::kMean, ContinuationSummary{}), std::invalid_argument);
}

// An imported total (lm-evaluation-harness logs no tokens): the methods that
// need only the sum and the text's length work; min and mean refuse.
TEST(SummaryScore, AnUnknownTokenCountServesOnlyTheMethodsThatNeedNoTokens) {
  const ContinuationSummary total{
      .sum = -6.0, .min = 0, .num_tokens = 0, .num_chars = 4, .num_bytes = 3};
  EXPECT_DOUBLE_EQ(SummaryScore(ConfidenceMethod::kSum, total), -6.0);
  EXPECT_DOUBLE_EQ(SummaryScore(ConfidenceMethod::kChoice, total), -6.0);
  EXPECT_DOUBLE_EQ(SummaryScore(ConfidenceMethod::kChars, total), -1.5);
  EXPECT_DOUBLE_EQ(SummaryScore(ConfidenceMethod::kBytes, total), -2.0);
  for (ConfidenceMethod m : kAllConfidenceMethods) {
    EXPECT_EQ(NeedsTokenScores(m), m == ConfidenceMethod::kMin || m == ConfidenceMethod::kMean)
        << MethodName(m);
  }
}

TEST(ChoiceScore, LetterTokenIsItsLogProb) {
  const std::vector<double> letter = {-0.7};
  EXPECT_DOUBLE_EQ(ChoiceScore(ConfidenceMethod::kChoice, Continuation{letter, 1, 1}), -0.7);
}

TEST(ChoiceScore, RejectsEmptyContinuationsAndTexts) {
  const std::vector<double> none;
  const std::vector<double> one = {-1.0};
  EXPECT_THROW(ChoiceScore(ConfidenceMethod::kSum, Continuation{none, 1, 1}),
               std::invalid_argument);
  EXPECT_THROW(ChoiceScore(ConfidenceMethod::kChars, Continuation{one, 0, 1}),
               std::invalid_argument);
  EXPECT_THROW(ChoiceScore(ConfidenceMethod::kBytes, Continuation{one, 1, 0}),
               std::invalid_argument);
}

TEST(ItemScores, ChangesTheWinnerBetweenSumAndChars) {
  // Choice 0: one short token sequence; choice 1: longer text, lower sum but
  // higher per-character score.
  const std::vector<double> a = {-2.0};
  const std::vector<double> b = {-1.5, -1.5};
  const std::vector<Continuation> choices = {{a, 2, 2}, {b, 10, 10}};
  EXPECT_EQ(ItemScores(ConfidenceMethod::kSum, choices), (std::vector<double>{-2.0, -3.0}));
  EXPECT_EQ(ItemScores(ConfidenceMethod::kChars, choices), (std::vector<double>{-1.0, -0.3}));
}

TEST(MethodNames, RoundTrip) {
  for (ConfidenceMethod m : kAllConfidenceMethods)
    EXPECT_EQ(ParseMethod(MethodName(m)), m);
  EXPECT_EQ(ParseMethod("acc_norm"), std::nullopt);
}

}  // namespace
}  // namespace llmcal::calibration
