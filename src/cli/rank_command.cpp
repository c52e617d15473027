// `llmcal rank`: the paper's Table 1 — model pairs ranked per task by the
// change rate of one metric under one confidence method (competition
// ranking), with Kendall's W of the rankings across tasks and its p-value.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "calibration/confidence_methods.h"
#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/setting_flags.h"
#include "common/error.h"
#include "report/result_tables.h"
#include "report/table.h"
#include "settings/settings.h"

namespace llmcal::cli {

namespace {

struct RankFlags {
  AnalysisFlags analysis;
  std::string metric;  // set by AddFlag to the declared default, as method
  std::string method;
  std::string format = "table";
};

void RunRank(const RankFlags& flags) {
  analysis::AnalysisRequest request = flags.analysis.Request();
  request.metrics = {calibration::ParseMetricSpec(flags.metric)};
  request.methods = {*calibration::ParseMethod(flags.method)};
  request.rankings = {{flags.metric, flags.method}};
  request.bootstrap.resamples = 0;  // ranks are of the point values
  request.estimates = false;
  request.reliability = false;
  const analysis::Analysis analysis = AnalyzeDb(flags.analysis.db, request);
  if (analysis.results.pairs.size() < 2) {
    throw InputError::At(flags.analysis.db, 0, "",
                         fmt::format("ranking needs at least two pairs, {} given or recorded "
                                     "(--pair BASE:INSTRUCT)",
                                     analysis.results.pairs.size()));
  }
  const report::TableFormat format = *report::ParseTableFormat(flags.format);
  const analysis::ResultIndex index(analysis.results);
  switch (format) {
    case report::TableFormat::kCsv:  // long: one row per (task, pair)
      fmt::print("{}", report::RenderTable(report::RankListTable(index), format));
      break;
    case report::TableFormat::kJson: {
      const nlohmann::ordered_json out = {
          {"ranks",
           nlohmann::json::parse(report::RenderTable(report::RankListTable(index), format))},
          {"concordance",
           nlohmann::json::parse(report::RenderTable(report::ConcordanceTable(index), format))}};
      fmt::print("{}\n", out.dump(2));
      break;
    }
    default:  // the paper's layout, Kendall's W in the note
      fmt::print("{}",
                 report::RenderTable(report::RankTable(analysis.results.rankings.front()), format));
  }
}

}  // namespace

void AddRankCommand(CLI::App& app) {
  auto flags = std::make_shared<RankFlags>();
  CLI::App* cmd = app.add_subcommand(
      "rank", "The paper's Table 1: pairs ranked by change rate per task, with Kendall's W");
  flags->analysis.AddTo(*cmd, {.pairs = "model pairs BASE:INSTRUCT or NAME=BASE:INSTRUCT, at "
                                        "least two (default: the pairs the study recorded)",
                               .bootstrap = false,
                               .selections = false});
  AddFlag(*cmd, settings::kRankMetric, flags->metric);
  AddFlag(*cmd, settings::kRankMethod, flags->method);
  AddTableFormatFlag(*cmd, flags->format);
  cmd->callback([flags] { RunRank(*flags); });
}

}  // namespace llmcal::cli
