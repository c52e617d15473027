// The llmcal sub-commands. Each Add*Command registers one sub-command on the
// top-level app; its callback does the work and throws llmcal::InputError or
// llmcal::EngineError on failure, which main() turns into a message and an
// exit code (common/error.h).
#pragma once

#include <CLI/CLI.hpp>

namespace llmcal::cli {

// Registers every sub-command below on `app`, in this order.
void AddCommands(CLI::App& app);

void AddScoreCommand(CLI::App& app);      // score_command.cpp
void AddTasksCommand(CLI::App& app);      // tasks_command.cpp
void AddPromptsCommand(CLI::App& app);    // prompts_command.cpp
void AddCalibrateCommand(CLI::App& app);  // calibrate_command.cpp
void AddReportCommand(CLI::App& app);     // report_command.cpp
void AddRunCommand(CLI::App& app);        // run_command.cpp
void AddStatusCommand(CLI::App& app);     // status_command.cpp
void AddMergeCommand(CLI::App& app);      // merge_command.cpp
void AddMetricsCommand(CLI::App& app);    // metrics_command.cpp
void AddCompareCommand(CLI::App& app);    // compare_command.cpp
void AddRankCommand(CLI::App& app);       // rank_command.cpp
void AddStudyCommand(CLI::App& app);      // study_command.cpp
void AddDemoCommand(CLI::App& app);       // demo_command.cpp
void AddDataCommand(CLI::App& app);       // data_command.cpp
// Registers `fetch` on the `data` sub-command.
void AddDataFetchCommand(CLI::App& data);  // data_fetch_command.cpp
void AddImportCommand(CLI::App& app);      // import_command.cpp

}  // namespace llmcal::cli
