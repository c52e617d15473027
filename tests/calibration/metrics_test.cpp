// The metric evaluator's contract: selections, multiplicities, invariances,
// undefined values, and every fast path against a naive computation from the
// definitions (naive_metrics.h). Hand-computed values are data: cases/*.case,
// run by metric_cases_test.cpp.
#include "calibration/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/metric_table.h"
#include "naive_metrics.h"
#include "test_samples.h"

namespace llmcal::calibration {
namespace {

using testing::Make;
using testing::MetricOf;

ChoiceProbabilities FiveItems() {
  return Make({{{0.60, 0.40}, 0},
               {{0.80, 0.20}, 0},
               {{0.35, 0.65}, 0},
               {{0.45, 0.55}, 0},
               {{0.50, 0.50}, 1}});
}

// Both defined and within tolerance, or both undefined.
void ExpectSameValue(const MetricValue& a, const MetricValue& b, double tolerance,
                     const std::string& what) {
  ASSERT_EQ(a.defined(), b.defined()) << what;
  if (a.defined() && std::isfinite(a.value)) {
    EXPECT_NEAR(a.value, b.value, tolerance) << what;
  } else {
    EXPECT_EQ(a.value, b.value) << what;
  }
}

TEST(MetricEvaluator, RejectsWhatItCannotMeasure) {
  EXPECT_THROW(ComputeMetrics(ChoiceProbabilities()), std::invalid_argument);
  EXPECT_THROW(ComputeMetrics(FiveItems(), {}), std::invalid_argument);
  EXPECT_THROW(ComputeMetrics(FiveItems(), AllMetrics(), {.bins = 0}), std::invalid_argument);
  EXPECT_THROW(ComputeMetrics(FiveItems(), AllMetrics(), {.cl_bins = 0}), std::invalid_argument);
  const MetricEvaluator evaluator(FiveItems());
  EXPECT_THROW(evaluator.Compute(std::vector<std::uint32_t>(5, 0)), std::invalid_argument);
  EXPECT_THROW(evaluator.Compute(std::vector<std::uint32_t>(4, 1)), std::invalid_argument);
}

TEST(MetricEvaluator, ComputesOnlyTheSelectionInItsOrder) {
  const ChoiceProbabilities data = testing::TiedMixedSample(300, 5, 6, 17);
  const std::vector<MetricSpec> all = AllMetrics();
  const std::vector<MetricValue> every = ComputeMetrics(data, all);
  ASSERT_EQ(every.size(), all.size());
  // Each metric alone, and the selection reversed, give the same values.
  std::vector<MetricSpec> reversed(all.rbegin(), all.rend());
  const std::vector<MetricValue> backwards = ComputeMetrics(data, reversed);
  for (std::size_t j = 0; j < all.size(); ++j) {
    const std::vector<MetricValue> alone = ComputeMetrics(data, {all[j]});
    ASSERT_EQ(alone.size(), 1u);
    EXPECT_EQ(alone[0].value, every[j].value) << all[j].Name();
    EXPECT_EQ(backwards[all.size() - 1 - j].value, every[j].value) << all[j].Name();
  }
}

TEST(MetricEvaluator, MultiplicitiesEqualRepeatedItems) {
  // Counting item 1 three times and dropping item 4 equals a sample written out so.
  const std::vector<std::uint32_t> multiplicity = {3, 1, 1, 0, 1};
  const std::vector<MetricValue> weighted =
      MetricEvaluator(FiveItems(), AllMetrics(), {.bins = 4, .cl_bins = 7}).Compute(multiplicity);
  const std::vector<MetricValue> expanded = ComputeMetrics(Make({{{0.60, 0.40}, 0},
                                                                 {{0.60, 0.40}, 0},
                                                                 {{0.60, 0.40}, 0},
                                                                 {{0.80, 0.20}, 0},
                                                                 {{0.35, 0.65}, 0},
                                                                 {{0.50, 0.50}, 1}}),
                                                           AllMetrics(), {.bins = 4, .cl_bins = 7});
  const std::vector<MetricSpec> all = AllMetrics();
  for (std::size_t j = 0; j < all.size(); ++j)
    ExpectSameValue(weighted[j], expanded[j], 1e-12, all[j].Name());
}

TEST(MetricEvaluator, MultiplicitiesEqualRepeatedItemsOnTiedMixedData) {
  const ChoiceProbabilities data = testing::TiedMixedSample(200, 5, 4, 5);
  std::vector<std::uint32_t> multiplicity(data.size());
  DrawResample(3, 7, multiplicity);
  ChoiceProbabilities expanded;
  for (std::size_t i = 0; i < data.size(); ++i) {
    for (std::uint32_t m = 0; m < multiplicity[i]; ++m)
      expanded.Add(data.probs(i), data.gold(i));
  }
  const std::vector<MetricSpec> all = AllMetrics();
  const std::vector<MetricValue> a = MetricEvaluator(data).Compute(multiplicity);
  const std::vector<MetricValue> b = ComputeMetrics(expanded);
  for (std::size_t j = 0; j < all.size(); ++j) {
    // Equal-count bins cut ties by item order, which expanding changes.
    if (all[j].id == MetricId::kEceEm || all[j].id == MetricId::kAce)
      continue;
    ExpectSameValue(a[j], b[j], 1e-12, all[j].Name());
  }
}

TEST(MetricEvaluator, PermutingItemsChangesNothing) {
  const ChoiceProbabilities data = testing::RandomSample(2000, 4, 6.0, 1.3, 7);
  std::vector<std::size_t> order(data.size());
  std::iota(order.begin(), order.end(), 0);
  SplitMix64 rng(99);
  for (std::size_t i = order.size() - 1; i > 0; --i)
    std::swap(order[i], order[rng.UniformBelow(i + 1)]);
  ChoiceProbabilities shuffled;
  for (std::size_t i : order)
    shuffled.Add(data.probs(i), data.gold(i));
  const std::vector<MetricSpec> all = AllMetrics();
  const std::vector<MetricValue> a = ComputeMetrics(data, all, {.bins = 15});
  const std::vector<MetricValue> b = ComputeMetrics(shuffled, all, {.bins = 15});
  for (std::size_t j = 0; j < all.size(); ++j)
    ExpectSameValue(a[j], b[j], 1e-12, all[j].Name());
}

// Every fast path against its naive definition, on samples with ties, values
// on bin edges and two to five choices.
TEST(MetricEvaluator, AgreesWithNaiveDefinitions) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const ChoiceProbabilities data = testing::TiedMixedSample(150, 5, 1 + seed, seed);
    for (int bins : {1, 3, 10}) {
      const BinOptions b{.bins = bins, .cl_bins = bins + 5};
      const std::string at = " seed " + std::to_string(seed) + " bins " + std::to_string(bins);
      EXPECT_NEAR(MetricOf(data, "sce", b), naive::Sce(data, bins), 1e-12) << at;
      EXPECT_NEAR(MetricOf(data, "ace", b), naive::Ace(data, bins), 1e-12) << at;
      EXPECT_NEAR(MetricOf(data, "ece_cl", b), naive::EceCl(data, bins + 5), 1e-12) << at;
      EXPECT_NEAR(MetricOf(data, "sce_cl", b), naive::SceCl(data, bins + 5), 1e-12) << at;
      const naive::BrierTerms terms = naive::BrierDecomposition(data, bins);
      EXPECT_NEAR(MetricOf(data, "brier_rel", b), terms.rel, 1e-12) << at;
      EXPECT_NEAR(MetricOf(data, "brier_res", b), terms.res, 1e-12) << at;
      EXPECT_NEAR(MetricOf(data, "brier_unc", b), terms.unc, 1e-12) << at;
    }
    const std::string at = " seed " + std::to_string(seed);
    EXPECT_NEAR(MetricOf(data, "auroc"), naive::Auroc(data), 1e-12) << at;
    EXPECT_NEAR(MetricOf(data, "aurc"), naive::Aurc(data), 1e-12) << at;
    EXPECT_NEAR(MetricOf(data, "augrc"), naive::Augrc(data), 1e-12) << at;
    EXPECT_NEAR(MetricOf(data, "letter_rstd"), naive::LetterRstd(data), 1e-12) << at;
    EXPECT_NEAR(MetricOf(data, "brier"), naive::Brier(data), 1e-12) << at;
    for (std::size_t m : {1, 7, 75, 149, 150}) {
      const MetricSpec spec{MetricId::kSelectiveAcc, static_cast<double>(m) / 150};
      EXPECT_NEAR(ComputeMetrics(data, {spec})[0].value, naive::SelectiveAccuracy(data, m), 1e-12)
          << at << " m " << m;
    }
  }
}

