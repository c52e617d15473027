// Command-line flags shared by the commands that analyse a study store
// (`metrics`, `compare`, `rank`, `report --db`): which models, pairs, tasks,
// methods and metrics, the bins and the bootstrap. Each setting is made from
// its declaration (settings/settings.h); the defaults are set there.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/analyze_store.h"

namespace llmcal::cli {

struct AnalysisFlags {
  std::string db;
  std::vector<std::string> models;
  std::vector<std::string> pairs;  // BASE:INSTRUCT or NAME=BASE:INSTRUCT
  std::vector<std::string> tasks;
  std::vector<std::string> methods;
  std::vector<std::string> metrics;
  // Set by AddTo to the declared defaults (settings/settings.h).
  int bins = 0;
  int cl_bins = 0;
  int bootstrap = 0;
  std::uint64_t seed = 0;
  int threads = 0;

  // Which flags a command takes besides --db, --model, --task, --bins,
  // --cl-bins, --seed and --threads.
  struct Which {
    const char* pairs = nullptr;  // --pair's help text; nullptr: no --pair
    bool bootstrap = true;        // --bootstrap
    bool selections = true;       // --method and --metric as lists
  };

  // Registers the flags on `cmd`. REQUIRES: the flags outlive cmd.
  void AddTo(CLI::App& cmd, const Which& which);

  // The request these flags describe. Throws InputError for a malformed --pair.
  analysis::AnalysisRequest Request() const;
};

// Opens the store read-only, analyses it as `request` says, and prints the
// analysis's notes to stderr ("llmcal: note: ..."). Throws InputError as
// store::Store::Open and analysis::AnalyzeStore do.
analysis::Analysis AnalyzeDb(const std::string& db, const analysis::AnalysisRequest& request);

// Registers --format (the table formats of report/table.h), bound to `format`.
void AddTableFormatFlag(CLI::App& cmd, std::string& format);

}  // namespace llmcal::cli
