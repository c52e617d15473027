// llmcal: measures how well a language model's confidence matches its accuracy
// on multiple-choice benchmarks, and how alignment tuning changes that.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "common/error.h"

int main(int argc, char** argv) {
  CLI::App app{"llmcal: calibration of language models before and after alignment tuning"};
  app.require_subcommand(1);
  app.set_version_flag("--version", LLMCAL_VERSION);
  llmcal::cli::AddScoreCommand(app);
  llmcal::cli::AddTasksCommand(app);
  llmcal::cli::AddPromptsCommand(app);
  llmcal::cli::AddCalibrateCommand(app);
  llmcal::cli::AddReportCommand(app);
  llmcal::cli::AddRunCommand(app);
  llmcal::cli::AddStatusCommand(app);
  llmcal::cli::AddMergeCommand(app);
  llmcal::cli::AddMetricsCommand(app);
  llmcal::cli::AddCompareCommand(app);
  llmcal::cli::AddRankCommand(app);
  llmcal::cli::AddStudyCommand(app);
  llmcal::cli::AddDemoCommand(app);
  llmcal::cli::AddDataCommand(app);
  llmcal::cli::AddImportCommand(app);
  try {
    app.parse(argc, argv);
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
