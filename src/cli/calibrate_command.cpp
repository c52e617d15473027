#include "cli/commands.h"
#include "common/error.h"

namespace llmcal::cli {

// Placeholder until the calibrate sub-command lands; replaced by its issue's work.
void AddCalibrateCommand(CLI::App& app) {
  app.add_subcommand("calibrate", "(not yet available)")->callback([] {
    throw InputError("the calibrate sub-command is not implemented yet");
  });
}

}  // namespace llmcal::cli
