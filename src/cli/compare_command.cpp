// `llmcal compare`: per (pair, task, method, metric) the pretrained and
// instruct values, the change rate with its paired-bootstrap interval, and
// significance: the numbers behind the paper's Figures 1 and 2.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "common/error.h"
#include "report/result_tables.h"
#include "report/table.h"

namespace llmcal::cli {

namespace {

struct CompareFlags {
  AnalysisFlags analysis;
  std::string format = "table";
};

void RunCompare(const CompareFlags& flags) {
  analysis::AnalysisRequest request = flags.analysis.Request();
  request.estimates = false;
  request.reliability = false;
  request.rankings.clear();
  const analysis::Analysis analysis = AnalyzeDb(flags.analysis.db, request);
  if (analysis.results.pairs.empty()) {
    throw InputError::At(flags.analysis.db, 0, "",
                         "no pairs to compare: give --pair BASE:INSTRUCT (the store records none)");
  }
  const analysis::ResultIndex index(analysis.results);
  fmt::print("{}", report::RenderTable(report::ChangeTable(index),
                                       *report::ParseTableFormat(flags.format)));
}

}  // namespace

void AddCompareCommand(CLI::App& app) {
  auto flags = std::make_shared<CompareFlags>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Change of every metric from pretrained to instruct, with paired intervals");
  flags->analysis.AddTo(
      *cmd, {.pairs = "model pairs BASE:INSTRUCT or NAME=BASE:INSTRUCT, names as stored "
                      "(default: the pairs the study recorded)"});
  AddTableFormatFlag(*cmd, flags->format);
  cmd->callback([flags] { RunCompare(*flags); });
}

}  // namespace llmcal::cli
