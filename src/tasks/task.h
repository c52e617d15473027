// A benchmark task in memory: its items, in the task's order, and the files
// they came from. A Task owns its items; loaders (task_loader.h) build it and
// the prompt builder (prompt_builder.h) only reads it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace llmcal::tasks {

// Which benchmark's templates render a task's items.
enum class Benchmark { kArc, kHellaSwag, kMedMcqa, kMmlu, kPiqa, kSciq, kCustom };

// One multiple-choice question, as the benchmark states it (before any
// template is applied).
struct Item {
  // The record's own id when it has one (ARC id, HellaSwag ind, MedMCQA id,
  // a user task's id), else "<file name>:<line>" of the record.
  std::string id;
  // The text a template inserts as the question: ARC question stem, PIQA goal,
  // MMLU/MedMCQA/SciQ question, HellaSwag "activity_label: ctx_a Ctx_b" (not
  // yet preprocessed), a user task's optional "question" (empty when absent).
  std::string question;
  // SciQ's support paragraph, as in the file (may be empty); empty for the
  // other benchmarks.
  std::string passage;
  // A user task's context, used verbatim; empty for the benchmarks.
  std::string context;
  // The answer texts, in order, as in the file (HellaSwag endings not yet
  // preprocessed). At least 2, at most 26, none empty.
  std::vector<std::string> choices;
  // 0-based index of the correct choice.
  int gold = -1;
  // MMLU subject ("high_school_biology"); MedMCQA subject_name when present.
  std::string subject;
};

struct Task {
  std::string name;  // as asked for: "arc_easy", "mmlu_stem", "custom:my.jsonl"
  Benchmark benchmark = Benchmark::kCustom;
  std::vector<Item> items;
  std::vector<std::filesystem::path> files;  // every file read, in reading order
  // With LoadOptions::skip_bad: one message per skipped record ("file:line:
  // field 'x': what"), in reading order. Empty otherwise.
  std::vector<std::string> skipped;
};

}  // namespace llmcal::tasks
