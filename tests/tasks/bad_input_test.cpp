// Bad input of every kind the issue names: each gives an InputError naming
// the file, the line and the field; --skip-bad skips the record instead and
// says so.
#include <gtest/gtest.h>

#include "fixture_files.h"
#include "support/test_data.h"

namespace llmcal::tasks {
namespace {

using testing::LoadError;
using testing::LoadFrom;
using testing::WriteFile;

struct BadCase {
  const char* what;
  const char* task;
  const char* file;
  std::string content;
  std::vector<std::string> message_parts;  // each must appear in the error
};

const std::string kSciqGood =
    R"({"question": "q", "support": "", "distractor1": "a", "distractor2": "b", )"
    R"("distractor3": "c", "correct_answer": "d"})";

const std::string kArcGood =
    R"({"id": "a", "question": "q", "choices": {"text": ["x", "y"], "label": ["A", "B"]}, "answerKey": "B"})";

std::vector<BadCase> Cases() {
  return {
      {"malformed JSON line",
       "arc_easy",
       "arc.jsonl",
       kArcGood + "\n{\"id\": \"b\", \n",
       {"arc.jsonl:2: ", "malformed JSON"}},
      {"line that is not an object",
       "arc_easy",
       "arc.jsonl",
       kArcGood + "\n[1, 2]\n",
       {"arc.jsonl:2: ", "expected a JSON object"}},
      {"missing field",
       "arc_easy",
       "arc.jsonl",
       R"({"id": "a", "question": "q", "choices": {"text": ["x"], "label": ["A"]}})"
       "\n",
       {"arc.jsonl:1: field 'answerKey': missing"}},
      {"answer key that is no label",
       "arc_easy",
       "arc.jsonl",
       R"({"question": "q", "choices": {"text": ["x", "y"], "label": ["A", "B"]}, "answerKey": "C"})"
       "\n",
       {"arc.jsonl:1: field 'answerKey'", "not a choice label"}},
      {"labels and texts of different length",
       "arc_easy",
       "arc.jsonl",
       R"({"question": "q", "choices": {"text": ["x", "y"], "label": ["A"]}, "answerKey": "A"})"
       "\n",
       {"arc.jsonl:1: field 'choices'", "2 texts but 1 labels"}},
      {"wrong type",
       "piqa",
       "p.jsonl",
       R"({"goal": 5, "sol1": "a", "sol2": "b", "label": 0})"
       "\n",
       {"p.jsonl:1: field 'goal': expected a string, found number"}},
      {"nested field path",
       "arc_easy",
       "arc.jsonl",
       R"({"question": {"stem": "q", "choices": [{"text": "x", "label": "A"}, {"label": "B"}]}, "answerKey": "A"})"
       "\n",
       {"arc.jsonl:1: field 'question.choices[1].text': missing"}},
      {"gold out of range",
       "custom",
       "c.jsonl",
       R"({"context": "c", "choices": ["a", "b"], "gold": 2})"
       "\n",
       {"c.jsonl:1: field 'gold'", "out of range"}},
      {"one choice only",
       "custom",
       "c.jsonl",
       R"({"context": "c", "choices": ["a"], "gold": 0})"
       "\n",
       {"c.jsonl:1: field 'choices'", "expected 2 to 26 choices"}},
      {"empty choice",
       "custom",
       "c.jsonl",
       R"({"context": "c", "choices": ["a", ""], "gold": 0})"
       "\n",
       {"c.jsonl:1: field 'choices'", "choice 1 is empty"}},
      {"CSV row with the wrong column count",
       "mmlu",
       "anatomy_test.csv",
       "q,a,b,c,d,A\n\"multi\nline\",a,b,c,d,B\nq,a,b,c,D\n",
       {"anatomy_test.csv:4: ", "expected 6 columns, found 5"}},
      {"CSV answer that is no letter",
       "mmlu",
       "anatomy_test.csv",
       "q,a,b,c,d,E\n",
       {"anatomy_test.csv:1: field 'answer'", "expected a letter A-D"}},
      {"CSV with an unclosed quote",
       "mmlu",
       "anatomy_test.csv",
       "q,a,b,c,d,A\n\"open,a,b,c,d,A\n",
       {"anatomy_test.csv:2: ", "expected 6 columns, found 1"}},
      {"CSV with invalid UTF-8",
       "mmlu",
       "anatomy_test.csv",
       "q,\xff,b,c,d,A\n",
       {"anatomy_test.csv:1: field 'A': invalid UTF-8"}},
      {"CSV of an unknown subject",
       "mmlu",
       "astrology_test.csv",
       "q,a,b,c,d,A\n",
       {"astrology_test.csv: ", "unknown MMLU subject \"astrology\""}},
      {"empty file", "piqa", "p.jsonl", "", {"p.jsonl: empty file"}},
      {"blank file", "hellaswag", "h.txt", "\n  \n", {"h.txt: empty file"}},
      {"HellaSwag text item cut short",
       "hellaswag",
       "h.txt",
       "ctx: a\n0\ne1\ne2\ne3\ne4\nctx: b\n1\ne1\n",
       {"h.txt:7: ", "incomplete item: 3 of 6 lines"}},
      {"HellaSwag text gold that is no number",
       "hellaswag",
       "h.txt",
       "ctx: a\nzero\ne1\ne2\ne3\ne4\n",
       {"h.txt:2: field 'label'", "expected a gold index"}},
      {"HellaSwag text gold out of range",
       "hellaswag",
       "h.txt",
       "ctx: a\n4\ne1\ne2\ne3\ne4\n",
       {"h.txt:1: field 'label'", "out of range"}},
      {"HellaSwag JSON test split without label",
       "hellaswag",
       "h.jsonl",
       R"({"activity_label": "x", "ctx_a": "a", "ctx_b": "b", "endings": ["1", "2", "3", "4"], "label": ""})"
       "\n",
       {"h.jsonl:1: field 'label'", "expected an integer"}},
      {"HellaSwag ending that is only markup",
       "hellaswag",
       "h.txt",
       "ctx: a\n0\n[step]\ne2\ne3\ne4\n",
       {"h.txt:1: field 'endings'", "empty after preprocessing"}},
      {"MedMCQA cop out of range",
       "medmcqa",
       "dev.json",
       R"({"question": "q", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 4})"
       "\n"
       R"({"question": "q", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 5})"
       "\n",
       {"dev.json:2: field 'cop'", "out of range"}},
      {"SciQ array element that is no object",
       "sciq",
       "test.json",
       "[" + kSciqGood + ", 7]",
       {"test.json:1: field '[1]': expected a JSON object, found number"}},
      {"SciQ array element that is malformed",
       "sciq",
       "test.json",
       "[" + kSciqGood + ",\n {\"question\": }]",
       {"test.json:2: field '[1]': malformed JSON"}},
      {"SciQ array never closed",
       "sciq",
       "test.json",
       "[\n" + kSciqGood,
       {"test.json:2: ", "unterminated array: no closing ']'"}},
      {"SciQ string never closed",
       "sciq",
       "test.json",
       "[" + kSciqGood + ", {\"question\": \"q]",
       {"test.json:1: ", "unterminated string"}},
      {"SciQ text after the array",
       "sciq",
       "test.json",
       "[" + kSciqGood + "]\n]",
       {"test.json:2: ", "text after the closing ']' of the array"}},
      {"SciQ export with an empty choice",
       "sciq",
       "test.jsonl",
       R"({"question": "q", "support": "", "distractor1": "a", "distractor2": "", )"
       R"("distractor3": "c", "correct_answer": "d"})"
       "\n",
       {"test.jsonl:1: field 'distractor1..3/correct_answer'", "choice 1 is empty"}},
      {"SciQ export with a number for a choice",
       "sciq",
       "test.jsonl",
       R"({"question": "q", "support": "", "distractor1": 1, "distractor2": "b", )"
       R"("distractor3": "c", "correct_answer": "d"})"
       "\n",
       {"test.jsonl:1: field 'distractor1': expected a string, found number"}},
      {"MMLU JSON with three choices",
       "mmlu",
       "test.jsonl",
       R"({"question": "q", "subject": "anatomy", "choices": ["a", "b", "c"], "answer": 0})"
       "\n",
       {"test.jsonl:1: field 'choices'", "expected 4 choices"}},
  };
}

TEST(BadInput, EachCaseNamesFileLineAndField) {
  for (const BadCase& c : Cases()) {
    SCOPED_TRACE(c.what);
    const auto path = WriteFile(llmcal::testing::FreshTempDir("llmcal-bad"), c.file, c.content);
    const std::string error = LoadError(c.task, path);
    for (const std::string& part : c.message_parts) {
      EXPECT_NE(error.find(part), std::string::npos) << "'" << part << "' not in: " << error;
    }
  }
}

TEST(BadInput, UnreadablePaths) {
  const auto dir = llmcal::testing::FreshTempDir("llmcal-bad");
  EXPECT_NE(
      LoadError("custom", dir / "missing.jsonl").find("missing.jsonl: cannot read: no such file"),
      std::string::npos);
  EXPECT_NE(LoadError("custom", dir).find("not a regular file"), std::string::npos);
  EXPECT_NE(LoadError("piqa", dir / "nowhere").find("no such file or folder"), std::string::npos);
}

TEST(BadInput, PiqaLabelsFileWithOtherLineCount) {
  const auto dir = llmcal::testing::FreshTempDir("llmcal-bad");
  const auto data = WriteFile(dir, "valid.jsonl",
                              R"({"goal": "g", "sol1": "a", "sol2": "b"})"
                              "\n"
                              R"({"goal": "g", "sol1": "a", "sol2": "b"})"
                              "\n"
                              R"({"goal": "g", "sol1": "a", "sol2": "b"})"
                              "\n");
  WriteFile(dir, "valid-labels.lst", "0\n1\n");
  const std::string error = LoadError("piqa", data);
  EXPECT_NE(error.find("valid-labels.lst: field 'label': 2 labels for 3 records"),
            std::string::npos)
      << error;
  WriteFile(dir, "valid-labels.lst", "0\n1\n1\n0\n");
  EXPECT_NE(LoadError("piqa", data).find("valid-labels.lst:4: field 'label': 4 labels for 3"),
            std::string::npos);
  WriteFile(dir, "valid-labels.lst", "0\n2\n1\n");
  EXPECT_NE(LoadError("piqa", data).find("valid-labels.lst:2: field 'label': expected 0 or 1"),
            std::string::npos);
  // --skip-bad cannot align labels that do not match the records.
  WriteFile(dir, "valid-labels.lst", "0\n1\n");
  LoadOptions skip;
  skip.skip_bad = true;
  EXPECT_THROW(LoadFrom("piqa", data, skip), InputError);
}

TEST(SkipBad, SkipsAndReportsEachBadRecord) {
  const auto dir = llmcal::testing::FreshTempDir("llmcal-skip");
  const auto path = WriteFile(dir, "c.jsonl",
                              R"({"context": "c1", "choices": ["a", "b"], "gold": 0})"
                              "\n"
                              "not json\n"
                              R"({"context": "c3", "choices": ["a", "b"], "gold": 7})"
                              "\n"
                              R"({"context": "c4", "choices": ["a", "b"], "gold": 1})"
                              "\n");
  LoadOptions skip;
  skip.skip_bad = true;
  const Task task = LoadFrom("custom", path, skip);
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[0].context, "c1");
  EXPECT_EQ(task.items[1].context, "c4");
  ASSERT_EQ(task.skipped.size(), 2u);
  EXPECT_NE(task.skipped[0].find("c.jsonl:2: malformed JSON"), std::string::npos);
  EXPECT_NE(task.skipped[1].find("c.jsonl:3: field 'gold'"), std::string::npos);
  EXPECT_NE(LoadError("custom", path).find("c.jsonl:2: "), std::string::npos);
}

TEST(SkipBad, PiqaLabelsStayAlignedAroundASkippedRecord) {
  const auto dir = llmcal::testing::FreshTempDir("llmcal-skip");
  const auto data = WriteFile(dir, "valid.jsonl",
                              R"({"goal": "g1", "sol1": "a", "sol2": "b"})"
                              "\n"
                              R"({"goal": "g2", "sol1": "a"})"
                              "\n"
                              R"({"goal": "g3", "sol1": "a", "sol2": "b"})"
                              "\n");
  WriteFile(dir, "valid-labels.lst", "0\n1\n1\n");
  LoadOptions skip;
  skip.skip_bad = true;
  const Task task = LoadFrom("piqa", data, skip);
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[1].question, "g3");
  EXPECT_EQ(task.items[1].gold, 1);
  ASSERT_EQ(task.skipped.size(), 1u);
  EXPECT_NE(task.skipped[0].find("valid.jsonl:2: field 'sol2': missing"), std::string::npos);
}

TEST(SkipBad, AllRecordsBadLeavesNoItemsWhichIsAnError) {
  const auto path = WriteFile(llmcal::testing::FreshTempDir("llmcal-skip"), "c.jsonl", "{\n[\n");
  LoadOptions skip;
  skip.skip_bad = true;
  EXPECT_NE(LoadError("custom", path, skip).find("has no items"), std::string::npos);
}

}  // namespace
}  // namespace llmcal::tasks
