// `llmcal metrics`: every metric per (model, task, method) with bootstrap
// intervals, recomputed from a study store without any model.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "report/result_tables.h"
#include "report/table.h"

namespace llmcal::cli {

namespace {

struct MetricsFlags {
  AnalysisFlags analysis;
  std::string format = "table";
};

void RunMetrics(const MetricsFlags& flags) {
  analysis::AnalysisRequest request = flags.analysis.Request();
  request.changes = false;
  request.reliability = false;
  const analysis::Analysis analysis = AnalyzeDb(flags.analysis.db, request);
  const analysis::ResultIndex index(analysis.results);
  fmt::print("{}", report::RenderTable(report::MetricsTable(index),
                                       *report::ParseTableFormat(flags.format)));
}

}  // namespace

void AddMetricsCommand(CLI::App& app) {
  auto flags = std::make_shared<MetricsFlags>();
  CLI::App* cmd = app.add_subcommand(
      "metrics", "Every metric per model, task and method, with intervals, from a study store");
  flags->analysis.AddTo(*cmd, {});
  AddTableFormatFlag(*cmd, flags->format);
  cmd->callback([flags] { RunMetrics(*flags); });
}

}  // namespace llmcal::cli
