// llmcal: measures how well a language model's confidence matches its accuracy
// on multiple-choice benchmarks, and how alignment tuning changes that.
#include <fmt/format.h>

#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/error.h"
#include "common/output_file.h"

namespace {

// CLI11 reports a mistyped command as "A subcommand is required"; say which
// word was not a command and what the commands are. Returns "" when the
// first argument is an option or a known command.
std::string UnknownCommand(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-')
    return "";
  const std::string word = argv[1];
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands({}))
    names.push_back(command->get_name());
  for (const std::string& name : names) {
    if (name == word)
      return "";
  }
  return fmt::format(
      "unknown command '{}'; the commands are: {}\nRun with --help for more "
      "information.",
      word, fmt::join(names, ", "));
}

// Runs the command line; returns the exit code (common/error.h).
int Run(CLI::App& app, int argc, char** argv) {
  if (const std::string unknown = UnknownCommand(app, argc, argv); !unknown.empty()) {
    fmt::print(stderr, "llmcal: error: {}\n", unknown);
    return llmcal::kExitUsage;
  }
  try {
    app.parse(argc, argv);
    // Last: a full disk behind stdout must not pass for success.
    llmcal::FinishStandardOutput();
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? llmcal::kExitOk : llmcal::kExitUsage;
  } catch (const llmcal::InputError& e) {
    fmt::print(stderr, "llmcal: error: {}\n", e.what());
    return llmcal::kExitInputError;
  } catch (const llmcal::Interrupted& e) {
    fmt::print(stderr, "llmcal: {}\n", e.what());
    return llmcal::kExitInterrupted;
  } catch (const llmcal::EngineError& e) {
    fmt::print(stderr, "llmcal: engine error: {}\n", e.what());
    return llmcal::kExitEngineError;
  } catch (const llmcal::FetchError& e) {
    fmt::print(stderr, "llmcal: download error: {}\n", e.what());
    return llmcal::kExitFetchError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "llmcal: error: {}\n", e.what());
    return llmcal::kExitInputError;
  }
  return llmcal::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f) reached is a failed write, reported with
  // the file's name like a full disk, not a silent kill by SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"llmcal: calibration of language models before and after alignment tuning"};
  app.require_subcommand(1);
  app.set_version_flag("--version", LLMCAL_VERSION);
  llmcal::cli::AddCommands(app);
  return Run(app, argc, argv);
}
