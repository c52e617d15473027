// `llmcal report`: the study report (self-contained HTML, tables, gnuplot
// figures), from a study store (`--db`, recomputing every number from the
// stored scores) or from a StudyResults JSON file (`--from-json`, e.g. a
// report's own study_results.json). docs/report.md.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/setting_flags.h"
#include "common/error.h"
#include "report/gnuplot.h"
#include "report/html_report.h"
#include "report/study_results_json.h"
#include "settings/settings.h"

namespace llmcal::cli {
namespace {

struct ReportCommandOptions {
  std::string from_json;
  AnalysisFlags analysis;
  std::string out;
  report::ReportOptions report;
  // --gnuplot-timeout; report.gnuplot_timeout is set from it before the run.
  double gnuplot_timeout_seconds =
      std::chrono::duration<double>(report::ReportOptions{}.gnuplot_timeout).count();
};

// Prints where the report is, and what happened to the figures.
void PrintReportFiles(const report::ReportFiles& files, const std::string& out) {
  if (!files.figures_drawn) {
    fmt::print(stderr,
               "llmcal: gnuplot not found: figures not drawn (install gnuplot-nox); their "
               "scripts and data are in {}\n",
               (std::filesystem::path(out) / "figures").string());
  }
  fmt::print("{}\n", files.html.string());
}

// A gnuplot the user named explicitly must be there: falling back to no
// figures would hide the mistake. Checked before the analysis starts.
void CheckNamedGnuplot(const std::string& gnuplot) {
  if (!report::FindProgram(gnuplot)) {
    throw InputError::At(gnuplot, 0, "",
                         "--gnuplot: no such executable program (a path, or a name on PATH)");
  }
}

void RunReport(const ReportCommandOptions& options) {
  report::ReportOptions chosen = options.report;
  chosen.gnuplot_timeout =
      std::chrono::milliseconds(std::llround(options.gnuplot_timeout_seconds * 1000));
  const analysis::StudyResults results =
      options.from_json.empty() ? AnalyzeDb(options.analysis.db, options.analysis.Request()).results
                                : report::ReadStudyResults(options.from_json);
  PrintReportFiles(report::WriteReport(results, chosen, options.out), options.out);
}

}  // namespace

void AddReportCommand(CLI::App& app) {
  auto options = std::make_shared<ReportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "The study report: self-contained HTML, tables and gnuplot figures");
  options->analysis.AddTo(*cmd, {.pairs = "model pairs to compare, BASE:INSTRUCT or "
                                          "NAME=BASE:INSTRUCT (default: the pairs the study "
                                          "recorded)"});
  CLI::Option* db = cmd->get_option("--db");
  db->required(false);
  CLI::Option* from_json =
      cmd->add_option("--from-json", options->from_json,
                      "study results as JSON instead of a store (a report's study_results.json)");
  db->excludes(from_json);
  cmd->add_option("--out", options->out, "output folder (created when missing)")->required();
  AddFlag(*cmd, settings::kFigure1Metrics, options->report.figures.figure1_metrics)
      ->capture_default_str();
  AddFlag(*cmd, settings::kFigure2Metric, options->report.figures.figure2_metric)
      ->capture_default_str();
  CLI::Option* gnuplot = cmd->add_option("--gnuplot", options->report.gnuplot,
                                         "gnuplot program (name on PATH or path)")
                             ->capture_default_str();
  AddFlag(*cmd, settings::kGnuplotTimeout, options->gnuplot_timeout_seconds)
      ->default_str(fmt::format("{}", options->gnuplot_timeout_seconds));
  cmd->add_option("--title", options->report.title, "the report's title")->capture_default_str();
  cmd->callback([options, db, from_json, gnuplot] {
    if (db->count() + from_json->count() != 1)
      throw CLI::RequiredError("--db or --from-json");
    if (gnuplot->count() > 0)
      CheckNamedGnuplot(options->report.gnuplot);
    RunReport(*options);
  });
}

}  // namespace llmcal::cli
