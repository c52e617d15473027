// `llmcal calibrate`: every calibration metric, with bootstrap intervals, for
// a file of predictions from any tool (docs/calibration.md).
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/choice_probabilities.h"
#include "calibration/confidence_methods.h"
#include "calibration/metrics.h"
#include "calibration/temperature_scaling.h"
#include "cli/commands.h"
#include "common/error.h"

namespace llmcal::cli {

namespace {

namespace cal = llmcal::calibration;
using nlohmann::json;

// Probabilities must sum to 1 within this, unless --normalize.
constexpr double kSumTolerance = 1e-6;
constexpr double kLevel = 0.95;

struct CalibrateOptions {
  std::string input;
  int bins = 10;
  int bootstrap = 1000;
  std::uint64_t seed = 0;
  int threads = 0;
  std::optional<double> temperature_split;
  bool reliability = false;
  bool normalize = false;
  std::string format = "table";
  std::string method = "sum";  // for `llmcal score` output records
};

// Reads one JSONL predictions record per non-blank line:
// {"probs": [...], "gold": k}, {"scores": [...], "gold": k}, or a line of
// `llmcal score` output with a gold label, {"continuations": [{"logprobs":
// [...]}, ...], "gold": k}, whose choice scores come from `method`.
class PredictionsReader {
 public:
  PredictionsReader(std::string name, bool normalize, cal::ConfidenceMethod method)
      : name_(std::move(name)), normalize_(normalize), method_(method) {}

  cal::ChoiceProbabilities Read(std::istream& in) {
    cal::ChoiceProbabilities data;
    std::string text;
    std::int64_t line = 0;
    while (std::getline(in, text)) {
      ++line;
      if (text.find_first_not_of(" \t\r") == std::string::npos)
        continue;
      AddRecord(text, line, data);
    }
    if (in.bad())
      throw InputError::At(name_, 0, "", "read error");
    if (data.empty())
      throw InputError::At(name_, 0, "", "no predictions (the file is empty)");
    return data;
  }

 private:
  void AddRecord(const std::string& text, std::int64_t line, cal::ChoiceProbabilities& data) {
    const json record = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded())
      throw InputError::At(name_, line, "", "malformed JSON");
    if (!record.is_object())
      throw InputError::At(name_, line, "", "expected a JSON object");
    const bool has_probs = record.contains("probs");
    const bool has_scores = record.contains("scores");
    const bool has_continuations = record.contains("continuations");
    if (int(has_probs) + int(has_scores) + int(has_continuations) != 1) {
      throw InputError::At(name_, line, "",
                           "expected exactly one of 'probs', 'scores' and 'continuations'");
    }
    const char* field = has_probs ? "probs" : has_scores ? "scores" : "continuations";
    std::vector<double> values = has_continuations ? MethodScores(record.at(field), line)
                                                   : Numbers(record.at(field), line, field);
    if (!record.contains("gold"))
      throw InputError::At(name_, line, "gold", "missing");
    const json& gold_json = record.at("gold");
    if (!gold_json.is_number_integer()) {
      throw InputError::At(name_, line, "gold", "expected an integer choice index");
    }
    const auto gold = gold_json.get<std::int64_t>();
    if (gold < 0 || gold >= static_cast<std::int64_t>(values.size())) {
      throw InputError::At(name_, line, "gold",
                           fmt::format("{} is out of range 0..{}", gold, values.size() - 1));
    }
    if (has_probs) {
      CheckProbabilities(values, line);
      data.Add(values, static_cast<int>(gold));
    } else {
      data.AddScores(values, static_cast<int>(gold));
    }
  }

  std::vector<double> Numbers(const json& array, std::int64_t line, const char* field) {
    if (!array.is_array() || array.empty()) {
      throw InputError::At(name_, line, field, "expected a non-empty array of numbers");
    }
    std::vector<double> values;
    for (const json& v : array) {
      if (!v.is_number())
        throw InputError::At(name_, line, field, "expected numbers only");
      values.push_back(v.get<double>());
      if (!std::isfinite(values.back())) {
        throw InputError::At(name_, line, field, "a value is not finite");
      }
    }
    return values;
  }

