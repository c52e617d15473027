// Prompts of the real fixtures as a whole: every item of every task renders
// in both styles, choice texts, template versions. The exact strings of
// chosen items are case files (prompt_cases/zeroshot_*.case, run by
// prompt_cases_test.cpp).
#include <gtest/gtest.h>

#include "real_tasks.h"
#include "tasks/prompt_builder.h"

namespace llmcal::tasks {
namespace {

using testing::RealTask;
using Strings = std::vector<std::string>;

TEST(GoldenPrompts, ChoiceTextsAreTheContinuationsWithoutTheDelimiter) {
  const PromptRequest piqa = BuildPrompt(RealTask("piqa"), 1, PromptStyle::kContinuation);
  EXPECT_EQ(piqa.choice_texts,
            (Strings{"replace drawer with bobby pin ", "finish, woodgrain with  bobby pin "}));
  const PromptRequest lettered = BuildPrompt(RealTask("arc_easy"), 93, PromptStyle::kChoice);
  EXPECT_EQ(lettered.choice_texts, (Strings{"A", "B", "C"}));
}

TEST(GoldenPrompts, EveryItemOfEveryTaskRendersInBothStyles) {
  for (const char* name : {"arc_easy", "hellaswag", "medmcqa", "mmlu", "piqa"}) {
    const Task& task = RealTask(name);
    for (PromptStyle style : {PromptStyle::kContinuation, PromptStyle::kChoice}) {
      for (std::size_t i = 0; i < task.items.size(); ++i) {
        const PromptRequest request = BuildPrompt(task, i, style);
        ASSERT_EQ(request.continuations.size(), task.items[i].choices.size()) << name << i;
        for (std::size_t k = 0; k < request.continuations.size(); ++k) {
          ASSERT_EQ(request.continuations[k], " " + request.choice_texts[k]) << name << i;
        }
        ASSERT_FALSE(request.context.empty()) << name << i;
      }
    }
  }
}

TEST(GoldenPrompts, TemplateVersions) {
  EXPECT_EQ(TemplateVersion(PromptStyle::kContinuation), "lm-eval-0.4-zeroshot/1");
  EXPECT_EQ(TemplateVersion(PromptStyle::kChoice), "lm-eval-0.4-zeroshot-lettered+yang2024/1");
  EXPECT_EQ(TemplateVersion(PromptStyle::kContinuation, 5), "lm-eval-0.4-5shot/1");
  EXPECT_EQ(TemplateVersion(PromptStyle::kChoice, 25), "lm-eval-0.4-25shot-lettered+yang2024/1");
  EXPECT_EQ(ParsePromptStyle("choice"), PromptStyle::kChoice);
  EXPECT_EQ(ParsePromptStyle("continuation"), PromptStyle::kContinuation);
  EXPECT_FALSE(ParsePromptStyle("lettered"));
}

}  // namespace
}  // namespace llmcal::tasks
