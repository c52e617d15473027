// The task names llmcal knows and what each one means: which benchmark loader
// reads it, in which folder under --data its files live, which split it uses
// and, for MMLU, which subjects it pools. A pure lookup: no file access.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/task.h"

namespace llmcal::tasks {

// A data split. Evaluated splits are kTest and kValidation; few-shot
// examples come from kTrain or, for MMLU, kDev.
enum class Split { kTest, kValidation, kTrain, kDev };

// How lm-evaluation-harness picks a task's few-shot examples (docs/fidelity.md
// quotes each rule's source).
struct FewShotRule {
  // The split the examples come from; nullopt: the evaluated items themselves
  // (a user task, which has no other split).
  std::optional<Split> split;
  // kRandom: `random.Random(1234).sample(docs, n)` per evaluated item, in item
  // order (the harness's default ContextSampler); kFirstN: the first n
  // examples (of the item's subject, for MMLU), the harness's first_n.
  enum class Sampler { kRandom, kFirstN } sampler = Sampler::kRandom;
  // Draw n + 1 and drop the evaluated item itself, as the harness does when
  // its config's fewshot_split equals its test_split (both unset for
  // HellaSwag and PIQA; a user task samples its own items).
  bool draw_one_more = false;
};

struct TaskSpec {
  std::string name;
  Benchmark benchmark = Benchmark::kCustom;
  std::string folder;  // the sub-folder of --data that holds its files
  Split split = Split::kTest;
  // MMLU: the subjects the task pools, alphabetical. Empty for other benchmarks.
  std::vector<std::string> subjects;
  FewShotRule fewshot;
};

// The few-shot rule of a benchmark's tasks.
FewShotRule FewShotRuleOf(Benchmark benchmark);

// "test", "validation", "train", "dev".
std::string_view SplitName(Split split);

// The four MMLU subject groups of lm-evaluation-harness, in listing order.
inline constexpr std::string_view kMmluGroups[] = {"stem", "humanities", "social_sciences",
                                                   "other"};

// Returns the 57 MMLU subjects, alphabetical.
const std::vector<std::string>& MmluSubjects();

// Returns the group ("stem", ...) of an MMLU subject, or nullopt for an
// unknown subject.
std::optional<std::string_view> MmluGroupOf(std::string_view subject);

// Returns every built-in task name: arc_easy, arc_challenge, hellaswag,
// medmcqa, mmlu, mmlu_<group> x4, mmlu_<subject> x57, piqa, sciq (in that
// order). The one table of task names: validators and messages derive from it.
std::vector<std::string> BuiltinTaskNames();

// True for the one-subject MMLU tasks (mmlu_<subject>), which listings
// summarize instead of naming all 57.
bool IsMmluSubjectTask(const TaskSpec& spec);

// Returns the spec of a built-in task name, or nullopt when the name is not
// one ("custom:PATH" is handled by task_loader.h, not here).
std::optional<TaskSpec> FindTaskSpec(std::string_view name);

}  // namespace llmcal::tasks
