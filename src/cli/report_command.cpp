// `llmcal report --from-json`: the study report (HTML, tables, figures) drawn
// from a StudyResults JSON file (docs/report.md). `--db` joins it once the
// store can fill the same data model.
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "report/html_report.h"
#include "report/study_results_json.h"

namespace llmcal::cli {
namespace {

struct ReportCommandOptions {
  std::string from_json;
  std::string out;
  report::ReportOptions report;
};

void RunReport(const ReportCommandOptions& options) {
  const report::StudyResults results = report::ReadStudyResults(options.from_json);
  const report::ReportFiles files = report::WriteReport(results, options.report, options.out);
  if (!files.figures_drawn) {
    fmt::print(stderr,
               "llmcal: gnuplot not found: figures not drawn (install gnuplot-nox); their "
               "scripts and data are in {}\n",
               (std::filesystem::path(options.out) / "figures").string());
  }
  fmt::print("{}\n", files.html.string());
}

}  // namespace

void AddReportCommand(CLI::App& app) {
  auto options = std::make_shared<ReportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "The study report: self-contained HTML, tables and gnuplot figures");
  cmd->add_option("--from-json", options->from_json,
                  "study results as JSON (a report's study_results.json; docs/report.md)")
      ->required();
  cmd->add_option("--out", options->out, "output folder (created when missing)")->required();
  cmd->add_option("--figure1-metrics", options->report.figures.figure1_metrics,
                  "metrics of Figure 1, comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--figure2-metric", options->report.figures.figure2_metric, "metric of Figure 2")
      ->capture_default_str();
  cmd->add_option("--gnuplot", options->report.gnuplot, "gnuplot program (name on PATH or path)")
      ->capture_default_str();
  cmd->add_option("--title", options->report.title, "the report's title")->capture_default_str();
  cmd->callback([options] { RunReport(*options); });
}

}  // namespace llmcal::cli
