// Comparisons between models (DESIGN.md "Comparisons"): the change rate from
// a pretrained (PT) to an instruction-tuned (IT) model, the paired bootstrap
// that gives each change its interval and significance, rank tables of models
// by a value, and Kendall's W, the concordance of those rankings across tasks.
#pragma once

#include <span>
#include <vector>

#include "calibration/bootstrap.h"
#include "calibration/choice_probabilities.h"
#include "calibration/metric_table.h"
#include "calibration/metrics.h"

namespace llmcal::calibration {

// Returns (it - pt) / pt * 100, in percent. pt == 0 gives +-infinity (NaN when
// it == 0 too), as IEEE division does; callers show those as undefined.
double ChangeRate(double pt, double it);

// The change of one metric from PT to IT on the same items. A resample where
// either value (or, for the change rate, the rate) is undefined is left out of
// that interval; the counts say how many were used.
struct MetricChange {
  MetricSpec spec;
  MetricValue pt;
  MetricValue it;
  double difference = 0;   // it - pt (NaN when either is undefined)
  double change_rate = 0;  // (it - pt) / pt * 100 (ChangeRate)
  Band difference_ci;      // paired bootstrap
  Band change_rate_ci;
  bool significant = false;  // difference_ci defined and excluding 0
};

// Paired bootstrap: each resample draws the same item indices for both
// models, so the intervals are for the change itself. Returns one MetricChange
// per metric of `selection`, in its order.
// REQUIRES: pt and it non-empty, of equal size, with equal gold labels item by
// item; selection non-empty; bins as MetricEvaluator; options.resamples >= 1.
// Throws std::invalid_argument otherwise.
std::vector<MetricChange> PairedBootstrap(const ChoiceProbabilities& pt,
                                          const ChoiceProbabilities& it,
                                          std::vector<MetricSpec> selection, BinOptions bins,
                                          const BootstrapOptions& options);

// Returns the competition rank (1, 2, 2, 4) of each value, ordering values
// descending: rank = 1 + the number of values strictly greater. Equal values
// (exactly equal: ranks are computed on unrounded values) share a rank.
// REQUIRES: no NaN. Throws std::invalid_argument otherwise.
std::vector<int> CompetitionRanks(std::span<const double> values);

// Returns the average ("fractional") ranks of values, descending: tied values
// share the mean of the ranks they span (1, 2.5, 2.5, 4). REQUIRES: no NaN.
std::vector<double> AverageRanks(std::span<const double> values);

// Kendall's coefficient of concordance of m rankings (tasks) of the same n
// objects (models).
struct KendallW {
  double w = 0;                // in [0, 1]; 1 = every task ranks the models alike
  double chi_square = 0;       // m (n - 1) W
  int degrees_of_freedom = 0;  // n - 1
  double p_value = 0;          // P(chi-square(n - 1) >= chi_square)
};

// Returns Kendall's W of the rankings implied by values[task][model] (higher
// value = better rank; ties get average ranks), with the tie correction
//   W = 12 S / (m^2 (n^3 - n) - m T),  S = sum_j (R_j - m (n + 1) / 2)^2,
//   T = sum over tasks and tie groups of (t^3 - t),
// R_j the rank sum of model j. When every task ties every model (the
// denominator is 0) W is NaN and so is the p-value.
// REQUIRES: m >= 1 tasks, each with the same n >= 2 values, none NaN.
// Throws std::invalid_argument otherwise.
KendallW KendallsW(const std::vector<std::vector<double>>& values);

// Returns P(X >= x) for X chi-square distributed with `df` degrees of freedom
// (the regularized upper incomplete gamma function Q(df/2, x/2), from Boost.Math).
// REQUIRES: df >= 1, x >= 0.
double ChiSquareUpperTail(double x, int df);

}  // namespace llmcal::calibration
