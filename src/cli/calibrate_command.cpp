// `llmcal calibrate`: calibration metrics, with bootstrap intervals, for a
// file of predictions from any tool (docs/calibration.md). Flags become a
// calibration::CalibrateRequest; calibration::Calibrate does the work; the
// rest of this file renders its report as a table, JSON or CSV.
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "calibration/calibrate.h"
#include "calibration/confidence_methods.h"
#include "calibration/metric_table.h"
#include "cli/commands.h"

namespace llmcal::cli {

namespace {

namespace cal = llmcal::calibration;
// Keys in insertion order: metrics appear in the order they were selected.
using json = nlohmann::ordered_json;

struct CalibrateFlags {
  cal::CalibrateRequest request;
  std::string metrics;  // comma-separated; empty = all
  std::string method = "sum";
  std::string recalibrate;
  std::string format = "table";
};

// ---- JSON -------------------------------------------------------------------

// JSON has no NaN or infinity: those become null.
json Number(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json IntervalJson(const cal::Band& band) {
  if (!band.defined())
    return nullptr;
  return json::array({Number(band.interval.lo), Number(band.interval.hi)});
}

// {"value": v, "ci": [lo, hi]} plus "reason" for a value that is not a finite
// number and "ci_resamples" when some resamples were undefined.
json EstimateJson(const cal::MetricValue& value, const cal::Band& band, int resamples) {
  json out = {{"value", Number(value.value)}, {"ci", resamples ? IntervalJson(band) : json()}};
  if (!value.defined()) {
    out["reason"] = value.reason;
  } else if (!std::isfinite(value.value)) {
    out["reason"] = value.value > 0 ? "+infinity" : "-infinity";
  }
  if (resamples && band.defined_resamples < resamples)
    out["ci_resamples"] = band.defined_resamples;
  return out;
}

json MetricsJson(const cal::MetricEstimates& table, int resamples) {
  json metrics = json::object();
  for (const cal::MetricEstimate& e : table)
    metrics[e.spec.Name()] = EstimateJson(e.value, e.band, resamples);
  return metrics;
}

json ReliabilityJson(const cal::CalibrateReport& report) {
  json bins = json::array();
  for (const cal::ReliabilityBin& b : *report.reliability) {
    bins.push_back({{"lo", b.lo},
                    {"hi", b.hi},
                    {"count", b.count},
                    {"confidence", Number(b.confidence)},
                    {"accuracy", Number(b.accuracy)},
                    {"accuracy_ci", IntervalJson(b.accuracy_band)}});
  }
  return bins;
}

json SmoothReliabilityJson(const cal::SmoothReliability& curve) {
  json points = json::array();
  for (const cal::SmoothReliabilityPoint& p : curve.points) {
    points.push_back({{"t", p.t},
                      {"accuracy", Number(p.accuracy)},
                      {"density", Number(p.density)},
                      {"accuracy_ci", IntervalJson(p.accuracy_band)}});
  }
  return {{"sigma", curve.sigma}, {"smece", curve.smece}, {"points", points}};
}

std::string PositionName(std::size_t k) {
  return k < 26 ? std::string(1, static_cast<char>('A' + k)) : std::to_string(k);
}

json LetterBiasJson(const std::vector<cal::LetterBiasRow>& rows, int resamples) {
  json table = json::array();
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const cal::LetterBiasRow& r = rows[k];
    const auto cell = [resamples](double v, const cal::Band& band) {
      return json{{"value", Number(v)}, {"ci", resamples ? IntervalJson(band) : json()}};
    };
    table.push_back({{"position", PositionName(k)},
                     {"prediction_rate", cell(r.value.prediction_rate, r.prediction_rate)},
                     {"gold_rate", cell(r.value.gold_rate, r.gold_rate)},
                     {"recall", cell(r.value.recall, r.recall)},
                     {"ece", cell(r.value.ece, r.ece)}});
  }
  return table;
}

void PrintJson(const cal::CalibrateReport& report) {
  const int resamples = report.resamples;
  json out = {{"n", report.n},
              {"bins", report.bins.bins},
              {"cl_bins", report.bins.cl_bins},
              {"metrics", MetricsJson(report.metrics, resamples)}};
  if (report.temperature) {
    const cal::TemperatureSplitReport& t = *report.temperature;
    out["temperature_scaling"] = {{"split", t.split},
                                  {"temperature", Number(t.temperature)},
                                  {"fit_items", t.fit_items},
                                  {"held_out_items", t.held_out_items},
                                  {"before", MetricsJson(t.before, resamples)},
                                  {"after", MetricsJson(t.after, resamples)}};
  }
  if (report.recalibration) {
    const cal::BaseRecalibrationReport& r = *report.recalibration;
    out["recalibration"] = {{"reference", r.reference},
                            {"temperature", Number(r.temperature)},
                            {"agreeing_items", r.agreeing_items},
                            {"supervised_temperature", Number(r.supervised_temperature)},
                            {"base", MetricsJson(r.base, resamples)},
                            {"before", MetricsJson(r.before, resamples)},
                            {"after", MetricsJson(r.after, resamples)},
                            {"supervised", MetricsJson(r.supervised, resamples)}};
  }
  if (report.reliability) {
    out["reliability"] = ReliabilityJson(report);
    out["smooth_reliability"] = SmoothReliabilityJson(*report.smooth_reliability);
  }
  if (report.letter_bias)
    out["letter_bias"] = LetterBiasJson(*report.letter_bias, resamples);
  fmt::print("{}\n", out.dump(2));
}

// ---- Table ------------------------------------------------------------------

std::string Fixed(double v) {
  if (std::isnan(v))
    return "-";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.4f}", v);
}

std::string IntervalText(const cal::Band& band, int resamples) {
  if (!resamples)
    return "";
  if (!band.defined())
    return "undefined";
  std::string text = fmt::format("[{}, {}]", Fixed(band.interval.lo), Fixed(band.interval.hi));
  if (band.defined_resamples < resamples)
    text += fmt::format(" ({} of {} resamples)", band.defined_resamples, resamples);
  return text;
}

std::string ValueText(const cal::MetricValue& value) {
  return value.defined() ? Fixed(value.value) : "-";
}

// The widest metric name of a table, for alignment.
std::size_t NameWidth(const cal::MetricEstimates& table) {
  std::size_t width = 6;  // "metric"
  for (const cal::MetricEstimate& e : table)
    width = std::max(width, e.spec.Name().size());
  return width;
}

void PrintMetricTable(const cal::MetricEstimates& table, int resamples) {
  const std::size_t w = NameWidth(table);
  fmt::print("{:<{}} {:>8}  {}\n", "metric", w, "value", resamples ? "95% CI" : "");
  for (const cal::MetricEstimate& e : table) {
    std::string line = fmt::format("{:<{}} {:>8}  {}", e.spec.Name(), w, ValueText(e.value),
                                   IntervalText(e.band, resamples));
    if (!e.value.defined())
      line += fmt::format("  undefined: {}", e.value.reason);
    fmt::print("{}\n", line);
  }
}

// Tables of the same metrics side by side, one value-and-interval column each.
void PrintSideBySide(const std::vector<std::string>& headers,
                     const std::vector<const cal::MetricEstimates*>& tables, int resamples) {
  const std::size_t w = NameWidth(*tables.front());
  std::size_t ci_width = resamples ? 6 : 0;  // "95% CI"
  for (const cal::MetricEstimates* table : tables) {
    for (const cal::MetricEstimate& e : *table)
      ci_width = std::max(ci_width, IntervalText(e.band, resamples).size());
  }
  std::string header = fmt::format("{:<{}}", "metric", w);
  for (const std::string& h : headers)
    header += fmt::format(" {:>8}  {:<{}}", h, resamples ? "95% CI" : "", ci_width);
  fmt::print("{}\n", header);
  for (std::size_t j = 0; j < tables.front()->size(); ++j) {
    std::string line = fmt::format("{:<{}}", (*tables.front())[j].spec.Name(), w);
    for (const cal::MetricEstimates* table : tables) {
      const cal::MetricEstimate& e = (*table)[j];
      line += fmt::format(" {:>8}  {:<{}}", ValueText(e.value), IntervalText(e.band, resamples),
                          ci_width);
    }
    fmt::print("{}\n", line);
  }
}

void PrintReliabilityTable(const std::vector<cal::ReliabilityBin>& bins, int resamples) {
  fmt::print("\nreliability diagram (top-label confidence, equal-width bins)\n\n");
  fmt::print("{:<14} {:>8} {:>10} {:>9}  {}\n", "bin", "count", "confidence", "accuracy",
             resamples ? "95% CI" : "");
  for (const cal::ReliabilityBin& b : bins) {
    fmt::print("[{:.3f}, {:.3f}{} {:>8} {:>10} {:>9}  {}\n", b.lo, b.hi,
               &b == &bins.back() ? "]" : ")", b.count, Fixed(b.confidence), Fixed(b.accuracy),
               b.count ? IntervalText(b.accuracy_band, resamples) : "");
  }
}

void PrintLetterBiasTable(const std::vector<cal::LetterBiasRow>& rows, int resamples) {
  std::size_t ci_width = resamples ? 6 : 0;  // "95% CI"
  for (const cal::LetterBiasRow& r : rows)
    ci_width = std::max(ci_width, IntervalText(r.recall, resamples).size());
  const char* ci = resamples ? "95% CI" : "";
  fmt::print("\nletter bias (per answer position)\n\n");
  fmt::print("{:<8} {:>9} {:>10} {:>8}  {:<{}} {:>8}  {}\n", "position", "gold rate", "predicted",
             "recall", ci, ci_width, "ECE", ci);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const cal::LetterBiasRow& r = rows[k];
    fmt::print("{:<8} {:>9} {:>10} {:>8}  {:<{}} {:>8}  {}\n", PositionName(k),
               Fixed(r.value.gold_rate), Fixed(r.value.prediction_rate), Fixed(r.value.recall),
               IntervalText(r.recall, resamples), ci_width, Fixed(r.value.ece),
               IntervalText(r.ece, resamples));
  }
}

