#include "cli/commands.h"
#include "common/error.h"

namespace llmcal::cli {

// Placeholder until the tasks sub-command lands; replaced by its issue's work.
void AddTasksCommand(CLI::App& app) {
  app.add_subcommand("tasks", "(not yet available)")->callback([] {
    throw InputError("the tasks sub-command is not implemented yet");
  });
}

}  // namespace llmcal::cli