// Murphy: brier = rel - res + unc exactly when each bin of each class holds a
// single value of p_ik. Four-choice items take probabilities from a
// permutation of {0.1, 0.2, 0.3, 0.4} and two-choice items {0.4, 0.6} (so
// classes 2 and 3 are padded with 0): every class's bins 0..6 hold one value each.
TEST(BrierDecomposition, IdentityWhenEachBinHoldsOneValue) {
  SplitMix64 rng(2024);
  ChoiceProbabilities data;
  for (int i = 0; i < 5000; ++i) {
    std::vector<double> p = {0.1, 0.2, 0.3, 0.4};
    if (rng.UniformBelow(3) == 0)
      p = {0.4, 0.6};
    for (std::size_t k = p.size() - 1; k > 0; --k)
      std::swap(p[k], p[rng.UniformBelow(k + 1)]);
    data.Add(p, static_cast<int>(rng.UniformBelow(p.size())));
  }
  const std::vector<MetricValue> v =
      ComputeMetrics(data, ParseMetricSelection("brier,brier_rel,brier_res,brier_unc"));
  EXPECT_NEAR(v[0].value, v[1].value - v[2].value + v[3].value, 1e-12);
  EXPECT_GT(v[1].value, 0.01);  // far from calibrated: the terms are not trivial
}

