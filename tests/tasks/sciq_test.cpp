// SciQ (lm-evaluation-harness's `sciq` task) on small hand-written fixtures in
// both formats it comes in: the original release (one JSON array per file,
// train.json / valid.json / test.json) and the allenai/sciq JSONL export.
// The expected prompts are written out by hand from the harness's sciq.yaml:
//   doc_to_text:   "{{support.lstrip()}}\nQuestion: {{question}}\nAnswer:"
//   doc_to_choice: "{{[distractor1, distractor2, distractor3, correct_answer]}}"
//   doc_to_target: 3
// and, for the lettered style, Yang et al.'s Y with the context up to its
// "\nAnswer:" as the question (docs/tasks.md).
#include <gtest/gtest.h>

#include "fixture_files.h"
#include "support/test_data.h"
#include "tasks/prompt_builder.h"
#include "tasks/task_loader.h"

namespace llmcal::tasks {
namespace {

using testing::LoadError;
using testing::LoadFrom;
using testing::WriteFile;
using Strings = std::vector<std::string>;

const std::string kYang = "Select one of the choices that answers the following question: ";

// Three records: a support with leading spaces and a trailing newline, an
// empty support, a support that starts with U+00A0 and a tab (Python's
// lstrip() removes both).
const char* const kRecords[] = {
    R"({"question": "What do plants use to make food?", "distractor3": "wind", )"
    R"("distractor1": "sound", "distractor2": "heat from the soil", "correct_answer": "light", )"
    R"("support": " \nPlants make food by photosynthesis, using light.\n"})",
    R"({"question": "Which planet is closest to the sun?", "distractor3": "Mars", )"
    R"("distractor1": "Venus", "distractor2": "Earth", "correct_answer": "Mercury", "support": ""})",
    R"({"question": "At what temperature does water boil at sea level?", )"
    R"("distractor3": "212 degrees", "distractor1": "50 degrees", "distractor2": "0 degrees", )"
    R"("correct_answer": "100 degrees", "support": "\u00a0\tWater boils at 100 degrees."})",
};

struct Golden {
  std::string continuation_context;
  Strings continuations;
  std::string choice_context;
};

const Golden kGoldens[] = {
    {"Plants make food by photosynthesis, using light.\n\nQuestion: What do plants use to make "
     "food?\nAnswer:",
     {" sound", " heat from the soil", " wind", " light"},
     kYang + "Plants make food by photosynthesis, using light.\n\nQuestion: What do plants use "
             "to make food? Choices: A. Sound. B. Heat from the soil. C. Wind. D. Light. Answer:"},
    {"\nQuestion: Which planet is closest to the sun?\nAnswer:",
     {" Venus", " Earth", " Mars", " Mercury"},
     kYang + "\nQuestion: Which planet is closest to the sun? Choices: A. Venus. B. Earth. "
             "C. Mars. D. Mercury. Answer:"},
    {"Water boils at 100 degrees.\nQuestion: At what temperature does water boil at sea "
     "level?\nAnswer:",
     {" 50 degrees", " 0 degrees", " 212 degrees", " 100 degrees"},
     kYang + "Water boils at 100 degrees.\nQuestion: At what temperature does water boil at sea "
             "level? Choices: A. 50 degrees. B. 0 degrees. C. 212 degrees. D. 100 degrees. "
             "Answer:"},
};

std::filesystem::path Dir() {
  return llmcal::testing::FreshTempDir("llmcal-sciq");
}

// The original release writes the array on one line.
std::string OriginalRelease() {
  return std::string("[") + kRecords[0] + ", " + kRecords[1] + ", " + kRecords[2] + "]";
}

std::string HuggingFaceExport() {
  return std::string(kRecords[0]) + "\n" + kRecords[1] + "\n" + kRecords[2] + "\n";
}

void ExpectGoldenPrompts(const Task& task) {
  ASSERT_EQ(task.items.size(), std::size(kGoldens));
  for (std::size_t i = 0; i < task.items.size(); ++i) {
    SCOPED_TRACE("item " + std::to_string(i));
    EXPECT_EQ(task.items[i].gold, 3);
    const PromptRequest continuation = BuildPrompt(task, i, PromptStyle::kContinuation);
    EXPECT_EQ(continuation.context, kGoldens[i].continuation_context);
    EXPECT_EQ(continuation.continuations, kGoldens[i].continuations);
    EXPECT_EQ(continuation.gold, 3);
    const PromptRequest lettered = BuildPrompt(task, i, PromptStyle::kChoice);
    EXPECT_EQ(lettered.context, kGoldens[i].choice_context);
    EXPECT_EQ(lettered.continuations, (Strings{" A", " B", " C", " D"}));
    EXPECT_EQ(lettered.gold, 3);
  }
}

TEST(SciqFormats, OriginalReleaseArray) {
  const Task task = LoadFrom("sciq", WriteFile(Dir(), "test.json", OriginalRelease()));
  ASSERT_EQ(task.items.size(), 3u);
  EXPECT_EQ(task.items[0].id, "test.json[0]") << "records share line 1: ids use the position";
  EXPECT_EQ(task.items[2].id, "test.json[2]");
  EXPECT_EQ(task.items[1].question, "Which planet is closest to the sun?");
  EXPECT_EQ(task.items[1].passage, "");
  EXPECT_EQ(task.items[1].choices, (Strings{"Venus", "Earth", "Mars", "Mercury"}));
  ExpectGoldenPrompts(task);
}

TEST(SciqFormats, HuggingFaceExport) {
  const Task task = LoadFrom("sciq", WriteFile(Dir(), "sciq_test.jsonl", HuggingFaceExport()));
  ASSERT_EQ(task.items.size(), 3u);
  EXPECT_EQ(task.items[0].id, "sciq_test.jsonl:1");
  EXPECT_EQ(task.items[2].id, "sciq_test.jsonl:3");
  ExpectGoldenPrompts(task);
}

TEST(SciqFormats, PrettyPrintedArrayLocatesEachRecordByLine) {
  const std::string text = std::string("[\n  ") + kRecords[0] + ",\n\n  " + kRecords[1] +
                           ",\n  {\"question\": \"q\", \"support\": \"\",\n   \"distractor1\": "
                           "\"a\", \"distractor2\": \"b\", \"distractor3\": \"c\"}\n]\n";
  const auto path = WriteFile(Dir(), "test.json", text);
  EXPECT_NE(LoadError("sciq", path).find("test.json:5: field '[2].correct_answer': missing"),
            std::string::npos)
      << LoadError("sciq", path);
  LoadOptions skip;
  skip.skip_bad = true;
  const Task task = LoadFrom("sciq", path, skip);
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[1].id, "test.json[1]");
  ASSERT_EQ(task.skipped.size(), 1u);
  EXPECT_NE(task.skipped[0].find("test.json:5: field '[2].correct_answer'"), std::string::npos);
}

// A data folder laid out as the original release: the test split is read.
TEST(SciqFormats, DataFolderUsesTheTestSplit) {
  const auto dir = Dir();
  WriteFile(dir, "sciq/train.json", std::string("[") + kRecords[0] + "]");
  WriteFile(dir, "sciq/valid.json", std::string("[") + kRecords[1] + "]");
  WriteFile(dir, "sciq/test.json", OriginalRelease());
  const Task task = LoadTask(ParseTaskRef("sciq"), dir, {});
  ASSERT_EQ(task.files.size(), 1u);
  EXPECT_EQ(task.files[0].filename(), "test.json");
  EXPECT_EQ(task.items.size(), 3u);
  const auto names = TasksInDataDir(dir);
  EXPECT_NE(std::find(names.begin(), names.end(), "sciq"), names.end());
}

}  // namespace
}  // namespace llmcal::tasks
