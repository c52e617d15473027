// Every supported file format, on small fixtures written here: the original
// releases and the Hugging Face exports, with the values each must produce.
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

std::filesystem::path Dir() {
  return llmcal::testing::FreshTempDir("llmcal-tasks-formats");
}

TEST(ArcFormats, OriginalReleaseWithNumericKeysAndThreeOrFiveChoices) {
  const auto path =
      WriteFile(Dir(), "ARC-Easy-Test.jsonl",
                R"({"id": "q1", "question": {"stem": "Made of?", "choices": [)"
                R"({"text": "air", "label": "1"}, {"text": "elements", "label": "2"},)"
                R"( {"text": "water", "label": "3"}]}, "answerKey": "2"})"
                "\n"
                R"({"id": "q2", "question": {"stem": "Gas?", "choices": [)"
                R"({"text": "n", "label": "A"}, {"text": "o", "label": "B"},)"
                R"( {"text": "c", "label": "C"}, {"text": "h", "label": "D"},)"
                R"( {"text": "w", "label": "E"}]}, "answerKey": "E"})"
                "\n");
  const Task task = LoadFrom("arc_easy", path);
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[0].id, "q1");
  EXPECT_EQ(task.items[0].question, "Made of?");
  EXPECT_EQ(task.items[0].choices, (Strings{"air", "elements", "water"}));
  EXPECT_EQ(task.items[0].gold, 1);
  EXPECT_EQ(task.items[1].choices.size(), 5u);
  EXPECT_EQ(task.items[1].gold, 4);
  EXPECT_EQ(BuildPrompt(task, 1, PromptStyle::kChoice).continuations,
            (Strings{" A", " B", " C", " D", " E"}));
}

TEST(ArcFormats, HuggingFaceExport) {
  const auto path = WriteFile(Dir(), "test.jsonl",
                              R"({"id": "h1", "question": "Which?", "choices": {"text": )"
                              R"(["x", "y", "z", "w"], "label": ["A", "B", "C", "D"]}, )"
                              R"("answerKey": "C"})"
                              "\n");
  const Task task = LoadFrom("arc_challenge", path);
  ASSERT_EQ(task.items.size(), 1u);
  EXPECT_EQ(task.name, "arc_challenge");
  EXPECT_EQ(task.items[0].id, "h1");
  EXPECT_EQ(task.items[0].question, "Which?");
  EXPECT_EQ(task.items[0].choices, (Strings{"x", "y", "z", "w"}));
  EXPECT_EQ(task.items[0].gold, 2);
}

TEST(HellaswagFormats, OriginalJsonlWithCtxAAndCtxB) {
  const auto path = WriteFile(
      Dir(), "hellaswag_val.jsonl",
      R"({"ind": 24, "activity_label": "Roof shingle removal", "ctx_a": "A man is sitting on a roof.", )"
      R"("ctx_b": "he", "ctx": "A man is sitting on a roof. he", "split": "val", )"
      R"("split_type": "indomain", "label": 3, "endings": ["is using wrap.", "is ripping tiles.", )"
      R"("is holding a cube.", "starts pulling up roofing."], "source_id": "activitynet~v_x"})"
      "\n"
      R"({"ind": 5, "activity_label": "Home and Garden", )"
      R"("ctx_a": "[header] How to clean a sink. [title] Rinse it. [step] Use warm water.", )"
      R"("ctx_b": "", "label": 0, "endings": ["[substeps] Scrub it well.", "Paint it.", )"
      R"("Sell the  house.", "Sing."]})"
      "\n");
  const Task task = LoadFrom("hellaswag", path);
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[0].id, "24");
  EXPECT_EQ(task.items[0].gold, 3);
  const PromptRequest first = BuildPrompt(task, 0, PromptStyle::kContinuation);
  EXPECT_EQ(first.context, "Roof shingle removal: A man is sitting on a roof. He");
  EXPECT_EQ(first.continuations[3], " starts pulling up roofing.");
  const PromptRequest second = BuildPrompt(task, 1, PromptStyle::kContinuation);
  EXPECT_EQ(second.context, "Home and Garden: How to clean a sink.. Rinse it. Use warm water.");
  // preprocess strips before it deletes markup, so a leading tag leaves a space.
  EXPECT_EQ(second.continuations,
            (Strings{"  Scrub it well.", " Paint it.", " Sell the house.", " Sing."}));
  EXPECT_EQ(second.choice_texts[0], " Scrub it well.");
  EXPECT_EQ(BuildPrompt(task, 1, PromptStyle::kChoice).context,
            "Select one of the choices that answers the following question: Home and Garden: "
            "How to clean a sink.. Rinse it. Use warm water. Choices: A. Scrub it well. "
            "B. Paint it. C. Sell the house. D. Sing. Answer:");
}

