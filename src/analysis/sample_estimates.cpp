#include "analysis/sample_estimates.h"

#include "calibration/reliability.h"

namespace llmcal::analysis {

namespace cal = calibration;

std::optional<Interval> IntervalOf(const cal::Band& band, int resamples) {
  if (resamples == 0 || !band.defined())
    return std::nullopt;
  return band.interval;
}

std::vector<MetricEstimate> EstimateMetrics(const cal::ChoiceProbabilities& data,
                                            std::span<const cal::MetricSpec> metrics,
                                            const cal::BinOptions& bins,
                                            const cal::BootstrapOptions& bootstrap,
                                            const SampleLabel& label) {
  const cal::MetricEvaluator evaluator(data, {metrics.begin(), metrics.end()}, bins);
  const int resamples = bootstrap.resamples;
  std::vector<cal::MetricBand> bands;
  if (resamples > 0) {
    bands = cal::BootstrapMetrics(evaluator, bootstrap);
  } else {
    const std::vector<cal::MetricValue> values = evaluator.Compute();
    for (std::size_t m = 0; m < values.size(); ++m)
      bands.push_back({.spec = evaluator.selection()[m], .value = values[m], .band = {}});
  }
  std::vector<MetricEstimate> estimates;
  for (const cal::MetricBand& b : bands) {
    estimates.push_back({.model = label.model,
                         .task = label.task,
                         .method = label.method,
                         .metric = b.spec.Name(),
                         .value = b.value.value,
                         .ci = IntervalOf(b.band, resamples),
                         .ci_resamples = resamples > 0 ? b.band.defined_resamples : 0,
                         .n = static_cast<std::int64_t>(data.size()),
                         .undefined_reason = std::string(b.value.reason)});
  }
  return estimates;
}

ReliabilityDiagram DiagramOf(const cal::ChoiceProbabilities& data, int bins,
                             const cal::BootstrapOptions& bootstrap, const SampleLabel& label) {
  const int resamples = bootstrap.resamples;
  const cal::BootstrapOptions* options = resamples > 0 ? &bootstrap : nullptr;
  ReliabilityDiagram diagram;
  diagram.model = label.model;
  diagram.task = label.task;
  diagram.method = label.method;
  for (const cal::ConfidenceBin& b : cal::BinnedReliability(data, bins, options)) {
    diagram.bins.push_back({.lo = b.lo,
                            .hi = b.hi,
                            .count = static_cast<std::int64_t>(b.count),
                            .confidence = b.confidence,
                            .accuracy = b.accuracy,
                            .accuracy_band = IntervalOf(b.accuracy_band, resamples),
                            .band_resamples = b.accuracy_band.defined_resamples});
  }
  const cal::SmoothReliability smooth = cal::SmoothReliabilityCurve(data, options);
  diagram.bandwidth = smooth.sigma;
  diagram.smece = smooth.smece;
  for (const cal::SmoothReliabilityPoint& p : smooth.points) {
    diagram.smooth.push_back({.t = p.t,
                              .accuracy = p.accuracy,
                              .band = IntervalOf(p.accuracy_band, resamples),
                              .density = p.density});
  }
  return diagram;
}

}  // namespace llmcal::analysis
