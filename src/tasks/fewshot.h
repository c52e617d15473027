// Few-shot examples, chosen as lm-evaluation-harness v0.4 chooses them
// (api/samplers.py, api/task.py; docs/fidelity.md quotes every rule). Which
// split they come from and how they are drawn is the task's FewShotRule
// (task_names.h):
//   - first_n (MMLU): the first K examples of the item's subject in the dev
//     split, the same for every item of the subject;
//   - random (every other task): one generator per task,
//     Python's random.Random(1234), and per evaluated item, in item order,
//     sample(examples, K); or, for tasks whose harness config makes
//     fewshot_split equal test_split, sample(examples, K + 1) with every
//     draw equal to the evaluated item removed and the first K kept.
// The generator is stateful: item i's examples depend on how many items come
// before it in the selection. So a plan is made once for a whole selection
// (as the harness builds all requests before it scores), and shards, blocks
// and resumed runs render from the same plan.
//
//   FewShotPlan plan = PlanFewShot(ref, task, data_dir, options, selected, 5);
//   PromptRequest r = BuildPrompt(task, i, style, plan.ExamplesOf(i));
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <vector>

#include "tasks/task.h"
#include "tasks/task_loader.h"

namespace llmcal::tasks {

// The seed of the harness's few-shot generator: `rnd=random.Random(1234)`
// in ConfigurableTask.__init__ (v0.4.0-v0.4.2) and the default
// fewshot_random_seed of simple_evaluate (v0.4.3 on).
inline constexpr std::uint64_t kFewShotSeed = 1234;

// The most examples --num-fewshot (and a study's num_fewshot) accepts: far
// above any benchmark's use (25 for ARC on the Open LLM Leaderboard).
inline constexpr std::size_t kMaxNumFewShot = 1000;

// The examples chosen for a selection of a task's items.
struct FewShotPlan {
  std::size_t num_fewshot = 0;
  // The examples' items: the few-shot split, or the task itself (a user task).
  Task source;
  // Per selected item index: positions in source.items, in prompt order.
  std::map<std::size_t, std::vector<std::size_t>> examples;

  // Returns the examples of item `index` in prompt order (none when
  // num_fewshot is 0). Throws std::out_of_range when the plan did not
  // choose for that item.
  std::vector<const Item*> ExamplesOf(std::size_t index) const;
};

// Chooses `num_fewshot` examples from `source` for each item of `selected`
// (indices into task.items, ascending: the order the harness iterates its
// documents), by the few-shot rule of task.benchmark (above).
// Throws InputError when the source has too few examples (fewer than K, or
// K + 1 where the rule draws one more; for first_n, fewer than K of an
// item's subject), naming the task, the split and its files.
FewShotPlan ChooseFewShot(const Task& task, Task source, const std::vector<std::size_t>& selected,
                          std::size_t num_fewshot);

// Loads the task's few-shot split (LoadFewShotTask; a user task's examples
// are its own items) and chooses. With num_fewshot == 0 it reads nothing and
// returns an empty plan.
// Throws as LoadFewShotTask and ChooseFewShot do.
FewShotPlan PlanFewShot(const TaskRef& ref, const Task& task,
                        const std::optional<std::filesystem::path>& data_dir,
                        const LoadOptions& options, const std::vector<std::size_t>& selected,
                        std::size_t num_fewshot);

// True when two items are the same document for the harness's
// `x != doc` test: equal question, passage, context, choices, gold and
// subject (the fields of the record; ids are not compared).
bool SameDocument(const Item& a, const Item& b);

}  // namespace llmcal::tasks
