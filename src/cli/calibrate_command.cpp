// `llmcal calibrate`: calibration metrics, with bootstrap intervals, for a
// file of predictions from any tool (docs/calibration.md). Flags become a
// an analysis::CalibrateRequest; analysis::Calibrate does the work and
// report::RenderCalibrateReport writes its report in the chosen format.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/calibrate.h"
#include "calibration/confidence_methods.h"
#include "calibration/metric_table.h"
#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/setting_flags.h"
#include "report/calibrate_output.h"
#include "report/table.h"
#include "settings/settings.h"

namespace llmcal::cli {

namespace {

namespace cal = llmcal::calibration;

struct CalibrateFlags {
  analysis::CalibrateRequest request;
  std::vector<std::string> metrics;  // empty = all
  std::string method;                // set by AddFlag to the declared default
  std::string recalibrate;
  std::string format = "table";
};

void RunCalibrate(CalibrateFlags& flags) {
  const report::TableFormat format = *report::ParseTableFormat(flags.format);
  if (format == report::TableFormat::kCsv && flags.request.reliability &&
      flags.request.letter_bias) {
    throw CLI::ValidationError("--format csv",
                               "writes one table: --reliability or --letter-bias, not both");
  }
  analysis::CalibrateRequest& request = flags.request;
  if (!flags.metrics.empty())
    request.metrics = cal::ParseMetricSelection(fmt::format("{}", fmt::join(flags.metrics, ",")));
  request.read.method = *cal::ParseMethod(flags.method);
  fmt::print("{}", report::RenderCalibrateReport(analysis::Calibrate(request), format));
}

}  // namespace

void AddCalibrateCommand(CLI::App& app) {
  auto flags = std::make_shared<CalibrateFlags>();
  analysis::CalibrateRequest& r = flags->request;
  CLI::App* cmd = app.add_subcommand(
      "calibrate", "Calibration metrics with bootstrap intervals for a predictions file");
  cmd->add_option("--input", r.input,
                  "JSONL predictions: {\"probs\": [...], \"gold\": k}, "
                  "{\"scores\": [...], \"gold\": k}, or `llmcal score` output lines with a "
                  "gold label, per line ('-' = stdin)")
      ->required();
  AddFlag(*cmd, settings::kMetrics, flags->metrics);
  AddFlag(*cmd, settings::kBins, r.bins.bins);
  AddFlag(*cmd, settings::kClBins, r.bins.cl_bins);
  AddFlag(*cmd, settings::kBootstrap, r.resamples);
  AddFlag(*cmd, settings::kSeed, r.seed);
  AddFlag(*cmd, settings::kAnalysisThreads, r.threads);
  AddFlag(*cmd, settings::kTemperatureSplit, r.temperature_split);
  AddFlag(*cmd, settings::kCalibrateMethod, flags->method);
  CLI::Option* reference =
      cmd->add_option("--reference", r.base_reference,
                      "the base model's predictions for the same items (matched by id)");
  CLI::Option* recalibrate = AddFlag(*cmd, settings::kRecalibrate, flags->recalibrate);
  reference->needs(recalibrate);
  recalibrate->needs(reference);
  cmd->add_flag("--reliability", r.reliability,
                "also the reliability diagrams (binned and smooth; CSV: binned only)");
  cmd->add_flag("--letter-bias", r.letter_bias, "also the per-position letter-bias table");
  cmd->add_flag("--normalize", r.read.normalize,
                "rescale probabilities that do not sum to 1 instead of rejecting them");
  AddTableFormatFlag(*cmd, flags->format);
  cmd->callback([flags] { RunCalibrate(*flags); });
}

}  // namespace llmcal::cli
