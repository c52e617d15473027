#include "cli/commands.h"
#include "common/error.h"

namespace llmcal::cli {

// Placeholder until the score sub-command lands; replaced by its issue's work.
void AddScoreCommand(CLI::App& app) {
  app.add_subcommand("score", "(not yet available)")->callback([] {
    throw InputError("the score sub-command is not implemented yet");
  });
}

}  // namespace llmcal::cli
