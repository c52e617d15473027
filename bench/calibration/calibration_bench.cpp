// Speed of the metric engine (issue 4 targets): every metric on 1,000,000
// items on one core (< 1 s), and 1000 bootstrap resamples of 100,000 items on
// two cores (< 10 s). Items have 4 choices with random probabilities and
// gold labels drawn from them.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/choice_probabilities.h"
#include "calibration/metrics.h"

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

// Preparing (sorting) and computing every metric, as `llmcal calibrate
// --bootstrap 0` does.
void BM_AllMetrics(benchmark::State& state) {
  const cal::ChoiceProbabilities data = RandomItems(static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) {
    const cal::MetricValues values = cal::ComputeMetrics(data, 10);
    benchmark::DoNotOptimize(values);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AllMetrics)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Every metric with 1000 bootstrap resamples on state.range(1) threads.
void BM_Bootstrap(benchmark::State& state) {
  const cal::ChoiceProbabilities data = RandomItems(static_cast<std::size_t>(state.range(0)), 2);
  const cal::MetricEvaluator evaluator(data, 10);
  const cal::BootstrapOptions options{
      .resamples = 1000, .level = 0.95, .seed = 0, .threads = static_cast<int>(state.range(1))};
  for (auto _ : state) {
    const cal::MetricEstimates estimates = cal::BootstrapMetrics(evaluator, options);
    benchmark::DoNotOptimize(estimates);
  }
}
BENCHMARK(BM_Bootstrap)
    ->Args({100'000, 2})
    ->Args({100'000, 1})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
