// Renders a task's items into scoring requests: the context and the exact
// continuations a model scores, following lm-evaluation-harness v0.4 prompts,
// zero-shot or with few-shot examples (see docs/tasks.md for every template,
// docs/fidelity.md for the harness's rules). Pure functions of the Task and
// the examples chosen (fewshot.h).
//
// A context is the harness's fewshot_context: the description (MMLU), then
// per example its text, " " and its answer, then "\n\n", then the item's text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/name_table.h"
#include "tasks/fewshot.h"
#include "tasks/task.h"

namespace llmcal::tasks {

enum class PromptStyle {
  kContinuation,  // continuations are the answer texts: " " + choice
  kChoice,        // lettered: the context lists the choices, continuations " A", " B", ...
};

// The one table of the styles' names (common/name_table.h).
inline constexpr NamedValue<PromptStyle> kPromptStyleNames[] = {
    {PromptStyle::kContinuation, "continuation"}, {PromptStyle::kChoice, "choice"}};
inline constexpr auto kAllPromptStyles = ValuesOf(kPromptStyleNames);

// Identifies each prompt set; stored with every result so that numbers from
// different template versions are never mixed. Changes whenever a rendered
// string would change.
inline constexpr std::string_view kContinuationTemplateVersion = "lm-eval-0.4-zeroshot/1";
inline constexpr std::string_view kChoiceTemplateVersion =
    "lm-eval-0.4-zeroshot-lettered+yang2024/1";

// The template version of a style with `num_fewshot` examples:
// "lm-eval-0.4-zeroshot/1" at 0, "lm-eval-0.4-5shot/1" at 5 (and the same
// for the lettered style's "lm-eval-0.4-5shot-lettered+yang2024/1").
std::string TemplateVersion(PromptStyle style, std::size_t num_fewshot = 0);

// "continuation" / "choice".
inline std::string_view PromptStyleName(PromptStyle style) {
  return NameIn(kPromptStyleNames, style);
}
// Returns the style named `name` (as PromptStyleName spells it), or nullopt.
inline std::optional<PromptStyle> ParsePromptStyle(std::string_view name) {
  return ValueIn(kPromptStyleNames, name);
}

// One item rendered in one style.
struct PromptRequest {
  std::string task;       // Task::name
  std::size_t index = 0;  // the item's 0-based position in the task's order
  std::string id;         // Item::id
  std::string context;
  // Exactly what is scored after the context, target delimiter (" ") included.
  std::vector<std::string> continuations;
  // The answer texts without the delimiter (continuation style: the rendered
  // choice, e.g. the preprocessed HellaSwag ending; choice style: "A", "B",
  // ...): what the chars/bytes confidence methods divide by.
  std::vector<std::string> choice_texts;
  int gold = -1;
};

// Renders item `index` of `task`, after `examples` (items of the task's
// few-shot split, in prompt order; none: zero-shot).
// REQUIRES: index < task.items.size(); each example has a valid gold index.
PromptRequest BuildPrompt(const Task& task, std::size_t index, PromptStyle style,
                          const std::vector<const Item*>& examples = {});

// Renders the items at `indices` (each < task.items.size()), in that order,
// each after the examples `fewshot` chose for it (an empty plan: zero-shot).
// Throws std::out_of_range for an item the plan has no examples for.
std::vector<PromptRequest> BuildPrompts(const Task& task, const std::vector<std::size_t>& indices,
                                        PromptStyle style, const FewShotPlan& fewshot = {});

// Yang et al. 2024's choice text: stripped, first character upper-cased, a
// final period added when there is none ("boil it" -> "Boil it.").
std::string YangChoiceText(std::string_view choice);

}  // namespace llmcal::tasks