TEST(HellaswagFormats, HuggingFaceExportWithStringLabels) {
  const auto path = WriteFile(
      Dir(), "validation.jsonl",
      R"({"ind": 7, "activity_label": "Clean and jerk", "ctx_a": "A lady walks to a barbell.", )"
      R"("ctx_b": "the LADY", "endings": ["a", "b", "c", "d"], "label": "1"})"
      "\n");
  const Task task = LoadFrom("hellaswag", path);
  ASSERT_EQ(task.items.size(), 1u);
  EXPECT_EQ(task.items[0].gold, 1);
  // Python's capitalize() also lower-cases the rest of ctx_b.
  EXPECT_EQ(task.items[0].question, "Clean and jerk: A lady walks to a barbell. The lady");
}

TEST(HellaswagFormats, LlamaCppTextRestoresCapitalizedCtxB) {
  const auto path = WriteFile(Dir(), "hellaswag_val_full.txt",
                              "Roof shingle removal: A man is sitting on a roof. he\n3\n"
                              "is using wrap.\nis ripping tiles.\nis holding a cube.\nstarts.\n"
                              "Family Life: How to play. Visit [a site] now. Choose games.\n1\n"
                              "a\nb\nc\nd\n");
  const Task task = LoadFrom("hellaswag", path);
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[0].id, "hellaswag_val_full.txt:1");
  EXPECT_EQ(task.items[1].id, "hellaswag_val_full.txt:7");
  EXPECT_EQ(task.items[0].gold, 3);
  EXPECT_EQ(task.items[1].gold, 1);
  EXPECT_EQ(BuildPrompt(task, 0, PromptStyle::kContinuation).context,
            "Roof shingle removal: A man is sitting on a roof. He");
  EXPECT_EQ(BuildPrompt(task, 1, PromptStyle::kContinuation).context,
            "Family Life: How to play. Visit now. Choose games.");
}

const char* const kMedmcqaOneBased =
    R"({"id": "m1", "question": "Q1?", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 4})"
    "\n"
    R"({"id": "m2", "question": "Q2?", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 1})"
    "\n";

TEST(MedmcqaFormats, OriginalReleaseIsOneBased) {
  const Task task = LoadFrom("medmcqa", WriteFile(Dir(), "dev.json", kMedmcqaOneBased));
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[0].id, "m1");
  EXPECT_EQ(task.items[0].gold, 3);
  EXPECT_EQ(task.items[1].gold, 0);
}

TEST(MedmcqaFormats, HuggingFaceExportIsZeroBased) {
  const auto path = WriteFile(
      Dir(), "validation.jsonl",
      R"({"question": "Q?", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 0, "subject_name": "Anatomy"})"
      "\n"
      R"({"question": "R?", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 3})"
      "\n");
  const Task task = LoadFrom("medmcqa", path);
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[0].gold, 0);
  EXPECT_EQ(task.items[0].subject, "Anatomy");
  EXPECT_EQ(task.items[0].id, "validation.jsonl:1");
  EXPECT_EQ(task.items[1].gold, 3);
}

TEST(MedmcqaFormats, AmbiguousCopNeedsTheOption) {
  const auto path =
      WriteFile(Dir(), "dev.jsonl",
                R"({"question": "Q?", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 2})"
                "\n");
  const std::string error = LoadError("medmcqa", path);
  EXPECT_NE(error.find("dev.jsonl: field 'cop'"), std::string::npos) << error;
  EXPECT_NE(error.find("--medmcqa-cop-base"), std::string::npos) << error;
  LoadOptions one_based;
  one_based.medmcqa_cop_base = 1;
  EXPECT_EQ(LoadFrom("medmcqa", path, one_based).items[0].gold, 1);
  LoadOptions zero_based;
  zero_based.medmcqa_cop_base = 0;
  EXPECT_EQ(LoadFrom("medmcqa", path, zero_based).items[0].gold, 2);
}

TEST(MedmcqaFormats, ZeroAndFourTogetherIsAnError) {
  const auto path =
      WriteFile(Dir(), "dev.jsonl",
                R"({"question": "Q?", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 0})"
                "\n"
                R"({"question": "R?", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 4})"
                "\n");
  EXPECT_NE(LoadError("medmcqa", path).find("both 0 and 4"), std::string::npos);
}

