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

#include "cli/setting_flags.h"
#include "common/error.h"
#include "data/data_dir.h"
#include "settings/settings.h"
#include "tasks/fewshot.h"
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
    AddFlag(*command, settings::kSkipBad, skip_bad);
    AddFlag(*command, settings::kMedmcqaCopBase, medmcqa_cop_base);
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

// Registers --num-fewshot K on `command`: the number of few-shot examples
// before each item, chosen and rendered as lm-evaluation-harness does
// (tasks/fewshot.h). `value` must outlive the command.
inline void AddNumFewShotOption(CLI::App* command, std::size_t& value) {
  AddFlag(*command, settings::kNumFewShot, value);
}

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
