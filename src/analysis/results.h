// The results of an analysis as plain data: what every output shows.
//
// StudyResults is filled by analysis/ (analyze_store.h computes it from a
// Store; tests build it by hand or read it from JSON,
// report/study_results_json.h) and read by report/: the table builders, the
// figures and the HTML report. It holds no store, engine or calibration
// state: only names, numbers and the provenance of every run. `calibrate`'s
// result (analysis/calibrate.h) is built from the same estimate and
// reliability types.
//
// Names are strings throughout: a model is named as the user named it
// ("llama-2-7b-chat"), a pair by its family ("Llama-2-7b"), tasks, confidence
// methods ("sum", "min", "choice", ...) and metrics ("ece", "sce",
// "selective_acc@0.1", ...) by their keys. Display order is the order of the
// declaring lists (models, pairs, tasks, methods, metrics); entries may come
// in any order and may be missing (a missing entry is shown as missing, never
// invented).
//
// Example:
//   StudyResults r;
//   r.models = {"base", "chat"};
//   r.pairs = {{.name = "tiny", .base = "base", .instruct = "chat"}};
//   r.tasks = {"arc_easy"};
//   r.methods = {"choice"};
//   r.metrics = {{.name = "ece", .description = "...", .calibration_error = true}};
//   r.estimates.push_back({.model = "base", .task = "arc_easy", .method = "choice",
//                          .metric = "ece", .value = 0.12, .ci = Interval{0.1, 0.14}, .n = 500});
//   Validate(r, "my study");  // throws InputError on a name that is not declared
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/comparisons.h"

namespace llmcal::analysis {

using calibration::Interval;
using calibration::KendallW;

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A pretrained (PT) model and its instruction-tuned (IT) sibling.
struct ModelPair {
  std::string name;      // the pair's name in tables and figures ("Llama-2-7b")
  std::string base;      // the PT model's name (one of StudyResults::models)
  std::string instruct;  // the IT model's name
};

// What a metric is; the report orders, colours and judges changes by it.
struct MetricInfo {
  std::string name;         // "ece"
  std::string description;  // one line, shown in the report's legend
  bool lower_is_better = true;
  // A calibration-error estimator (ECE, SCE, ...): the estimator-sensitivity
  // panel compares the direction of change under exactly these.
  bool calibration_error = false;
};

// One metric of one (model, task, method): the value on the whole sample and
// its percentile bootstrap interval. A metric may be undefined on a sample
// (AUROC when every item is right): then value is NaN and undefined_reason
// says why. A defined value may be infinite (NLL when a gold probability is 0).
struct MetricEstimate {
  std::string model;
  std::string task;
  std::string method;
  std::string metric;
  double value = kNaN;
  std::optional<Interval> ci;    // absent without bootstrap, or when no resample defines it
  int ci_resamples = 0;          // resamples on which the metric is defined (0 without bootstrap)
  std::int64_t n = 0;            // items
  std::string undefined_reason;  // non-empty exactly when the value is undefined

  bool defined() const { return undefined_reason.empty(); }
};

// The change of one metric from a pair's PT to its IT model on the same items
// (DESIGN.md "Comparisons"): difference it - pt and change rate
// (it - pt) / pt * 100, with paired-bootstrap intervals.
struct ChangeEstimate {
  std::string pair;
  std::string task;
  std::string method;
  std::string metric;
  double pt = kNaN;
  double it = kNaN;
  double difference = kNaN;   // it - pt
  double change_rate = kNaN;  // percent; +-inf or NaN when pt == 0
  std::optional<Interval> difference_ci;
  std::optional<Interval> change_rate_ci;
  std::string undefined_reason;  // non-empty when pt or it is undefined