  // Scores of each choice of a `llmcal score` output record under method_.
  std::vector<double> MethodScores(const json& continuations, std::int64_t line) {
    if (!continuations.is_array() || continuations.empty()) {
      throw InputError::At(name_, line, "continuations", "expected a non-empty array");
    }
    std::vector<double> scores;
    for (std::size_t k = 0; k < continuations.size(); ++k) {
      const std::string field = fmt::format("continuations[{}].logprobs", k);
      const json& c = continuations[k];
      if (!c.is_object() || !c.contains("logprobs")) {
        throw InputError::At(name_, line, field, "missing");
      }
      const std::vector<double> logprobs = Numbers(c.at("logprobs"), line, field.c_str());
      scores.push_back(cal::ChoiceScore(method_, {logprobs}));
    }
    return scores;
  }

  void CheckProbabilities(std::vector<double>& probs, std::int64_t line) {
    double sum = 0;
    for (double p : probs) {
      if (p < 0)
        throw InputError::At(name_, line, "probs", fmt::format("{} is negative", p));
      sum += p;
    }
    if (normalize_) {
      if (!(sum > 0))
        throw InputError::At(name_, line, "probs", "they sum to 0");
      for (double& p : probs)
        p /= sum;
    } else if (std::abs(sum - 1) > kSumTolerance) {
      throw InputError::At(name_, line, "probs",
                           fmt::format("they sum to {} (not 1 within {}; --normalize rescales)",
                                       sum, kSumTolerance));
    }
  }

