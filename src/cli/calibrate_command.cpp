// `llmcal calibrate`: calibration metrics, with bootstrap intervals, for a
// file of predictions from any tool (docs/calibration.md). Flags become a
// an analysis::CalibrateRequest; analysis::Calibrate does the work and
// report::RenderCalibrateReport writes its report in the chosen format.
#include <fmt/format.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "analysis/calibrate.h"
#include "calibration/confidence_methods.h"
#include "calibration/metric_table.h"
#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/enum_names.h"
#include "report/calibrate_output.h"
#include "report/table.h"

namespace llmcal::cli {

namespace {

namespace cal = llmcal::calibration;

struct CalibrateFlags {
  analysis::CalibrateRequest request;
  std::string metrics;  // comma-separated; empty = all
  std::string method = "sum";
  std::string recalibrate;
  std::string format = "table";
};

// CLI11 validator: an error message, or "" when `list` parses.
std::string CheckMetricList(const std::string& list) {
  try {
    cal::ParseMetricSelection(list);
    return "";
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

void RunCalibrate(CalibrateFlags& flags) {
  const report::TableFormat format = *report::ParseTableFormat(flags.format);
  if (format == report::TableFormat::kCsv && flags.request.reliability &&
      flags.request.letter_bias) {
    throw CLI::ValidationError("--format csv",
                               "writes one table: --reliability or --letter-bias, not both");
  }
  analysis::CalibrateRequest& request = flags.request;
  if (!flags.metrics.empty())
    request.metrics = cal::ParseMetricSelection(flags.metrics);
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
  cmd->add_option("--metric", flags->metrics,
                  "comma-separated metrics (default: all): " + cal::KnownMetricNames())
      ->check(CheckMetricList);
  cmd->add_option("--bins", r.bins.bins,
                  "bins of ece, ece_em, mce, sce, the Brier decomposition and the reliability "
                  "diagram; ranges per class of ace")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--cl-bins", r.bins.cl_bins, "bins of ece_cl and sce_cl (calibration_library)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--bootstrap", r.resamples, "bootstrap resamples (0: no intervals)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  cmd->add_option("--seed", r.seed, "bootstrap seed")->capture_default_str();
  cmd->add_option("--threads", r.threads, "bootstrap threads (0: all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_option("--temperature-split", r.temperature_split,
                  "fit a temperature on this fraction of the items, report metrics on the rest")
      ->check(CLI::Range(0.0, 1.0))
      ->check([](const std::string& text) {
        const double f = std::stod(text);
        return f > 0 && f < 1 ? std::string() : std::string("must be strictly between 0 and 1");
      });
  cmd->add_option("--method", flags->method, "confidence method for `llmcal score` output")
      ->check(CLI::IsMember(EnumNames(cal::kAllConfidenceMethods, cal::MethodName)))
      ->capture_default_str();
  CLI::Option* reference =
      cmd->add_option("--reference", r.base_reference,
                      "the base model's predictions for the same items (matched by id)");
  CLI::Option* recalibrate =
      cmd->add_option("--recalibrate", flags->recalibrate,
                      "base: fit the input's temperature to --reference without labels")
          ->check(CLI::IsMember({"base"}));
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
