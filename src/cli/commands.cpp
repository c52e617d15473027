#include "cli/commands.h"

namespace llmcal::cli {

void AddCommands(CLI::App& app) {
  AddScoreCommand(app);
  AddTasksCommand(app);
  AddPromptsCommand(app);
  AddCalibrateCommand(app);
  AddReportCommand(app);
  AddRunCommand(app);
  AddStatusCommand(app);
  AddMergeCommand(app);
  AddMetricsCommand(app);
  AddCompareCommand(app);
  AddRankCommand(app);
  AddStudyCommand(app);
  AddDemoCommand(app);
  AddDataCommand(app);
  AddImportCommand(app);
}

}  // namespace llmcal::cli
