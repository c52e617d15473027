#include "calibration/predictions_io.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "support/case_file.h"

namespace llmcal::calibration {
namespace {

Predictions Parse(const std::string& text, PredictionsOptions options = {},
                  const std::string& name = "preds.jsonl") {
  return ParsePredictions(FileText{name, text}, options);
}

TEST(ParsePredictions, EveryRecordKind) {
  const Predictions p = Parse(
      "{\"probs\": [0.25, 0.75], \"gold\": 1, \"id\": \"q1\"}\n"
      "\n"
      "{\"scores\": [0, 0, 0], \"gold\": 2, \"id\": 17}\n"
      "{\"gold\": \"0\", \"continuations\": [{\"logprobs\": [-1, -2]}, {\"logprobs\": [-1]}],"
      " \"template\": \"v1\"}\n");
  ASSERT_EQ(p.data.size(), 3u);
  EXPECT_EQ(p.source, "preds.jsonl");
  EXPECT_EQ(p.ids, (std::vector<std::string>{"q1", "17", ""}));
  EXPECT_EQ(p.lines, (std::vector<std::int64_t>{1, 3, 4}));
  EXPECT_DOUBLE_EQ(p.data.probs(0)[1], 0.75);
  EXPECT_NEAR(p.data.probs(1)[0], 1.0 / 3, 1e-15);
  // sum: scores -3 and -1 -> softmax.
  EXPECT_NEAR(p.data.probs(2)[1], 1 / (1 + std::exp(-2.0)), 1e-15);
  EXPECT_EQ(p.data.gold(2), 0);
}

TEST(ParsePredictions, NormalizeRescales) {
  const Predictions p = Parse("{\"probs\": [2, 6], \"gold\": 1}\n", {.normalize = true});
  EXPECT_DOUBLE_EQ(p.data.probs(0)[0], 0.25);
  EXPECT_THROW(Parse("{\"probs\": [0, 0], \"gold\": 1}\n", {.normalize = true}), InputError);
}

TEST(ParsePredictions, CharsAndBytesDivideByTheChoiceTexts) {
  // Choice texts "é" (1 code point, 2 bytes) and "ab" (2, 2); sums -2 and -3.
  const std::string record =
      "{\"gold\": 0, \"continuations\": [{\"logprobs\": [-1, -1]}, {\"logprobs\": [-3]}],"
      " \"choice_texts\": [\"\\u00e9\", \"ab\"]}\n";
  const auto probability_of_first = [](double s0, double s1) {
    return 1 / (1 + std::exp(s1 - s0));
  };
  EXPECT_NEAR(Parse(record, {.method = ConfidenceMethod::kChars}).data.probs(0)[0],
              probability_of_first(-2.0 / 1, -3.0 / 2), 1e-15);
  EXPECT_NEAR(Parse(record, {.method = ConfidenceMethod::kBytes}).data.probs(0)[0],
              probability_of_first(-2.0 / 2, -3.0 / 2), 1e-15);
  EXPECT_NEAR(Parse(record, {.method = ConfidenceMethod::kMin}).data.probs(0)[0],
              probability_of_first(-1, -3), 1e-15);
}

// bad_predictions.cases: "== name", "error: TEXT" (the whole message), an
// optional "method: NAME", then the file's lines (comments and blanks skipped).
class BadPredictions : public ::testing::TestWithParam<testing::CaseSection> {};

TEST_P(BadPredictions, NameFileLineAndField) {
  const testing::CaseSection& section = GetParam();
  SCOPED_TRACE(section.where + " " + section.name);
  std::string error, method = "sum", text;
  for (const std::string& line : section.lines) {
    if (line.starts_with("error: ") && error.empty())
      error = line.substr(7);
    else if (line.starts_with("method: "))
      method = line.substr(8);
    else if (!line.empty() && !line.starts_with("#"))
      text += line + "\n";
  }
  ASSERT_FALSE(error.empty()) << "the case has no 'error:' line";
  try {
    Parse(text, {.method = *ParseMethod(method)});
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), error);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadPredictions,
    ::testing::ValuesIn(testing::ReadCaseSections(LLMCAL_CALIBRATION_BAD_PREDICTIONS)),
    testing::SectionParamName);

TEST(ReadPredictions, EmptyAndMissingFiles) {
  EXPECT_THROW(ReadPredictions("/nonexistent/preds.jsonl", {}), InputError);
  try {
    std::istringstream blank("\n \n");
    ParsePredictions(ReadWholeStream(blank, "x.jsonl"), {});
    ADD_FAILURE() << "accepted an empty file";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "x.jsonl: empty file: no records");
  }
}

