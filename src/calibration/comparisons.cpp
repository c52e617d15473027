#include "calibration/comparisons.h"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace llmcal::calibration {

namespace {

void CheckNoNaN(std::span<const double> values) {
  if (std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) {
    throw std::invalid_argument("cannot rank NaN values");
  }
}

// Returns positions ordered by value descending (ties in position order).
std::vector<std::size_t> DescendingOrder(std::span<const double> values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&values](std::size_t a, std::size_t b) { return values[a] > values[b]; });
  return order;
}

}  // namespace

double ChangeRate(double pt, double it) {
  return (it - pt) / pt * 100.0;
}

std::vector<int> CompetitionRanks(std::span<const double> values) {
  CheckNoNaN(values);
  const std::vector<std::size_t> order = DescendingOrder(values);
  std::vector<int> ranks(values.size());
  for (std::size_t pos = 0; pos < order.size(); ++pos) {
    const bool tied_with_previous = pos > 0 && values[order[pos]] == values[order[pos - 1]];
    ranks[order[pos]] = tied_with_previous ? ranks[order[pos - 1]] : static_cast<int>(pos) + 1;
  }
  return ranks;
}

std::vector<double> AverageRanks(std::span<const double> values) {
  CheckNoNaN(values);
  const std::vector<std::size_t> order = DescendingOrder(values);
  std::vector<double> ranks(values.size());
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start + 1;
    while (end < order.size() && values[order[end]] == values[order[start]])
      ++end;
    // Positions start..end-1 hold ranks start+1..end; their mean:
    const double mean_rank = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2;
    for (std::size_t pos = start; pos < end; ++pos)
      ranks[order[pos]] = mean_rank;
    start = end;
  }
  return ranks;
}

double ChiSquareUpperTail(double x, int df) {
  if (df < 1 || !(x >= 0))
    throw std::invalid_argument("chi-square: need df >= 1 and x >= 0");
  return boost::math::gamma_q(df / 2.0, x / 2.0);
}

std::vector<MetricChange> PairedBootstrap(const ChoiceProbabilities& pt,
                                          const ChoiceProbabilities& it,
                                          std::vector<MetricSpec> selection, BinOptions bins,
                                          const BootstrapOptions& options) {
  if (pt.size() != it.size()) {
    throw std::invalid_argument("paired bootstrap: the two models have different item counts");
  }
  if (pt.golds() != it.golds()) {
    throw std::invalid_argument("paired bootstrap: the gold labels differ, so the items differ");
  }
  const MetricEvaluator pt_eval(pt, selection, bins);
  const MetricEvaluator it_eval(it, std::move(selection), bins);
  const std::vector<MetricValue> pt_value = pt_eval.Compute();
  const std::vector<MetricValue> it_value = it_eval.Compute();
  const std::size_t width = pt_value.size();
  // Per resample: the differences, then the change rates.
  const std::vector<Band> bands =
      BootstrapBands(pt.size(), 2 * width, options,
                     [&](std::span<const std::uint32_t> multiplicity, std::span<double> out) {
                       std::vector<MetricValue> a(width), b(width);
                       pt_eval.Compute(multiplicity, a);
                       it_eval.Compute(multiplicity, b);
                       for (std::size_t c = 0; c < width; ++c) {
                         out[c] = b[c].value - a[c].value;
                         out[width + c] = ChangeRate(a[c].value, b[c].value);
                       }
                     });
  std::vector<MetricChange> changes;
  for (std::size_t c = 0; c < width; ++c) {
    MetricChange change;
    change.spec = pt_eval.selection()[c];
    change.pt = pt_value[c];
    change.it = it_value[c];
    change.difference = change.it.value - change.pt.value;
    change.change_rate = ChangeRate(change.pt.value, change.it.value);
    change.difference_ci = bands[c];
    change.change_rate_ci = bands[width + c];
    change.significant =
        change.difference_ci.defined() && change.difference_ci.interval.ExcludesZero();
    changes.push_back(change);
  }
  return changes;
}

KendallW KendallsW(const std::vector<std::vector<double>>& values) {
  if (values.empty())
    throw std::invalid_argument("Kendall's W needs at least one task");
  const std::size_t n = values.front().size();
  if (n < 2)
    throw std::invalid_argument("Kendall's W needs at least two models");
  const auto m = static_cast<double>(values.size());
  std::vector<double> rank_sums(n, 0.0);
  double ties = 0;
  for (const std::vector<double>& task : values) {
    if (task.size() != n)
      throw std::invalid_argument("every task must rank the same models");
    const std::vector<double> ranks = AverageRanks(task);
    for (std::size_t j = 0; j < n; ++j)
      rank_sums[j] += ranks[j];
    // Tie groups share an average rank; count each group's size t.
    std::vector<double> sorted = ranks;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t start = 0; start < n;) {
      std::size_t end = start + 1;
      while (end < n && sorted[end] == sorted[start])
        ++end;
      const auto t = static_cast<double>(end - start);
      ties += t * t * t - t;
      start = end;
    }
  }
  const auto objects = static_cast<double>(n);
  const double mean_sum = m * (objects + 1) / 2;
  double s = 0;
  for (double r : rank_sums)
    s += (r - mean_sum) * (r - mean_sum);
  KendallW result;
  result.degrees_of_freedom = static_cast<int>(n) - 1;
  const double denominator = m * m * (objects * objects * objects - objects) - m * ties;
  if (denominator <= 0) {
    result.w = result.chi_square = result.p_value = std::numeric_limits<double>::quiet_NaN();
    return result;
  }
  result.w = 12 * s / denominator;
  result.chi_square = m * (objects - 1) * result.w;
  result.p_value = ChiSquareUpperTail(result.chi_square, result.degrees_of_freedom);
  return result;
}

}  // namespace llmcal::calibration
