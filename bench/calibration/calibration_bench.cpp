// Speed of the metric engine (issues 4 and 10): every metric on 1,000,000
// items on one core (< 1 s), and 1000 bootstrap resamples of 100,000 items on
// two cores (< 10 s). Items have 4 choices with random probabilities and gold
// labels drawn from them. Side by side: each metric alone, the nine metrics of
// issue 4 (the earlier figures), and the reliability diagrams with their bands.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/choice_probabilities.h"
#include "calibration/metric_table.h"
#include "calibration/metrics.h"
#include "calibration/reliability.h"

namespace {

namespace cal = llmcal::calibration;

cal::ChoiceProbabilities RandomItems(std::size_t n, std::uint64_t seed) {
  cal::SplitMix64 rng(seed);
  const auto uniform = [&rng] { return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53; };
  cal::ChoiceProbabilities data;
  data.Reserve(n, 4 * n);
  std::vector<double> scores(4);
  std::vector<double> probs(4);
  for (std::size_t i = 0; i < n; ++i) {
    for (double& s : scores)
      s = 6 * (uniform() - 0.5);
    cal::Softmax(scores, probs);
    // Gold drawn from the probabilities: a calibrated model, whose small
    // smooth-ECE bandwidth is the costly case.
    double u = uniform();
    std::size_t gold = 0;
    while (gold < 3 && u >= probs[gold])
      u -= probs[gold++];
    data.Add(probs, static_cast<int>(gold));
  }
  return data;
}

const cal::ChoiceProbabilities& Million() {
  static const cal::ChoiceProbabilities data = RandomItems(1'000'000, 1);
  return data;
}

// Preparing (sorting) and computing a selection, as `llmcal calibrate
// --bootstrap 0` does.
void RunSelection(benchmark::State& state, const std::vector<cal::MetricSpec>& selection) {
  const cal::ChoiceProbabilities& data = Million();
  for (auto _ : state) {
    const std::vector<cal::MetricValue> values = cal::ComputeMetrics(data, selection);
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data.size()));
}

void BM_AllMetrics(benchmark::State& state) {
  RunSelection(state, cal::AllMetrics());
}
BENCHMARK(BM_AllMetrics)->Unit(benchmark::kMillisecond)->UseRealTime();

// The nine metrics of issue 4, for comparison with the earlier figures.
void BM_IssueFourMetrics(benchmark::State& state) {
  RunSelection(state, cal::ParseMetricSelection("accuracy,ece,ece_em,mce,sce,ace,brier,nll,smece"));
}
BENCHMARK(BM_IssueFourMetrics)->Unit(benchmark::kMillisecond)->UseRealTime();

// The metrics new with issues 9 and 10.
void BM_NewMetrics(benchmark::State& state) {
  RunSelection(state, cal::ParseMetricSelection(
                          "ece_cl,sce_cl,auroc,aurc,augrc,selective_acc@0.1,selective_acc@0.5,"
                          "brier_rel,brier_res,brier_unc,letter_rstd"));
}
BENCHMARK(BM_NewMetrics)->Unit(benchmark::kMillisecond)->UseRealTime();

// One metric alone; the argument indexes AllMetrics().
void BM_OneMetric(benchmark::State& state) {
  const cal::MetricSpec spec = cal::AllMetrics()[static_cast<std::size_t>(state.range(0))];
  state.SetLabel(spec.Name());
  RunSelection(state, {spec});
}
BENCHMARK(BM_OneMetric)
    ->DenseRange(0, static_cast<int>(cal::kMetricIdCount), 1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One resample of 100,000 items (preparation excluded): what each bootstrap
// resample costs, for one metric (argument: index into AllMetrics()) or, with
// argument -1, all of them.
void BM_Resample(benchmark::State& state) {
  static const cal::ChoiceProbabilities data = RandomItems(100'000, 2);
  std::vector<cal::MetricSpec> selection = cal::AllMetrics();
  if (state.range(0) >= 0) {
    selection = {selection[static_cast<std::size_t>(state.range(0))]};
    state.SetLabel(selection[0].Name());
  }
  const cal::MetricEvaluator evaluator(data, selection);
  std::vector<std::uint32_t> multiplicity(data.size());
  cal::DrawResample(0, 0, multiplicity);
  std::vector<cal::MetricValue> out(selection.size());
  for (auto _ : state) {
    evaluator.Compute(multiplicity, out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Resample)
    ->DenseRange(-1, static_cast<int>(cal::kMetricIdCount), 1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Every metric with 1000 bootstrap resamples on state.range(1) threads.
void BM_Bootstrap(benchmark::State& state) {
  const cal::ChoiceProbabilities data = RandomItems(static_cast<std::size_t>(state.range(0)), 2);
  const cal::MetricEvaluator evaluator(data);
  const cal::BootstrapOptions options{
      .resamples = 1000, .level = 0.95, .seed = 0, .threads = static_cast<int>(state.range(1))};
  for (auto _ : state) {
    const std::vector<cal::MetricBand> estimates = cal::BootstrapMetrics(evaluator, options);
    benchmark::DoNotOptimize(estimates.data());
  }
}
BENCHMARK(BM_Bootstrap)
    ->Args({100'000, 2})
    ->Args({100'000, 1})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

// Both reliability diagrams with 1000-resample bands on 2 threads.
void BM_ReliabilityBands(benchmark::State& state) {
  const cal::ChoiceProbabilities data = RandomItems(static_cast<std::size_t>(state.range(0)), 3);
  const cal::BootstrapOptions options{.resamples = 1000, .level = 0.95, .seed = 0, .threads = 2};
  for (auto _ : state) {
    const auto binned = cal::BinnedReliability(data, 10, &options);
    const auto smooth = cal::SmoothReliabilityCurve(data, &options);
    benchmark::DoNotOptimize(binned.data());
    benchmark::DoNotOptimize(smooth.points.data());
  }
}
BENCHMARK(BM_ReliabilityBands)
    ->Arg(100'000)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