  std::string name_;
  bool normalize_;
  cal::ConfidenceMethod method_;
};

cal::ChoiceProbabilities ReadPredictions(const CalibrateOptions& options) {
  PredictionsReader reader(options.input == "-" ? "<stdin>" : options.input, options.normalize,
                           *cal::ParseMethod(options.method));
  if (options.input == "-")
    return reader.Read(std::cin);
  std::ifstream file(options.input);
  if (!file)
    throw InputError::At(options.input, 0, "", "cannot open");
  return reader.Read(file);
}

// Every metric of one sample, with intervals when bootstrapping.
struct MetricTable {
  cal::MetricValues value;
  std::optional<std::array<cal::Interval, cal::kMetricCount>> ci;
};

MetricTable Measure(const cal::MetricEvaluator& evaluator, const CalibrateOptions& options) {
  if (options.bootstrap == 0)
    return {evaluator.Compute(), std::nullopt};
  const cal::BootstrapOptions bootstrap{.resamples = options.bootstrap,
                                        .level = kLevel,
                                        .seed = options.seed,
                                        .threads = options.threads};
  const cal::MetricEstimates estimates = cal::BootstrapMetrics(evaluator, bootstrap);
  return {estimates.value, estimates.interval};
}

struct TemperatureResult {
  double split = 0;
  double temperature = 1;
  std::size_t fit_items = 0;
  std::size_t held_out_items = 0;
  MetricTable before;
  MetricTable after;
};

struct Report {
  std::size_t n = 0;
  MetricTable all;
  std::vector<cal::ReliabilityBin> reliability;
  std::optional<TemperatureResult> temperature;
};

// JSON has no NaN or infinity: those become null.
json Number(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json MetricsJson(const MetricTable& table) {
  json metrics = json::object();
  for (cal::Metric m : cal::kAllMetrics) {
    json ci = nullptr;
    if (table.ci) {
      const cal::Interval& i = (*table.ci)[static_cast<std::size_t>(m)];
      ci = json::array({Number(i.lo), Number(i.hi)});
    }
    metrics[std::string(cal::MetricName(m))] = {{"value", Number(table.value[m])}, {"ci", ci}};
  }
  return metrics;
}

void PrintJson(const Report& report, const CalibrateOptions& options) {
  json out = {{"n", report.n}, {"bins", options.bins}, {"metrics", MetricsJson(report.all)}};
  if (report.temperature) {
    const TemperatureResult& t = *report.temperature;
    out["temperature_scaling"] = {{"split", t.split},
                                  {"temperature", Number(t.temperature)},
                                  {"fit_items", t.fit_items},
                                  {"held_out_items", t.held_out_items},
                                  {"before", MetricsJson(t.before)},
                                  {"after", MetricsJson(t.after)}};
  }
  if (options.reliability) {
    json bins = json::array();
    for (const cal::ReliabilityBin& b : report.reliability) {
      bins.push_back({{"lo", b.lo},
                      {"hi", b.hi},
                      {"count", b.count},
                      {"confidence", Number(b.confidence)},
                      {"accuracy", Number(b.accuracy)}});
    }
    out["reliability"] = bins;
  }
  fmt::print("{}\n", out.dump(2));
}

std::string Fixed(double v) {
  return std::isnan(v) ? "-" : fmt::format("{:.4f}", v);
}

std::string IntervalText(const MetricTable& table, cal::Metric m) {
  if (!table.ci)
    return "";
  const cal::Interval& i = (*table.ci)[static_cast<std::size_t>(m)];
  return fmt::format("[{}, {}]", Fixed(i.lo), Fixed(i.hi));
}

void PrintTable(const Report& report, const CalibrateOptions& options) {
  const std::string ci_header =
      options.bootstrap ? fmt::format("{:.0f}% CI", kLevel * 100) : std::string();
  fmt::print("{} items, {} bins, ", report.n, options.bins);
  if (options.bootstrap) {
    fmt::print("{} bootstrap resamples (seed {})\n\n", options.bootstrap, options.seed);
  } else {
    fmt::print("no bootstrap\n\n");
  }
  fmt::print("{:<10} {:>8}  {}\n", "metric", "value", ci_header);
  for (cal::Metric m : cal::kAllMetrics) {
    fmt::print("{:<10} {:>8}  {}\n", cal::MetricName(m), Fixed(report.all.value[m]),
               IntervalText(report.all, m));
  }
  if (report.temperature) {
    const TemperatureResult& t = *report.temperature;
    fmt::print("\ntemperature scaling: T = {:.4f}, fitted on {} items, evaluated on {} others\n\n",
               t.temperature, t.fit_items, t.held_out_items);
    fmt::print("{:<10} {:>8}  {:<18} {:>8}  {}\n", "metric", "before", ci_header, "after",
               ci_header);
    for (cal::Metric m : cal::kAllMetrics) {
      fmt::print("{:<10} {:>8}  {:<18} {:>8}  {}\n", cal::MetricName(m), Fixed(t.before.value[m]),
                 IntervalText(t.before, m), Fixed(t.after.value[m]), IntervalText(t.after, m));
    }
  }
  if (options.reliability) {
    fmt::print("\nreliability diagram (top-label confidence, equal-width bins)\n\n");
    fmt::print("{:<14} {:>8} {:>10} {:>9}\n", "bin", "count", "confidence", "accuracy");
    for (const cal::ReliabilityBin& b : report.reliability) {
      fmt::print("[{:.3f}, {:.3f}{} {:>8} {:>10} {:>9}\n", b.lo, b.hi,
                 &b == &report.reliability.back() ? "]" : ")", b.count, Fixed(b.confidence),
                 Fixed(b.accuracy));
    }
  }
}

std::string CsvNumber(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "";
}

void PrintCsvMetrics(const std::string& scope, const MetricTable& table) {
  for (cal::Metric m : cal::kAllMetrics) {
    std::string lo, hi;
    if (table.ci) {
      lo = CsvNumber((*table.ci)[static_cast<std::size_t>(m)].lo);
      hi = CsvNumber((*table.ci)[static_cast<std::size_t>(m)].hi);
    }
    fmt::print("{},{},{},{},{}\n", scope, cal::MetricName(m), CsvNumber(table.value[m]), lo, hi);
  }
}

void PrintCsv(const Report& report, const CalibrateOptions& options) {
  if (options.reliability) {
    fmt::print("bin,lo,hi,count,confidence,accuracy\n");
    for (std::size_t b = 0; b < report.reliability.size(); ++b) {
      const cal::ReliabilityBin& bin = report.reliability[b];
      fmt::print("{},{},{},{},{},{}\n", b, bin.lo, bin.hi, bin.count, CsvNumber(bin.confidence),
                 CsvNumber(bin.accuracy));
    }
    return;
  }
  fmt::print("scope,metric,value,ci_lo,ci_hi\n");
  PrintCsvMetrics("all", report.all);
  if (report.temperature) {
    PrintCsvMetrics("held_out_before", report.temperature->before);
    PrintCsvMetrics("held_out_after", report.temperature->after);
  }
}

void RunCalibrate(const CalibrateOptions& options) {
  const cal::ChoiceProbabilities data = ReadPredictions(options);
  Report report;
  report.n = data.size();
  const cal::MetricEvaluator evaluator(data, options.bins);
  report.all = Measure(evaluator, options);
  if (options.reliability)
    report.reliability = evaluator.Reliability();
  if (options.temperature_split) {
    cal::TemperatureScaling scaling;
    try {
      scaling = cal::ScaleTemperature(data, *options.temperature_split);
    } catch (const std::invalid_argument& e) {
      throw InputError::At(options.input, 0, "", fmt::format("temperature scaling: {}", e.what()));
    }
    report.temperature = TemperatureResult{
        .split = *options.temperature_split,
        .temperature = scaling.temperature,
        .fit_items = scaling.fit_items,
        .held_out_items = scaling.held_out.size(),
        .before = Measure(cal::MetricEvaluator(scaling.held_out, options.bins), options),
        .after = Measure(cal::MetricEvaluator(scaling.scaled, options.bins), options)};
  }
  if (options.format == "json") {
    PrintJson(report, options);
  } else if (options.format == "csv") {
    PrintCsv(report, options);
  } else {
    PrintTable(report, options);
  }
}

}  // namespace

void AddCalibrateCommand(CLI::App& app) {
  auto options = std::make_shared<CalibrateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "calibrate", "Calibration metrics with bootstrap intervals for a predictions file");
  cmd->add_option("--input", options->input,
                  "JSONL predictions: {\"probs\": [...], \"gold\": k}, "
                  "{\"scores\": [...], \"gold\": k}, or `llmcal score` output lines with a "
                  "gold label, per line ('-' = stdin)")
      ->required();
  cmd->add_option("--bins", options->bins, "bins for ECE, MCE, SCE and ranges for ACE")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--bootstrap", options->bootstrap, "bootstrap resamples (0: no intervals)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "bootstrap seed")->capture_default_str();
  cmd->add_option("--threads", options->threads, "bootstrap threads (0: all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_option("--temperature-split", options->temperature_split,
                  "fit a temperature on this fraction of the items, report metrics on the rest")
      ->check(CLI::Range(0.0, 1.0))
      ->check([](const std::string& text) {
        const double f = std::stod(text);
        return f > 0 && f < 1 ? std::string() : std::string("must be strictly between 0 and 1");
      });
  cmd->add_option("--method", options->method,
                  "confidence method for `llmcal score` output: sum, min, mean or choice")
      ->check(CLI::IsMember({"sum", "min", "mean", "choice"}))
      ->capture_default_str();
  cmd->add_flag("--reliability", options->reliability, "also print the reliability-diagram bins");
  cmd->add_flag("--normalize", options->normalize,
                "rescale probabilities that do not sum to 1 instead of rejecting them");
  cmd->add_option("--format", options->format, "output format")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  cmd->callback([options] { RunCalibrate(*options); });
}

}  // namespace llmcal::cli
