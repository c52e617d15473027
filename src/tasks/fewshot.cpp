#include "tasks/fewshot.h"

#include <fmt/format.h>

#include <stdexcept>
#include <string>

#include "common/error.h"
#include "tasks/python_random.h"
#include "tasks/task_names.h"

namespace llmcal::tasks {
namespace {

std::string FilesText(const Task& source) {
  std::string out;
  for (const std::filesystem::path& file : source.files) {
    out += (out.empty() ? "" : ", ") + file.string();
  }
  return out;
}

InputError TooFewExamples(const Task& task, const Task& source, std::size_t wanted,
                          std::size_t available, const std::string& what) {
  return InputError(
      fmt::format("task {}: {} few-shot examples are needed per item{}, but {} has {} ({})",
                  task.name, wanted, what, source.name, available, FilesText(source)));
}

// first_n: the first K items of each item's subject, in the source's order.
void ChooseFirstN(const Task& task, const Task& source, const std::vector<std::size_t>& selected,
                  FewShotPlan& plan) {
  std::map<std::string, std::vector<std::size_t>> by_subject;
  for (std::size_t i = 0; i < source.items.size(); ++i) {
    by_subject[source.items[i].subject].push_back(i);
  }
  for (std::size_t index : selected) {
    const std::string& subject = task.items.at(index).subject;
    const std::vector<std::size_t>& pool = by_subject[subject];
    if (pool.size() < plan.num_fewshot) {
      throw TooFewExamples(task, source, plan.num_fewshot, pool.size(),
                           subject.empty() ? "" : " of subject " + subject);
    }
    plan.examples[index].assign(pool.begin(),
                                pool.begin() + static_cast<std::ptrdiff_t>(plan.num_fewshot));
  }
}

// The default sampler: one generator, one sample per item in item order.
void ChooseRandom(const Task& task, const Task& source, const std::vector<std::size_t>& selected,
                  bool draw_one_more, FewShotPlan& plan) {
  const std::size_t draws = plan.num_fewshot + (draw_one_more ? 1 : 0);
  if (draws > source.items.size()) {
    throw TooFewExamples(
        task, source, draws, source.items.size(),
        draw_one_more ? " (the harness draws one more and drops the item itself)" : "");
  }
  PythonRandom rnd(kFewShotSeed);
  for (std::size_t index : selected) {
    const Item& item = task.items.at(index);
    std::vector<std::size_t>& chosen = plan.examples[index];
    for (std::size_t position : rnd.Sample(source.items.size(), draws)) {
      if (chosen.size() < plan.num_fewshot && !SameDocument(source.items[position], item)) {
        chosen.push_back(position);
      }
    }
  }
}

}  // namespace

std::vector<const Item*> FewShotPlan::ExamplesOf(std::size_t index) const {
  std::vector<const Item*> out;
  if (num_fewshot == 0) {
    return out;
  }
  for (std::size_t position : examples.at(index)) {
    out.push_back(&source.items.at(position));
  }
  return out;
}

bool SameDocument(const Item& a, const Item& b) {
  return a.question == b.question && a.passage == b.passage && a.context == b.context &&
         a.choices == b.choices && a.gold == b.gold && a.subject == b.subject;
}

FewShotPlan ChooseFewShot(const Task& task, Task source, const std::vector<std::size_t>& selected,
                          std::size_t num_fewshot) {
  FewShotPlan plan;
  plan.num_fewshot = num_fewshot;
  plan.source = std::move(source);
  if (num_fewshot == 0) {
    return plan;
  }
  const FewShotRule rule = FewShotRuleOf(task.benchmark);
  if (rule.sampler == FewShotRule::Sampler::kFirstN) {
    ChooseFirstN(task, plan.source, selected, plan);
  } else {
    ChooseRandom(task, plan.source, selected, rule.draw_one_more, plan);
  }
  return plan;
}

FewShotPlan PlanFewShot(const TaskRef& ref, const Task& task,
                        const std::optional<std::filesystem::path>& data_dir,
                        const LoadOptions& options, const std::vector<std::size_t>& selected,
                        std::size_t num_fewshot) {
  if (num_fewshot == 0) {
    return FewShotPlan{};
  }
  Task source;
  if (FewShotRuleOf(task.benchmark).split) {
    source = LoadFewShotTask(ref, data_dir, options);
  } else {
    source = task;
    source.skipped.clear();  // reported with the task
  }
  return ChooseFewShot(task, std::move(source), selected, num_fewshot);
}

}  // namespace llmcal::tasks
