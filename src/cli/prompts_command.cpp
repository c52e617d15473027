#include "cli/commands.h"
#include "common/error.h"

namespace llmcal::cli {

// Placeholder until the prompts sub-command lands; replaced by its issue's work.
void AddPromptsCommand(CLI::App& app) {
  app.add_subcommand("prompts", "(not yet available)")->callback([] {
    throw InputError("the prompts sub-command is not implemented yet");
  });
}

}  // namespace llmcal::cli
