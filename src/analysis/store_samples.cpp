#include "analysis/store_samples.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "common/error.h"
#include "tasks/prompt_builder.h"
#include "tasks/task_names.h"

namespace llmcal::analysis {

namespace cal = calibration;

std::string_view StyleOf(cal::ConfidenceMethod method) {
  return tasks::PromptStyleName(method == cal::ConfidenceMethod::kChoice
                                    ? tasks::PromptStyle::kChoice
                                    : tasks::PromptStyle::kContinuation);
}

StoreSamples::StoreSamples(store::Store& store) : store_(store), runs_(store.ListRuns()) {
  for (const store::RunRecord& run : runs_)
    by_key_[{run.model, run.task, run.style}] = &run;
}

std::vector<std::string> StoreSamples::Models() const {
  std::vector<std::string> names;
  for (const store::RunRecord& run : runs_) {
    if (std::find(names.begin(), names.end(), run.model) == names.end())
      names.push_back(run.model);
  }
  return names;
}

bool StoreSamples::HasModel(const std::string& model) const {
  return std::any_of(runs_.begin(), runs_.end(),
                     [&](const store::RunRecord& r) { return r.model == model; });
}

bool StoreSamples::StyleWasRun(std::string_view style) const {
  return std::any_of(runs_.begin(), runs_.end(),
                     [&](const store::RunRecord& r) { return r.style == style; });
}

std::optional<Sample> StoreSamples::Find(const std::string& model, const std::string& task,
                                         std::string_view style) {
  if (const store::RunRecord* run = Run(model, task, style))
    return Select(*run, {});
  const std::optional<tasks::TaskSpec> spec = tasks::FindTaskSpec(task);
  if (!spec || spec->benchmark != tasks::Benchmark::kMmlu || task == "mmlu")
    return std::nullopt;
  const store::RunRecord* mmlu = Run(model, "mmlu", style);
  if (mmlu == nullptr)
    return std::nullopt;
  return Select(*mmlu, std::set<std::string>(spec->subjects.begin(), spec->subjects.end()));
}

cal::ChoiceProbabilities StoreSamples::Probabilities(const Sample& sample,
                                                     cal::ConfidenceMethod method) const {
  cal::ChoiceProbabilities data;
  std::vector<double> scores;
  for (const store::ItemSummary* item : sample.items) {
    scores.clear();
    for (std::int64_t k = 0; k < item->n_choices; ++k) {
      const store::ChoiceSummary& c =
          sample.scores->choices[item->first_choice + static_cast<std::size_t>(k)];
      scores.push_back(
          cal::SummaryScore(method, {.sum = c.sum,
                                     .min = c.min,
                                     .num_tokens = static_cast<std::size_t>(c.n_tokens),
                                     .num_chars = static_cast<std::size_t>(c.n_chars),
                                     .num_bytes = static_cast<std::size_t>(c.n_bytes)}));
    }
    try {
      data.AddScores(scores, static_cast<int>(item->gold));
    } catch (const std::invalid_argument& e) {
      const store::RunRecord& run = *sample.run;
      throw InputError::At(
          file(), 0, "",
          fmt::format("run {} (model {}, task {}, {} style) item {}, method {}: {}", run.id,
                      run.model, run.task, run.style, item->index, cal::MethodName(method),
                      e.what()));
    }
  }
  return data;
}

const store::RunRecord* StoreSamples::Run(const std::string& model, const std::string& task,
                                          std::string_view style) const {
  const auto it = by_key_.find({model, task, std::string(style)});
  return it == by_key_.end() ? nullptr : it->second;
}

Sample StoreSamples::Select(const store::RunRecord& run, const std::set<std::string>& subjects) {
  auto [it, inserted] = scores_.try_emplace(run.id);
  if (inserted)
    it->second = store_.ReadScores(run.id);
  Sample sample;
  sample.run = &run;
  sample.scores = &it->second;
  for (const store::ItemSummary& item : it->second.items) {
    if (!subjects.empty() && !subjects.contains(item.subject))
      continue;
    if (item.failed) {
      ++sample.failed;
    } else {
      sample.items.push_back(&item);
    }
  }
  return sample;
}

}  // namespace llmcal::analysis
