// llmcal prompts: prints the rendered scoring requests of a task, so users
// read their prompts before they spend GPU hours on them.
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/setting_flags.h"
#include "cli/task_options.h"
#include "common/error.h"
#include "settings/settings.h"
#include "tasks/prompt_builder.h"
#include "tasks/subset.h"
#include "tasks/task_loader.h"

namespace llmcal::cli {
namespace {

struct PromptsOptions {
  TaskDataOptions data;
  std::string task_arg;
  std::string style;  // set by AddFlag to the declared default
  std::size_t limit = 0;
  std::size_t sample = 0;
  std::uint64_t seed = 0;
  std::size_t num_fewshot = 0;
  std::string format = "text";
};

// A JSON string literal: shows leading spaces and newlines unambiguously.
std::string Quoted(const std::string& text) {
  return nlohmann::json(text).dump();
}

void PrintText(const std::vector<tasks::PromptRequest>& requests, const tasks::Task& task,
               tasks::PromptStyle style, std::size_t num_fewshot) {
  fmt::print("# task {}, style {}, template {}, {} of {} items\n", task.name,
             tasks::PromptStyleName(style), tasks::TemplateVersion(style, num_fewshot),
             requests.size(), task.items.size());
  for (const tasks::PromptRequest& request : requests) {
    fmt::print("\n### [{}] id {}, gold {}\n{}\n--- continuations (* = gold)\n", request.index,
               request.id, request.gold, request.context);
    for (std::size_t k = 0; k < request.continuations.size(); ++k) {
      fmt::print("  {}{} {}\n", k, static_cast<int>(k) == request.gold ? "*" : " ",
                 Quoted(request.continuations[k]));
    }
  }
}

void PrintJsonLines(const std::vector<tasks::PromptRequest>& requests, tasks::PromptStyle style,
                    std::size_t num_fewshot) {
  const std::string template_version = tasks::TemplateVersion(style, num_fewshot);
  for (const tasks::PromptRequest& request : requests) {
    const nlohmann::ordered_json line = {{"task", request.task},
                                         {"index", request.index},
                                         {"id", request.id},
                                         {"template", template_version},
                                         {"context", request.context},
                                         {"continuations", request.continuations},
                                         {"choice_texts", request.choice_texts},
                                         {"gold", request.gold}};
    fmt::print("{}\n", line.dump());
  }
}

void RunPrompts(const PromptsOptions& options, bool sampled, bool limited) {
  const tasks::TaskRef ref = tasks::ParseTaskRef(options.task_arg);
  const tasks::PromptStyle style = *tasks::ParsePromptStyle(options.style);
  const tasks::Task task = tasks::LoadTask(ref, options.data.DataDir(), options.data.LoadOptions());
  ReportSkipped(task);
  const std::size_t count = task.items.size();
  std::vector<std::size_t> indices;
  if (sampled) {
    indices = tasks::SampleItems(count, options.sample, options.seed);
  } else {
    indices = tasks::FirstItems(count, limited ? options.limit : count);
  }
  const tasks::FewShotPlan fewshot = tasks::PlanFewShot(
      ref, task, options.data.DataDir(), options.data.LoadOptions(), indices, options.num_fewshot);
  ReportSkipped(fewshot.source);
  const auto requests = tasks::BuildPrompts(task, indices, style, fewshot);
  if (options.format == "jsonl") {
    PrintJsonLines(requests, style, options.num_fewshot);
  } else {
    PrintText(requests, task, style, options.num_fewshot);
  }
}

}  // namespace

void AddPromptsCommand(CLI::App& app) {
  auto options = std::make_shared<PromptsOptions>();
  CLI::App* command =
      app.add_subcommand("prompts", "Print a task's rendered prompts and continuations");
  command
      ->add_option("--task", options->task_arg,
                   "task: NAME (found under --data), NAME=PATH or custom:PATH")
      ->required();
  options->data.AddTo(command);
  AddFlag(*command, settings::kPromptStyle, options->style);
  CLI::Option* limit = AddFlag(*command, settings::kLimit, options->limit);
  CLI::Option* sample = AddFlag(*command, settings::kSample, options->sample)->excludes(limit);
  AddFlag(*command, settings::kSampleSeed, options->seed)->needs(sample);
  AddNumFewShotOption(command, options->num_fewshot);
  command->add_option("--format", options->format, "output format")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  command->callback(
      [options, limit, sample] { RunPrompts(*options, sample->count() > 0, limit->count() > 0); });
}

}  // namespace llmcal::cli