TEST(MetricEvaluator, UndefinedValuesCarryAReason) {
  const ChoiceProbabilities right = Make({{{0.8, 0.2}, 0}, {{0.3, 0.7}, 1}});
  const std::vector<MetricValue> v = ComputeMetrics(right, ParseMetricSelection("auroc,aurc"));
  EXPECT_FALSE(v[0].defined());
  EXPECT_TRUE(std::isnan(v[0].value));
  EXPECT_NE(v[0].reason.find("every item is right"), std::string_view::npos);
  EXPECT_TRUE(v[1].defined());
  EXPECT_TRUE(v[1].reason.empty());
  // An infinite value is defined: NLL with a gold probability of 0.
  const MetricValue nll = ComputeMetrics(Make({{{1.0, 0.0}, 1}}), {ParseMetricSpec("nll")})[0];
  EXPECT_TRUE(nll.defined());
  EXPECT_EQ(nll.value, std::numeric_limits<double>::infinity());
}

TEST(MetricEvaluator, ClassSetIsFixedByTheWholeSample) {
  // A resample without the five-choice item still weighs classes as the
  // formula says (N_k / sum N_j), never switching K: dropping the item equals
  // computing on the four-choice items alone.
  const ChoiceProbabilities data =
      Make({{{0.7, 0.1, 0.1, 0.1}, 0}, {{0.1, 0.6, 0.2, 0.1}, 2}, {{0.2, 0.2, 0.2, 0.2, 0.2}, 4}});
  const ChoiceProbabilities four = Make({{{0.7, 0.1, 0.1, 0.1}, 0}, {{0.1, 0.6, 0.2, 0.1}, 2}});
  const std::vector<std::uint32_t> without_last = {1, 1, 0};
  for (const char* name : {"sce", "ace", "brier_rel", "brier_res", "brier_unc"}) {
    const MetricValue dropped =
        MetricEvaluator(data, {ParseMetricSpec(name)}).Compute(without_last)[0];
    EXPECT_NEAR(dropped.value, MetricOf(four, name), 1e-12) << name;
  }
  // sce_cl keeps the whole sample's five columns: the fifth, all p = 0, adds 0
  // but still divides, as a padded matrix would.
  const MetricValue cl =
      MetricEvaluator(data, {ParseMetricSpec("sce_cl")}).Compute(without_last)[0];
  EXPECT_NEAR(cl.value, MetricOf(four, "sce_cl") * 4 / 5, 1e-12);
}

TEST(MetricEvaluator, CalibratedSampleHasEceNearZeroWithinItsInterval) {
  // Labels drawn from the model's own probabilities: calibrated by construction.
  const ChoiceProbabilities data = testing::RandomSample(20000, 4, 6.0, 1.0, 11);
  const MetricEvaluator evaluator(data, ParseMetricSelection("ece,smece"));
  const std::vector<MetricBand> est =
      BootstrapMetrics(evaluator, {.resamples = 100, .level = 0.95, .seed = 5, .threads = 2});
  EXPECT_LT(est[0].value.value, 0.015);
  EXPECT_LE(est[0].band.interval.lo, est[0].value.value);
  EXPECT_GE(est[0].band.interval.hi, est[0].value.value);
  // smECE is near 0 too; its resamples (with duplicated items) sit above the
  // full-sample value, so only its nearness to 0 is asserted.
  EXPECT_LT(est[1].value.value, 0.015);
  EXPECT_LT(est[1].band.interval.hi, 0.03);
  // An overconfident model on the same scheme (labels from softer probabilities)
  // is clearly miscalibrated: its whole interval lies above the calibrated ECE.
  const ChoiceProbabilities over = testing::RandomSample(20000, 4, 6.0, 2.0, 11);
  const std::vector<MetricBand> est_over =
      BootstrapMetrics(MetricEvaluator(over, ParseMetricSelection("ece")),
                       {.resamples = 100, .level = 0.95, .seed = 5, .threads = 2});
  EXPECT_GT(est_over[0].band.interval.lo, 0.1);
  EXPECT_GT(est_over[0].band.interval.lo, est[0].band.interval.hi);
}

}  // namespace
}  // namespace llmcal::calibration