  bool defined() const { return undefined_reason.empty(); }
  // True when significance can be judged: the change is defined and has a
  // paired-bootstrap interval of the difference (none without bootstrap).
  bool significance_known() const { return defined() && difference_ci.has_value(); }
  // True when the paired-bootstrap interval of the difference excludes 0.
  bool significant() const { return significance_known() && difference_ci->ExcludesZero(); }
};

// One pair's place in one task's ranking.
struct RankEntry {
  std::string pair;
  double change_rate = kNaN;  // the unrounded value ranked
  int rank = 0;               // competition rank: 1 = largest change; ties share the lower rank
};

// One task's ranking of the pairs.
struct TaskRanking {
  std::string task;
  std::vector<RankEntry> entries;  // in rank order (ties in pair order)
};

// The paper's Table 1 for one (metric, method): pairs ranked by change rate in
// every task, and the concordance of those rankings across tasks.
struct Ranking {
  std::string metric;
  std::string method;
  std::vector<TaskRanking> tasks;
  std::optional<KendallW> concordance;  // absent with fewer than two pairs
};

// One equal-width bin of a top-label reliability diagram. confidence and
// accuracy are NaN when count == 0.
struct ReliabilityBin {
  double lo = 0;  // lower edge (inclusive)
  double hi = 0;  // upper edge (exclusive; inclusive for the last bin)
  std::int64_t count = 0;
  double confidence = kNaN;               // mean top-label confidence
  double accuracy = kNaN;                 // share of correct predictions
  std::optional<Interval> accuracy_band;  // bootstrap percentile band of the accuracy
  int band_resamples = 0;                 // resamples in which the bin is not empty
};

// One grid point of the smooth reliability curve (the smooth-ECE kernel).
struct SmoothPoint {
  double t = 0;                  // confidence
  double accuracy = kNaN;        // kernel-smoothed accuracy at t
  std::optional<Interval> band;  // bootstrap band of the smoothed accuracy
  double density = kNaN;         // kernel density of the confidences at t
};

// The reliability data of one (model, task, method).
struct ReliabilityDiagram {
  std::string model;
  std::string task;
  std::string method;
  std::vector<ReliabilityBin> bins;  // ascending, covering [0, 1]
  std::vector<SmoothPoint> smooth;   // ascending in t; may be empty
  double bandwidth = kNaN;           // of the smooth curve's kernel
  double smece = kNaN;               // smooth ECE at that bandwidth
};

struct ModelProvenance {
  std::string name;
  std::string path;
  std::uint64_t size_bytes = 0;
  std::string sha256;
  std::string architecture;
  std::int64_t parameters = 0;
};

struct FileProvenance {
  std::string path;
  std::uint64_t size_bytes = 0;
  std::string sha256;
};

struct TaskProvenance {
  std::string name;
  std::vector<FileProvenance> files;
  std::int64_t items = 0;
};

// A named setting of a run ("bos" = "lm-eval-0.4", "ctx_size" = "2048").
struct Setting {
  std::string name;
  std::string value;
};

// One scored (model, task, prompt style).
struct RunProvenance {
  std::string model;
  std::string task;
  std::string style;
  std::string template_version;
  std::vector<Setting> settings;
};

struct Provenance {
  std::string llmcal_version;
  std::string llama_cpp_version;
  std::string date;  // when the results were computed (ISO 8601)
  std::vector<ModelProvenance> models;
  std::vector<TaskProvenance> tasks;
  std::vector<RunProvenance> runs;
};

// How the numbers were computed.
struct AnalysisSettings {
  int bins = 10;                                   // equal-width bins of the textbook metrics
  int resamples = calibration::kDefaultResamples;  // bootstrap resamples; 0 = no intervals
  double level = 0.95;                             // of every interval
  std::uint64_t seed = 0;                          // bootstrap seed

  // Whether intervals (and so significance) were computed.
  bool intervals() const { return resamples > 0; }
};

struct StudyResults {
  std::vector<std::string> models;
  std::vector<ModelPair> pairs;
  std::vector<std::string> tasks;
  std::vector<std::string> methods;
  std::vector<MetricInfo> metrics;
  AnalysisSettings analysis;
  std::vector<MetricEstimate> estimates;
  std::vector<ChangeEstimate> changes;
  std::vector<Ranking> rankings;
  std::vector<ReliabilityDiagram> reliability;
  Provenance provenance;
};

// Checks that every name an entry uses is declared (models, pairs, tasks,
// methods, metrics), that declared names are unique and that a pair's members
// are distinct declared models. `source` names where the results came from
// (a file) in error messages.
// Throws InputError naming source and the field ("estimates[3].model") otherwise.
void Validate(const StudyResults& results, const std::string& source);

// Lookups into a StudyResults by name. REQUIRES: the results outlive the index
// and do not change while it is used.
class ResultIndex {
 public:
  explicit ResultIndex(const StudyResults& results);

  const StudyResults& results() const { return *results_; }

  // Each returns nullptr when there is no such entry.
  const MetricEstimate* Estimate(const std::string& model, const std::string& task,
                                 const std::string& method, const std::string& metric) const;
  const ChangeEstimate* Change(const std::string& pair, const std::string& task,
                               const std::string& method, const std::string& metric) const;
  const ReliabilityDiagram* Reliability(const std::string& model, const std::string& task,
                                        const std::string& method) const;
  const MetricInfo* Metric(const std::string& name) const;

  // The models that belong to no pair, in display order.
  std::vector<std::string> UnpairedModels() const;
  // The metrics that are calibration-error estimators, in display order.
  std::vector<const MetricInfo*> CalibrationErrorMetrics() const;

 private:
  using Key4 = std::tuple<std::string, std::string, std::string, std::string>;
  using Key3 = std::tuple<std::string, std::string, std::string>;

  const StudyResults* results_;
  std::map<Key4, const MetricEstimate*> estimates_;
  std::map<Key4, const ChangeEstimate*> changes_;
  std::map<Key3, const ReliabilityDiagram*> reliability_;
  std::map<std::string, const MetricInfo*> metrics_;
};

}  // namespace llmcal::analysis