TEST(MmluFormats, OriginalCsvFolderOrdersSubjectsAlphabetically) {
  const auto dir = Dir();
  WriteFile(dir, "mmlu/test/astronomy_test.csv", "\"Star?\",a,b,c,d,D\n");
  WriteFile(dir, "mmlu/test/anatomy_test.csv",
            "\" Bone?\",\" x\",y,z,w,A\n\"Two\nlines?\",\"p, q\",r,s,t,C\n");
  WriteFile(dir, "mmlu/dev/anatomy_dev.csv", "Fewshot?,a,b,c,d,A\n");
  WriteFile(dir, "mmlu/test/philosophy_test.csv", "Why?,a,b,c,d,B\n");
  const Task all = LoadTask(ParseTaskRef("mmlu"), dir, {});
  ASSERT_EQ(all.items.size(), 4u);
  EXPECT_EQ(all.items[0].subject, "anatomy");
  EXPECT_EQ(all.items[0].question, " Bone?");
  EXPECT_EQ(all.items[0].choices, (Strings{" x", "y", "z", "w"}));
  EXPECT_EQ(all.items[0].id, "anatomy_test.csv:1");
  EXPECT_EQ(all.items[1].question, "Two\nlines?");
  EXPECT_EQ(all.items[1].choices[0], "p, q");
  EXPECT_EQ(all.items[1].gold, 2);
  EXPECT_EQ(all.items[2].subject, "astronomy");
  EXPECT_EQ(all.items[3].subject, "philosophy");
  EXPECT_EQ(all.files.size(), 3u);  // the dev split is not read
  const Task stem = LoadTask(ParseTaskRef("mmlu_stem"), dir, {});
  EXPECT_EQ(stem.items.size(), 3u);
  EXPECT_EQ(stem.files.size(), 2u);
  EXPECT_EQ(LoadTask(ParseTaskRef("mmlu_humanities"), dir, {}).items.size(), 1u);
  EXPECT_EQ(LoadTask(ParseTaskRef("mmlu_astronomy"), dir, {}).items.size(), 1u);
  EXPECT_EQ(BuildPrompt(all, 0, PromptStyle::kChoice).context,
            "The following are multiple choice questions (with answers) about anatomy.\n\n"
            "Bone?\nA.  x\nB. y\nC. z\nD. w\nAnswer:");
}

TEST(MmluFormats, CsvQuotingAsPythonReadsIt) {
  const auto path = WriteFile(Dir(), "anatomy_test.csv",
                              "a\"b,x,y,z,w,A\n\"q \"\"quoted\"\"\",x,y,z,w,B\r\nlast,x,y,z,w,C");
  const Task task = LoadFrom("mmlu_anatomy", path);
  ASSERT_EQ(task.items.size(), 3u);
  EXPECT_EQ(task.items[0].question, "a\"b");  // a stray quote is kept
  EXPECT_EQ(task.items[1].question, "q \"quoted\"");
  EXPECT_EQ(task.items[1].gold, 1);
  EXPECT_EQ(task.items[2].question, "last");  // no final line feed
  EXPECT_EQ(task.items[2].id, "anatomy_test.csv:3");
}

TEST(MmluFormats, HuggingFaceJsonlGroupsSubjectsStably) {
  const auto path = WriteFile(
      Dir(), "test.jsonl",
      R"({"question": "V1", "subject": "virology", "choices": ["a", "b", "c", "d"], "answer": 3})"
      "\n"
      R"({"question": "A1", "subject": "anatomy", "choices": ["a", "b", "c", "d"], "answer": 0})"
      "\n"
      R"({"question": "V2", "subject": "virology", "choices": ["a", "b", "c", "d"], "answer": 1})"
      "\n");
  const Task task = LoadFrom("mmlu", path);
  ASSERT_EQ(task.items.size(), 3u);
  EXPECT_EQ(task.items[0].question, "A1");
  EXPECT_EQ(task.items[1].question, "V1");
  EXPECT_EQ(task.items[1].gold, 3);
  EXPECT_EQ(task.items[2].question, "V2");
  EXPECT_EQ(LoadFrom("mmlu_other", path).items.size(), 2u);
  EXPECT_EQ(BuildPrompt(task, 1, PromptStyle::kContinuation).context,
            "The following are questions (with answers) about virology.\n\nQuestion: V1\nAnswer:");
}

