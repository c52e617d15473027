#include "cli/analysis_flags.h"

#include <fmt/format.h>

#include <cstdio>
#include <stdexcept>

#include "calibration/confidence_methods.h"
#include "calibration/metric_table.h"
#include "cli/enum_names.h"
#include "report/table.h"
#include "store/store.h"

namespace llmcal::cli {

namespace cal = calibration;

std::string CheckMetricName(const std::string& name) {
  try {
    cal::ParseMetricSpec(name);
    return "";
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

void AnalysisFlags::AddTo(CLI::App& cmd, const Which& which) {
  cmd.add_option("--db", db, "the study's store (SQLite)")->required();
  cmd.add_option("--model", models, "models to include, as stored (default: all)")->delimiter(',');
  if (which.pairs != nullptr) {
    cmd.add_option("--pair", pairs, which.pairs)->delimiter(',');
  }
  cmd.add_option("--task", tasks,
                 "tasks, or MMLU groups/subjects of an mmlu run (default: every task stored, "
                 "mmlu followed by its four groups)")
      ->delimiter(',');
  if (which.selections) {
    cmd.add_option("--method", methods, "confidence methods (default: sum, min, choice)")
        ->delimiter(',')
        ->check(CLI::IsMember(EnumNames(cal::kAllConfidenceMethods, cal::MethodName)));
    cmd.add_option("--metric", metrics, "metrics (default: all): " + cal::KnownMetricNames())
        ->delimiter(',')
        ->check(CheckMetricName);
  }
  cmd.add_option("--bins", bins, "bins of ECE, MCE, SCE and the reliability diagrams")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd.add_option("--cl-bins", cl_bins, "bins of ece_cl and sce_cl (calibration_library)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  if (which.bootstrap) {
    cmd.add_option("--bootstrap", bootstrap, "bootstrap resamples (0: no intervals)")
        ->check(CLI::Range(0, 1000000))
        ->capture_default_str();
  }
  cmd.add_option("--seed", seed, "bootstrap seed")->capture_default_str();
  cmd.add_option("--threads", threads, "bootstrap threads (0: all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
}

analysis::AnalysisRequest AnalysisFlags::Request() const {
  analysis::AnalysisRequest request;
  request.models = models;
  for (const std::string& pair : pairs)
    request.pairs.push_back(analysis::ParseModelPair(pair));
  request.tasks = tasks;
  for (const std::string& method : methods)
    request.methods.push_back(*cal::ParseMethod(method));
  for (const std::string& metric : metrics) {
    const cal::MetricSpec spec = cal::ParseMetricSpec(metric);
    if (cal::IndexOf(request.metrics, spec) == request.metrics.size())
      request.metrics.push_back(spec);
  }
  request.bins = {.bins = bins, .cl_bins = cl_bins};
  request.bootstrap.resamples = bootstrap;
  request.bootstrap.seed = seed;
  request.bootstrap.threads = threads;
  return request;
}

analysis::Analysis AnalyzeDb(const std::string& db, const analysis::AnalysisRequest& request) {
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  analysis::Analysis analysis = analysis::AnalyzeStore(store, request);
  for (const std::string& note : analysis.notes)
    fmt::print(stderr, "llmcal: note: {}\n", note);
  return analysis;
}

void AddTableFormatFlag(CLI::App& cmd, std::string& format) {
  cmd.add_option("--format", format, "output format")
      ->check(CLI::IsMember(EnumNames(report::kAllTableFormats, report::TableFormatName)))
      ->capture_default_str();
}

}  // namespace llmcal::cli