void PrintTable(const cal::CalibrateReport& report) {
  const int resamples = report.resamples;
  fmt::print("{} items, {} bins ({} for *_cl), ", report.n, report.bins.bins, report.bins.cl_bins);
  if (resamples) {
    fmt::print("{} bootstrap resamples (seed {})\n\n", resamples, report.seed);
  } else {
    fmt::print("no bootstrap\n\n");
  }
  PrintMetricTable(report.metrics, resamples);
  if (report.temperature) {
    const cal::TemperatureSplitReport& t = *report.temperature;
    fmt::print("\ntemperature scaling: T = {:.4f}, fitted on {} items, evaluated on {} others\n\n",
               t.temperature, t.fit_items, t.held_out_items);
    PrintSideBySide({"before", "after"}, {&t.before, &t.after}, resamples);
  }
  if (report.recalibration) {
    const cal::BaseRecalibrationReport& r = *report.recalibration;
    fmt::print(
        "\nrecalibration from the base model {}: T = {:.4f}, fitted without labels on the {} items "
        "where both models predict the same choice; supervised T = {:.4f} (fitted on the gold "
        "labels of every item)\n\n",
        r.reference, r.temperature, r.agreeing_items, r.supervised_temperature);
    PrintSideBySide({"base", "aligned", "base T", "gold T"},
                    {&r.base, &r.before, &r.after, &r.supervised}, resamples);
  }
  if (report.reliability)
    PrintReliabilityTable(*report.reliability, resamples);
  if (report.letter_bias)
    PrintLetterBiasTable(*report.letter_bias, resamples);
}