const char* kTarget =
    "{\"probs\": [0.6, 0.4], \"gold\": 0, \"id\": \"a\"}\n"
    "{\"probs\": [0.2, 0.3, 0.5], \"gold\": 2, \"id\": \"b\"}\n"
    "{\"probs\": [0.5, 0.5], \"gold\": 1, \"id\": 3}\n";

TEST(MatchById, ReordersTheReferenceToTheTarget) {
  const Predictions target = Parse(kTarget, {}, "it.jsonl");
  const Predictions reference = Parse(
      "{\"probs\": [0.1, 0.9], \"gold\": 1, \"id\": \"3\"}\n"
      "{\"probs\": [0.7, 0.3], \"gold\": 0, \"id\": \"a\"}\n"
      "{\"probs\": [0.3, 0.3, 0.4], \"gold\": 2, \"id\": \"b\"}\n",
      {}, "pt.jsonl");
  const Predictions matched = MatchById(target, reference);
  ASSERT_EQ(matched.data.size(), 3u);
  EXPECT_EQ(matched.ids, (std::vector<std::string>{"a", "b", "3"}));
  EXPECT_EQ(matched.lines, (std::vector<std::int64_t>{2, 3, 1}));
  EXPECT_DOUBLE_EQ(matched.data.probs(0)[0], 0.7);
  EXPECT_DOUBLE_EQ(matched.data.probs(2)[1], 0.9);
}

TEST(MatchById, RefusesItemsThatDoNotMatch) {
  const Predictions target = Parse(kTarget, {}, "it.jsonl");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"probs\": [0.6, 0.4], \"gold\": 0, \"id\": \"a\"}\n"
       "{\"probs\": [0.2, 0.3, 0.5], \"gold\": 2, \"id\": \"b\"}\n",
       "it.jsonl:3: field 'id': \"3\" is not in pt.jsonl"},
      {"{\"probs\": [0.6, 0.4], \"gold\": 0, \"id\": \"a\"}\n"
       "{\"probs\": [0.2, 0.3, 0.5], \"gold\": 2, \"id\": \"b\"}\n"
       "{\"probs\": [0.5, 0.5], \"gold\": 1, \"id\": 3}\n"
       "{\"probs\": [0.5, 0.5], \"gold\": 1, \"id\": \"extra\"}\n",
       "pt.jsonl:4: field 'id': \"extra\" is not in it.jsonl"},
      {"{\"probs\": [0.6, 0.4], \"gold\": 0}\n",
       "pt.jsonl:1: field 'id': missing (items of two "
       "files are matched by id)"},
      {"{\"probs\": [0.6, 0.4], \"gold\": 0, \"id\": \"a\"}\n"
       "{\"probs\": [0.6, 0.4], \"gold\": 0, \"id\": \"a\"}\n",
       "pt.jsonl:2: field 'id': \"a\" repeats line 1"},
      {"{\"probs\": [0.6, 0.4], \"gold\": 0, \"id\": \"a\"}\n"
       "{\"probs\": [0.5, 0.5], \"gold\": 1, \"id\": \"b\"}\n"
       "{\"probs\": [0.5, 0.5], \"gold\": 1, \"id\": 3}\n",
       "pt.jsonl:2: item \"b\" has 2 choices here and 3 in it.jsonl (line 2)"},
      {"{\"probs\": [0.6, 0.4], \"gold\": 1, \"id\": \"a\"}\n"
       "{\"probs\": [0.2, 0.3, 0.5], \"gold\": 2, \"id\": \"b\"}\n"
       "{\"probs\": [0.5, 0.5], \"gold\": 1, \"id\": 3}\n",
       "pt.jsonl:1: field 'gold': item \"a\" has gold 1 here and 0 in it.jsonl (line 1)"},
  };
  for (const auto& [text, message] : cases) {
    try {
      MatchById(target, Parse(text, {}, "pt.jsonl"));
      ADD_FAILURE() << "accepted: " << message;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  }
  // The target needs ids too.
  EXPECT_THROW(MatchById(Parse("{\"probs\": [1], \"gold\": 0}\n"), target), InputError);
}

}  // namespace
}  // namespace llmcal::calibration
