// Turns what the user names on the command line into a loaded Task:
//   "NAME"          a built-in task, found under --data DIR/<folder>/
//   "NAME=PATH"     a built-in task read from one file or folder
//   "custom:PATH"   a user task (JSONL), see docs/tasks.md
// Item order is the file order; MMLU tasks order their items by subject
// (alphabetical), then file order.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "tasks/task.h"
#include "tasks/task_names.h"

namespace llmcal::tasks {

struct LoadOptions {
  // Skip bad records (each one listed in Task::skipped) instead of failing.
  // File-level problems (unreadable, empty, PIQA label count) still fail.
  bool skip_bad = false;
  // MedMCQA's cop: 0 (0-based) or 1 (1-based); nullopt = decide from the file.
  std::optional<int> medmcqa_cop_base;
};

// A parsed task argument.
struct TaskRef {
  std::string name;                           // "arc_easy", "custom:x.jsonl"
  std::optional<std::filesystem::path> path;  // given with NAME=PATH or custom:PATH
};

// Parses "NAME", "NAME=PATH" or "custom:PATH". Throws InputError for an
// unknown NAME (the message lists the known ones) or an empty PATH.
TaskRef ParseTaskRef(const std::string& argument);

// Loads a task: from ref.path when it has one, else from
// data_dir/<spec.folder>/. Returns a task with at least one item.
// Throws InputError for a missing folder or file, a folder without (or with
// several) files of the task's split, and any bad input the loaders find.
Task LoadTask(const TaskRef& ref, const std::optional<std::filesystem::path>& data_dir,
              const LoadOptions& options);

// Loads the split a task's few-shot examples come from (TaskSpec::fewshot:
// train, or MMLU's dev), found as FindTaskFiles finds the evaluated split,
// in the same folder (the folder of a file given with NAME=PATH), but
// without the single-file fall-back. The task is named "NAME (train)".
// REQUIRES: the task has a few-shot split (a user task has none: its
// examples are its own items).
// Throws InputError naming the folder and the split when no file holds it,
// when several do (except MMLU's per-subject files), and for any bad input
// the loaders find.
Task LoadFewShotTask(const TaskRef& ref, const std::optional<std::filesystem::path>& data_dir,
                     const LoadOptions& options);

// The data files a built-in task reads from `location` (a file, or a folder
// searched for files of the task's split: names with "test", or with "val",
// "valid", "validation" or "dev", as a word of the name or as the name of a
// sub-folder; a folder with a single data file uses it whatever its name).
// Throws InputError when there is none or, except for MMLU, several.
std::vector<std::filesystem::path> FindTaskFiles(const TaskSpec& spec,
                                                 const std::filesystem::path& location);

// Returns the built-in task names whose folder exists under data_dir, in
// BuiltinTaskNames() order (MMLU's groups and subjects when data_dir/mmlu
// exists; a subject only when its file is there).
std::vector<std::string> TasksInDataDir(const std::filesystem::path& data_dir);

}  // namespace llmcal::tasks