// ---- CSV --------------------------------------------------------------------

std::string CsvNumber(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "";
}

// Reasons are plain text; quote them as CSV fields.
std::string CsvText(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string CsvBand(const cal::Band& band, int resamples) {
  if (!resamples || !band.defined())
    return ",";
  return CsvNumber(band.interval.lo) + "," + CsvNumber(band.interval.hi);
}

void PrintCsvMetrics(const std::string& scope, const cal::MetricEstimates& table, int resamples) {
  for (const cal::MetricEstimate& e : table) {
    std::string reason;
    if (!e.value.defined())
      reason = CsvText(e.value.reason);
    else if (!std::isfinite(e.value.value))
      reason = CsvText("infinite");
    fmt::print("{},{},{},{},{},{}\n", scope, e.spec.Name(), CsvNumber(e.value.value),
               CsvBand(e.band, resamples),
               resamples ? std::to_string(e.band.defined_resamples) : "", reason);
  }
}

void PrintCsv(const cal::CalibrateReport& report) {
  const int resamples = report.resamples;
  if (report.reliability) {
    fmt::print("bin,lo,hi,count,confidence,accuracy,accuracy_ci_lo,accuracy_ci_hi\n");
    for (std::size_t b = 0; b < report.reliability->size(); ++b) {
      const cal::ReliabilityBin& bin = (*report.reliability)[b];
      fmt::print("{},{},{},{},{},{},{}\n", b, bin.lo, bin.hi, bin.count, CsvNumber(bin.confidence),
                 CsvNumber(bin.accuracy), CsvBand(bin.accuracy_band, resamples));
    }
    return;
  }
  if (report.letter_bias) {
    fmt::print(
        "position,prediction_rate,prediction_rate_ci_lo,prediction_rate_ci_hi,gold_rate,"
        "gold_rate_ci_lo,gold_rate_ci_hi,recall,recall_ci_lo,recall_ci_hi,ece,ece_ci_lo,"
        "ece_ci_hi\n");
    for (std::size_t k = 0; k < report.letter_bias->size(); ++k) {
      const cal::LetterBiasRow& r = (*report.letter_bias)[k];
      fmt::print("{},{},{},{},{},{},{},{},{}\n", PositionName(k),
                 CsvNumber(r.value.prediction_rate), CsvBand(r.prediction_rate, resamples),
                 CsvNumber(r.value.gold_rate), CsvBand(r.gold_rate, resamples),
                 CsvNumber(r.value.recall), CsvBand(r.recall, resamples), CsvNumber(r.value.ece),
                 CsvBand(r.ece, resamples));
    }
    return;
  }
  fmt::print("scope,metric,value,ci_lo,ci_hi,ci_resamples,reason\n");
  PrintCsvMetrics("all", report.metrics, resamples);
  if (report.temperature) {
    PrintCsvMetrics("held_out_before", report.temperature->before, resamples);
    PrintCsvMetrics("held_out_after", report.temperature->after, resamples);
  }
  if (report.recalibration) {
    PrintCsvMetrics("base", report.recalibration->base, resamples);
    PrintCsvMetrics("recalibrated_base_t", report.recalibration->after, resamples);
    PrintCsvMetrics("recalibrated_gold_t", report.recalibration->supervised, resamples);
  }
}

// ---- Flags ------------------------------------------------------------------

std::vector<std::string> MethodNames() {
  std::vector<std::string> names;
  for (cal::ConfidenceMethod m : cal::kAllConfidenceMethods)
    names.emplace_back(cal::MethodName(m));
  return names;
}

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
  if (flags.format == "csv" && flags.request.reliability && flags.request.letter_bias) {
    throw CLI::ValidationError("--format csv",
                               "writes one table: --reliability or --letter-bias, not both");
  }
  cal::CalibrateRequest& request = flags.request;
  if (!flags.metrics.empty())
    request.metrics = cal::ParseMetricSelection(flags.metrics);
  request.read.method = *cal::ParseMethod(flags.method);
  const cal::CalibrateReport report = cal::Calibrate(request);
  if (flags.format == "json") {
    PrintJson(report);
  } else if (flags.format == "csv") {
    PrintCsv(report);
  } else {
    PrintTable(report);
  }
}

}  // namespace

void AddCalibrateCommand(CLI::App& app) {
  auto flags = std::make_shared<CalibrateFlags>();
  cal::CalibrateRequest& r = flags->request;
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
      ->check(CLI::IsMember(MethodNames()))
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
                "also the reliability diagrams (binned; smooth in JSON)");
  cmd->add_flag("--letter-bias", r.letter_bias, "also the per-position letter-bias table");
  cmd->add_flag("--normalize", r.read.normalize,
                "rescale probabilities that do not sum to 1 instead of rejecting them");
  cmd->add_option("--format", flags->format, "output format")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  cmd->callback([flags] { RunCalibrate(*flags); });
}

}  // namespace llmcal::cli
