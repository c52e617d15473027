// llmcal tasks: lists the tasks found in a data folder (and any named with
// --task), with item counts and source files, so users see what a study
// would run before running it.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/task_options.h"
#include "common/error.h"
#include "tasks/task_loader.h"

namespace llmcal::cli {
namespace {

struct TasksOptions {
  TaskDataOptions data;
  std::vector<std::string> task_args;
  std::string format = "table";
};

// "arc_easy/, arc_challenge/, ...": the folders of the built-in tasks, each once.
std::string ExpectedFolders() {
  std::vector<std::string> folders;
  for (const std::string& name : tasks::BuiltinTaskNames()) {
    const std::string folder = tasks::FindTaskSpec(name)->folder + "/";
    if (std::find(folders.begin(), folders.end(), folder) == folders.end()) {
      folders.push_back(folder);
    }
  }
  std::string out;
  for (const std::string& folder : folders) {
    out += (out.empty() ? "" : ", ") + folder;
  }
  return out;
}

// Many files in one folder (MMLU) read better as "folder/ (57 files)".
std::string FilesSummary(const std::vector<std::filesystem::path>& files) {
  if (files.size() > 2) {
    const auto parent = files.front().parent_path();
    bool same_parent = true;
    for (const auto& file : files) {
      same_parent = same_parent && file.parent_path() == parent;
    }
    if (same_parent) {
      return fmt::format("{}/ ({} files)", parent.string(), files.size());
    }
  }
  std::string out;
  for (const auto& file : files) {
    out += (out.empty() ? "" : ", ") + file.string();
  }
  return out;
}

void PrintTable(const std::vector<tasks::Task>& loaded) {
  fmt::print("{:<28} {:>7}  {}\n", "task", "items", "files");
  std::size_t subjects_hidden = 0;
  for (const tasks::Task& task : loaded) {
    const auto spec = tasks::FindTaskSpec(task.name);
    if (spec && tasks::IsMmluSubjectTask(*spec)) {
      ++subjects_hidden;
      continue;
    }
    fmt::print("{:<28} {:>7}  {}\n", task.name, task.items.size(), FilesSummary(task.files));
  }
  if (subjects_hidden > 0) {
    fmt::print("({} MMLU subject tasks mmlu_<subject> not shown; --format json lists them)\n",
               subjects_hidden);
  }
}

void PrintJson(const std::vector<tasks::Task>& loaded) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const tasks::Task& task : loaded) {
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const auto& file : task.files) {
      files.push_back(file.string());
    }
    out.push_back({{"task", task.name}, {"items", task.items.size()}, {"files", files}});
  }
  fmt::print("{}\n", out.dump(2));
}

void RunTasks(const TasksOptions& options) {
  const auto data_dir = options.data.DataDir();
  if (!data_dir && options.task_args.empty()) {
    data::RequireDataDir(options.data.data_dir);  // throws, saying where it looked
  }
  std::vector<tasks::TaskRef> refs;
  if (data_dir) {
    for (const std::string& name : tasks::TasksInDataDir(*data_dir)) {
      refs.push_back({name, {}});
    }
    if (refs.empty() && options.task_args.empty()) {
      throw InputError(data_dir->string() + ": no task folders (expected one of " +
                       ExpectedFolders() + ")");
    }
  }
  for (const std::string& arg : options.task_args) {
    refs.push_back(tasks::ParseTaskRef(arg));
  }
  std::vector<tasks::Task> loaded;
  for (const tasks::TaskRef& ref : refs) {
    loaded.push_back(tasks::LoadTask(ref, data_dir, options.data.LoadOptions()));
    ReportSkipped(loaded.back());
  }
  if (options.format == "json") {
    PrintJson(loaded);
  } else {
    PrintTable(loaded);
  }
}

}  // namespace

void AddTasksCommand(CLI::App& app) {
  auto options = std::make_shared<TasksOptions>();
  CLI::App* command = app.add_subcommand(
      "tasks", "List the tasks found in a data folder: item counts and source files");
  options->data.AddTo(command);
  command->add_option("--task", options->task_args,
                      "also list this task: NAME=PATH (a file or folder) or custom:PATH");
  command->add_option("--format", options->format, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  command->callback([options] { RunTasks(*options); });
}

}  // namespace llmcal::cli
