// The one table of calibration metrics: every metric's name, a one-line
// description, whether lower is better, whether it estimates a calibration
// error, and its parameter. CLI validators, `--metric` parsing, help text and
// the docs' lists are derived from it (docs/calibration.md gives the formulas).
//
// A metric is selected by a MetricSpec: the metric and, for a parametric one,
// its parameter. `selective_acc@C` is the only parametric metric: the accuracy
// on the fraction C in (0, 1] of the items with the highest confidence.
//
//   std::vector<MetricSpec> chosen = ParseMetricSelection("ece,sce_cl,selective_acc@0.2");
//   chosen[2].Name();  // "selective_acc@0.2"
//
// Everything here is constant data and pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace llmcal::calibration {

enum class MetricId {
  kAccuracy,
  kEce,
  kEceEm,
  kMce,
  kSce,
  kAce,
  kBrier,
  kNll,
  kSmece,
  kEceCl,
  kSceCl,
  kAuroc,
  kAurc,
  kAugrc,
  kSelectiveAcc,
  kBrierRel,
  kBrierRes,
  kBrierUnc,
  kLetterRstd,
};
inline constexpr std::size_t kMetricIdCount = 19;

// What a metric's name may carry after '@'.
enum class MetricParameter {
  kNone,
  kCoverage,  // a fraction C in (0, 1] of the items
};

struct MetricDefinition {
  MetricId id;
  std::string_view name;  // for a parametric metric, the part before '@'
  std::string_view description;
  bool lower_is_better;
  bool calibration_error;  // an estimator of calibration error (ECE-like)
  MetricParameter parameter;
};

// Every metric, in the order of the default selection.
std::span<const MetricDefinition> KnownMetrics();

// Returns the table row of `id`.
const MetricDefinition& Info(MetricId id);

// One selected metric: the metric and its parameter (the coverage C of
// selective_acc@C; 0 for a metric without parameter).
struct MetricSpec {
  MetricId id = MetricId::kAccuracy;
  double parameter = 0;

  // The canonical name: "ece", or "selective_acc@0.1" (C printed in the
  // shortest form that reads back exactly).
  std::string Name() const;
  const MetricDefinition& info() const { return Info(id); }
  friend bool operator==(const MetricSpec&, const MetricSpec&) = default;
};

// Returns the metric named `name` ("sce", "selective_acc@0.25").
// Throws std::invalid_argument naming the known metrics when the name is
// unknown, a parametric metric lacks its parameter, a metric without one has
// it, or C is not a number in (0, 1].
MetricSpec ParseMetricSpec(std::string_view name);

// Returns the metrics of a comma-separated list, in order, without repeats
// (a repeated metric counts once). Throws std::invalid_argument as
// ParseMetricSpec, and for an empty list or an empty element.
std::vector<MetricSpec> ParseMetricSelection(std::string_view list);

// The default selection: every metric of the table, selective_acc at the
// coverages 0.1 and 0.5.
std::vector<MetricSpec> AllMetrics();

// The known names for messages and help: "accuracy, ece, ..., selective_acc@C
// (0 < C <= 1), ...".
std::string KnownMetricNames();

// Returns the index of `spec` in `selection`, or selection.size() when absent.
std::size_t IndexOf(std::span<const MetricSpec> selection, const MetricSpec& spec);

}  // namespace llmcal::calibration
