// The command-line options every sub-command that reads tasks shares
// (--data, --skip-bad, --medmcqa-cop-base), and how their results reach the
// user: skipped records are reported on stderr, never dropped silently.
#pragma once

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "common/error.h"
#include "data/data_dir.h"
#include "tasks/task.h"
#include "tasks/task_loader.h"

namespace llmcal::cli {

struct TaskDataOptions {
  std::string data_dir;
  bool skip_bad = false;
  int medmcqa_cop_base = -1;  // -1: decide from the file

  // Registers the options on `command`. The options object must outlive it.
  void AddTo(CLI::App* command) {
    command->add_option("--data", data_dir,
                        "folder with one sub-folder per task (arc_easy/, hellaswag/, mmlu/, ...); "
                        "default: $LLMCAL_DATA, else the repository's or installed data/");
    command->add_flag("--skip-bad", skip_bad,
                      "skip malformed records (each reported on stderr) instead of failing");
    command
        ->add_option("--medmcqa-cop-base", medmcqa_cop_base,
                     "MedMCQA 'cop' is 0-based (0) or 1-based (1); default: decided per file")
        ->check(CLI::IsMember({0, 1}));
  }

  // Returns the data folder: --data, else $LLMCAL_DATA, else the one found
  // from the executable's location (data/data_dir.h); nullopt when none is.
  // Throws InputError when --data or $LLMCAL_DATA is not a folder.
  std::optional<std::filesystem::path> DataDir() const { return data::DefaultDataDir(data_dir); }

  tasks::LoadOptions LoadOptions() const {
    tasks::LoadOptions options;
    options.skip_bad = skip_bad;
    if (medmcqa_cop_base >= 0) {
      options.medmcqa_cop_base = medmcqa_cop_base;
    }
    return options;
  }
};

// Prints each record the load skipped and their count on stderr.
inline void ReportSkipped(const tasks::Task& task) {
  if (task.skipped.empty()) {
    return;
  }
  for (const std::string& message : task.skipped) {
    fmt::print(stderr, "llmcal: skipped bad record: {}\n", message);
  }
  fmt::print(stderr, "llmcal: {}: skipped {} bad record{}\n", task.name, task.skipped.size(),
             task.skipped.size() == 1 ? "" : "s");
}

}  // namespace llmcal::cli
