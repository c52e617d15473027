#include "calibration/metric_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace llmcal::calibration {

namespace {

using enum MetricId;
using enum MetricParameter;

// Columns: id, name, description, lower is better, calibration error, parameter.
constexpr MetricDefinition kTable[] = {
    {kAccuracy, "accuracy", "share of items whose most probable choice is the gold one", false,
     false, kNone},
    {kEce, "ece", "expected calibration error, top-label, equal-width bins [lo, hi)", true, true,
     kNone},
    {kEceEm, "ece_em", "expected calibration error, top-label, equal-count bins", true, true,
     kNone},
    {kMce, "mce", "maximum calibration error over the non-empty equal-width bins", true, true,
     kNone},
    {kSce, "sce", "static calibration error (Nixon et al. 2019), classes weighted by N_k", true,
     true, kNone},
    {kAce, "ace", "adaptive calibration error (Nixon et al. 2019), equal-count ranges per class",
     true, true, kNone},
    {kBrier, "brier", "Brier score, summed over the choices", true, false, kNone},
    {kNll, "nll", "negative log-likelihood of the gold choice", true, false, kNone},
    {kSmece, "smece", "smooth ECE (Blasiok and Nakkiran 2023), reflected Gaussian kernel", true,
     true, kNone},
    {kEceCl, "ece_cl", "ECE as calibration_library's ECELoss: 15 bins (lo, hi]", true, true, kNone},
    {kSceCl, "sce_cl",
     "SCE as calibration_library's SCELoss (the paper's): 15 bins (lo, hi], agreement accuracy",
     true, true, kNone},
    {kAuroc, "auroc", "area under the ROC curve of confidence as a score for correctness", false,
     false, kNone},
    {kAurc, "aurc", "area under the risk-coverage curve", true, false, kNone},
    {kAugrc, "augrc", "area under the generalized risk-coverage curve (Traub et al. 2024)", true,
     false, kNone},
    {kSelectiveAcc, "selective_acc",
     "accuracy on the fraction C of the items with the highest confidence", false, false,
     kCoverage},
    {kBrierRel, "brier_rel", "reliability term of Murphy's Brier decomposition (one-vs-rest)", true,
     true, kNone},
    {kBrierRes, "brier_res", "resolution term of Murphy's Brier decomposition (one-vs-rest)", false,
     false, kNone},
    {kBrierUnc, "brier_unc", "uncertainty term of Murphy's Brier decomposition (one-vs-rest)", true,
     false, kNone},
    {kLetterRstd, "letter_rstd",
     "standard deviation of per-position recall (RStd, Zheng et al. 2024)", true, false, kNone},
};
static_assert(std::size(kTable) == kMetricIdCount);

constexpr double kDefaultCoverages[] = {0.1, 0.5};

std::invalid_argument UnknownMetric(std::string_view name, std::string_view why) {
  return std::invalid_argument(
      fmt::format("unknown metric '{}'{}; known: {}", name, why, KnownMetricNames()));
}

double ParseCoverage(std::string_view full_name, std::string_view text) {
  double c = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), c);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !(c > 0) || c > 1) {
    throw UnknownMetric(full_name, ": the coverage after '@' must be a number in (0, 1]");
  }
  return c;
}

}  // namespace

std::span<const MetricDefinition> KnownMetrics() {
  return kTable;
}

const MetricDefinition& Info(MetricId id) {
  return kTable[static_cast<std::size_t>(id)];
}

std::string MetricSpec::Name() const {
  if (info().parameter == kNone)
    return std::string(info().name);
  return fmt::format("{}@{}", info().name, parameter);
}

MetricSpec ParseMetricSpec(std::string_view name) {
  const std::size_t at = name.find('@');
  const std::string_view base = name.substr(0, at);
  const auto row = std::find_if(std::begin(kTable), std::end(kTable),
                                [base](const MetricDefinition& m) { return m.name == base; });
  if (row == std::end(kTable))
    throw UnknownMetric(name, "");
  if (row->parameter == kNone) {
    if (at != std::string_view::npos)
      throw UnknownMetric(name, ": it takes no parameter");
    return {row->id, 0};
  }
  if (at == std::string_view::npos)
    throw UnknownMetric(name, ": it needs a coverage, e.g. selective_acc@0.1");
  return {row->id, ParseCoverage(name, name.substr(at + 1))};
}

std::vector<MetricSpec> ParseMetricSelection(std::string_view list) {
  std::vector<MetricSpec> selection;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = list.find(',', start);
    const std::string_view element = list.substr(start, comma - start);
    if (element.empty())
      throw std::invalid_argument("empty metric name in '" + std::string(list) + "'");
    const MetricSpec spec = ParseMetricSpec(element);
    if (IndexOf(selection, spec) == selection.size())
      selection.push_back(spec);
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }
  return selection;
}

std::vector<MetricSpec> AllMetrics() {
  std::vector<MetricSpec> all;
  for (const MetricDefinition& m : kTable) {
    if (m.parameter == kCoverage) {
      for (double c : kDefaultCoverages)
        all.push_back({m.id, c});
    } else {
      all.push_back({m.id, 0});
    }
  }
  return all;
}

std::string KnownMetricNames() {
  std::string names;
  for (const MetricDefinition& m : kTable) {
    if (!names.empty())
      names += ", ";
    names += m.name;
    if (m.parameter == kCoverage)
      names += "@C (0 < C <= 1)";
  }
  return names;
}

std::size_t IndexOf(std::span<const MetricSpec> selection, const MetricSpec& spec) {
  return static_cast<std::size_t>(std::find(selection.begin(), selection.end(), spec) -
                                  selection.begin());
}

}  // namespace llmcal::calibration