TEST(PiqaFormats, OriginalReleaseWithLabelsFile) {
  const auto dir = Dir();
  WriteFile(dir, "piqa/train.jsonl",
            R"({"goal": "t", "sol1": "a", "sol2": "b"})"
            "\n");
  WriteFile(dir, "piqa/valid.jsonl",
            R"({"goal": "g1", "sol1": "a", "sol2": "b"})"
            "\n"
            R"({"goal": "g2", "sol1": "c", "sol2": "d"})"
            "\n");
  WriteFile(dir, "piqa/valid-labels.lst", "1\n0\n");
  const Task task = LoadTask(ParseTaskRef("piqa"), dir, {});
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[0].gold, 1);
  EXPECT_EQ(task.items[1].gold, 0);
  EXPECT_EQ(task.items[1].id, "valid.jsonl:2");
  ASSERT_EQ(task.files.size(), 2u);
  EXPECT_EQ(task.files[1].filename(), "valid-labels.lst");
}

TEST(PiqaFormats, HuggingFaceExportWithLabelField) {
  const auto path = WriteFile(Dir(), "validation.jsonl",
                              R"({"goal": "g", "sol1": "a", "sol2": "b", "label": 1})"
                              "\n");
  const Task task = LoadFrom("piqa", path);
  ASSERT_EQ(task.items.size(), 1u);
  EXPECT_EQ(task.items[0].gold, 1);
  EXPECT_EQ(task.files.size(), 1u);
}

TEST(CustomFormat, ContextChoicesGoldAndOptionalQuestion) {
  const auto path =
      WriteFile(Dir(), "mine.jsonl",
                R"({"context": "2+2 =", "choices": ["4", "5"], "gold": 0})"
                "\n"
                R"({"id": "x7", "context": "Q: sky?\nA:", "question": "What colour is the sky?", )"
                R"("choices": ["blue", "green", "red"], "gold": 0})"
                "\n");
  const Task task = LoadFrom("custom", path);
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.benchmark, Benchmark::kCustom);
  EXPECT_EQ(task.items[0].id, "mine.jsonl:1");
  EXPECT_EQ(task.items[1].id, "x7");
  const PromptRequest plain = BuildPrompt(task, 0, PromptStyle::kContinuation);
  EXPECT_EQ(plain.context, "2+2 =");
  EXPECT_EQ(plain.continuations, (Strings{" 4", " 5"}));
  EXPECT_EQ(BuildPrompt(task, 0, PromptStyle::kChoice).context,
            "Select one of the choices that answers the following question: 2+2 = Choices: "
            "A. 4. B. 5. Answer:");
  EXPECT_EQ(BuildPrompt(task, 1, PromptStyle::kChoice).context,
            "Select one of the choices that answers the following question: What colour is the "
            "sky? Choices: A. Blue. B. Green. C. Red. Answer:");
}

TEST(DataFolders, SplitFilesAreChosenByName) {
  const auto dir = Dir();
  const std::string arc_record =
      R"({"id": "ID", "question": "q", "choices": {"text": ["a", "b"], "label": ["A", "B"]}, "answerKey": "A"})"
      "\n";
  const auto record = [&](const std::string& id) {
    std::string r = arc_record;
    return r.replace(r.find("ID"), 2, id);
  };
  WriteFile(dir, "arc_easy/ARC-Easy-Train.jsonl", record("train"));
  WriteFile(dir, "arc_easy/ARC-Easy-Dev.jsonl", record("dev"));
  WriteFile(dir, "arc_easy/ARC-Easy-Test.jsonl", record("test"));
  WriteFile(dir, "arc_challenge/mine.jsonl", record("only"));
  WriteFile(dir, "hellaswag/hellaswag_val.jsonl", "{}\n");
  WriteFile(dir, "hellaswag/validation.jsonl", "{}\n");
  EXPECT_EQ(LoadTask(ParseTaskRef("arc_easy"), dir, {}).items[0].id, "test");
  EXPECT_EQ(LoadTask(ParseTaskRef("arc_challenge"), dir, {}).items[0].id, "only");
  EXPECT_THROW(LoadTask(ParseTaskRef("arc_easy"), std::nullopt, {}), InputError);
  try {
    LoadTask(ParseTaskRef("hellaswag"), dir, {});
    ADD_FAILURE() << "two validation files must be ambiguous";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("several files"), std::string::npos) << e.what();
  }
  try {
    LoadTask(ParseTaskRef("piqa"), dir, {});
    ADD_FAILURE() << "a missing folder must fail";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no such file or folder"), std::string::npos);
  }
  EXPECT_EQ(TasksInDataDir(dir), (Strings{"arc_easy", "arc_challenge", "hellaswag"}));
}

}  // namespace
}  // namespace llmcal::tasks
