#include "cli/analysis_flags.h"

#include <fmt/format.h>

#include <cstdio>
#include <stdexcept>

#include "calibration/confidence_methods.h"
#include "calibration/metric_table.h"
#include "cli/enum_names.h"
#include "cli/setting_flags.h"
#include "report/table.h"
#include "settings/settings.h"
#include "store/store.h"

namespace llmcal::cli {

namespace cal = calibration;

void AnalysisFlags::AddTo(CLI::App& cmd, const Which& which) {
  cmd.add_option("--db", db, "the study's store (SQLite)")->required();
  cmd.add_option("--model", models, "models to include, as stored (default: all)")->delimiter(',');
  if (which.pairs != nullptr) {
    cmd.add_option("--pair", pairs, which.pairs)->delimiter(',');
  }
  AddFlag(cmd, settings::kAnalysisTasks, tasks);
  if (which.selections) {
    AddFlag(cmd, settings::kMethods, methods);
    AddFlag(cmd, settings::kMetrics, metrics);
  }
  AddFlag(cmd, settings::kBins, bins);
  AddFlag(cmd, settings::kClBins, cl_bins);
  if (which.bootstrap)
    AddFlag(cmd, settings::kBootstrap, bootstrap);
  AddFlag(cmd, settings::kSeed, seed);
  AddFlag(cmd, settings::kAnalysisThreads, threads);
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
