// One loader per benchmark file format. Each reads one file (PIQA: with its
// labels file), appends the file's items in file order to task.items and
// every file it read to task.files. A bad record goes to `policy` (error or
// skip); a bad file (unreadable, empty, inconsistent as a whole) always throws
// InputError. Loaders take the format from the file name's extension and the
// records' fields (see docs/tasks.md for the formats).
#pragma once

#include <filesystem>
#include <optional>

#include "common/record_source.h"
#include "tasks/task.h"

namespace llmcal::tasks {

// AI2 ARC JSONL (question.stem, question.choices[{text,label}], answerKey) or
// the Hugging Face allenai/ai2_arc export (question, choices{text[],label[]},
// answerKey); answer keys A-E or 1-5.
void LoadArcFile(const std::filesystem::path& path, BadRecordPolicy& policy, Task& task);

// HellaSwag: .txt is llama.cpp's 6-lines-per-item text format; anything else
// is JSONL with activity_label, ctx_a, ctx_b, endings, label (the original
// release and the Rowan/hellaswag export).
void LoadHellaswagFile(const std::filesystem::path& path, BadRecordPolicy& policy, Task& task);

// MedMCQA JSONL (question, opa..opd, cop). `cop_base` forces cop to be read as
// 0-based (0) or 1-based (1); without it the file's values decide (a 0 means
// 0-based, a 4 means 1-based) and a file with neither, or both, is an error.
void LoadMedmcqaFile(const std::filesystem::path& path, std::optional<int> cop_base,
                     BadRecordPolicy& policy, Task& task);

// MMLU: .csv is the original release (no header: question, A, B, C, D,
// answer letter; subject from the name "<subject>_<split>.csv"); otherwise the
// cais/mmlu JSONL export (question, subject, choices[4], answer 0-3). Items of
// subjects outside `subjects` are left out (they belong to other MMLU tasks).
void LoadMmluFile(const std::filesystem::path& path, const std::vector<std::string>& subjects,
                  BadRecordPolicy& policy, Task& task);

// PIQA JSONL (goal, sol1, sol2). Gold labels come from "<stem>-labels.lst"
// beside the file when it exists (the original release; one 0/1 per line, as
// many lines as records), else from each record's "label" (baber/piqa export).
void LoadPiqaFile(const std::filesystem::path& path, BadRecordPolicy& policy, Task& task);

// SciQ: the original release (one JSON array of records, e.g. test.json) or
// the allenai/sciq JSONL export; both have question, support, distractor1..3
// and correct_answer. The gold choice is always correct_answer, listed last.
void LoadSciqFile(const std::filesystem::path& path, BadRecordPolicy& policy, Task& task);

// A user task: JSONL {"context": ..., "choices": [...], "gold": k} with
// optional "question" and "id".
void LoadCustomFile(const std::filesystem::path& path, BadRecordPolicy& policy, Task& task);

// Returns the labels file the original PIQA release pairs with `data_file`
// (valid.jsonl -> valid-labels.lst).
std::filesystem::path PiqaLabelsPath(const std::filesystem::path& data_file);

// Throws where.Error(...) unless the item has 2..26 choices, none of them
// empty, and a gold index among them.
void CheckItem(const Item& item, const RecordLocation& where, const std::string& choices_field,
               const std::string& gold_field);

}  // namespace llmcal::tasks
