// Which llmcal task an lm-evaluation-harness task's samples become, and at
// which item indices: the harness's task names that llmcal knows map to its
// own (arc_easy, arc_challenge, hellaswag, medmcqa, piqa, sciq as they are;
// mmlu_<subject> and mmlu_continuation_<subject> pooled into mmlu, at the
// subject's place in mmlu's item order), others keep their name. A task map
// file renames tasks first and says how to read their targets
// (docs/fidelity.md, "Importing lm-evaluation-harness samples"). Pure
// lookups, apart from reading the task map file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmcal::import {

// How a target logged as a string is read.
enum class TargetReading {
  kAuto,   // an index when it is a decimal integer that no choice text equals,
           // the position of the choice text it equals otherwise
  kIndex,  // always an index ("2")
  kText,   // always a choice text
};

// What a task map says about one harness task.
struct TaskRule {
  std::string name;  // the llmcal task name its samples become
  TargetReading target = TargetReading::kAuto;
  // The text between context and choice (the harness's target_delimiter);
  // nullopt: one space when every continuation of a document starts with one.
  std::optional<std::string> target_delimiter;
};

// A task map file (TOML):
//
//   [tasks]
//   arc_easy_mc = "arc_easy"                       # rename
//   my_task = { name = "my_task", target = "text", target_delimiter = "" }
class TaskMap {
 public:
  TaskMap() = default;
  // Reads `path`. Throws InputError naming the file, line and key for
  // malformed TOML, an unknown key, a key of the wrong type, an empty name
  // or a target other than "auto", "index" or "text".
  static TaskMap Read(const std::filesystem::path& path);

  // The rule for `harness_task`, or nullptr when the map has none.
  const TaskRule* Find(std::string_view harness_task) const;
  // The harness task names the map has rules for.
  std::vector<std::string> HarnessNames() const;

 private:
  std::map<std::string, TaskRule, std::less<>> rules_;
};

// Where one task's samples go.
struct TaskDestination {
  std::string task;     // llmcal task name: "mmlu" for a subject
  std::string subject;  // the MMLU subject, else ""
  // Added to a document's doc_id to give its item index (the subject's first
  // index in mmlu's order; 0 otherwise).
  std::int64_t index_offset = 0;
  // Documents of the harness task's split (a doc_id must be below), when known.
  std::optional<std::int64_t> documents;
  // Items of the llmcal task, when known.
  std::optional<std::int64_t> task_items;
};

// Returns where the samples of `name` go: `name` is the harness's task name,
// or what the task map renamed it to.
TaskDestination DestinationOf(std::string_view name);

// The 57 MMLU subjects with their test-split item counts, alphabetical: the
// order of llmcal's mmlu task (docs/tasks.md), and so each subject's offset.
const std::map<std::string, std::int64_t, std::less<>>& MmluTestCounts();

}  // namespace llmcal::import
