// Independent, obviously-right (and slow) computations of the metrics, straight
// from their definitions (docs/calibration.md), for checking the evaluator's
// fast paths: no shared code with src/calibration beyond ChoiceProbabilities
// and the bin-membership rules, which binning_test.cpp checks on their own.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "calibration/binning.h"
#include "calibration/choice_probabilities.h"

namespace llmcal::calibration::naive {

// p_ik, or 0 for an item without a k-th choice (a padded matrix).
inline double P(const ChoiceProbabilities& d, std::size_t i, std::size_t k) {
  return k < d.num_choices(i) ? d.probs(i)[k] : 0.0;
}

inline bool Right(const ChoiceProbabilities& d, std::size_t i) {
  return d.predicted(i) == d.gold(i);
}

// Sum over bins of (n_b / denominator) |mean(acc) - mean(conf)| for values
// grouped by bin[j] (a negative bin drops the value).
inline double BinnedGap(const std::vector<int>& bin, const std::vector<double>& conf,
                        const std::vector<double>& acc, int bins, double denominator) {
  double total = 0;
  for (int b = 0; b < bins; ++b) {
    double n = 0, c = 0, a = 0;
    for (std::size_t j = 0; j < bin.size(); ++j) {
      if (bin[j] == b) {
        ++n;
        c += conf[j];
        a += acc[j];
      }
    }
    if (n > 0)
      total += n / denominator * std::abs(a / n - c / n);
  }
  return total;
}

// calibration_library's ECELoss (metrics.py, CELoss.compute_bins with index None).
inline double EceCl(const ChoiceProbabilities& d, int bins) {
  std::vector<int> bin;
  std::vector<double> conf, acc;
  for (std::size_t i = 0; i < d.size(); ++i) {
    bin.push_back(LinspaceBin(d.confidence(i), bins));
    conf.push_back(d.confidence(i));
    acc.push_back(Right(d, i) ? 1 : 0);
  }
  return BinnedGap(bin, conf, acc, bins, static_cast<double>(d.size()));
}

// calibration_library's SCELoss on the padded matrix: per column k, the
// "accuracy" [pred == k] == [gold == k], mean over columns.
inline double SceCl(const ChoiceProbabilities& d, int bins) {
  const std::size_t classes = d.max_choices();
  double sce = 0;
  for (std::size_t k = 0; k < classes; ++k) {
    std::vector<int> bin;
    std::vector<double> conf, acc;
    for (std::size_t i = 0; i < d.size(); ++i) {
      bin.push_back(LinspaceBin(P(d, i, k), bins));
      conf.push_back(P(d, i, k));
      const bool predicted = static_cast<std::size_t>(d.predicted(i)) == k;
      const bool gold = static_cast<std::size_t>(d.gold(i)) == k;
      acc.push_back(predicted == gold ? 1 : 0);
    }
    sce += BinnedGap(bin, conf, acc, bins, static_cast<double>(d.size()));
  }
  return sce / static_cast<double>(classes);
}

// Nixon's SCE, class k over the items having a k-th choice, weights N_k / sum N_j.
inline double Sce(const ChoiceProbabilities& d, int bins) {
  double weighted = 0, entries = 0;
  for (std::size_t k = 0; k < d.max_choices(); ++k) {
    std::vector<int> bin;
    std::vector<double> conf, acc;
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (k >= d.num_choices(i))
        continue;
      bin.push_back(EqualWidthBin(d.probs(i)[k], bins));
      conf.push_back(d.probs(i)[k]);
      acc.push_back(static_cast<std::size_t>(d.gold(i)) == k ? 1 : 0);
    }
    const auto n_k = static_cast<double>(conf.size());
    if (n_k > 0)
      weighted += n_k * BinnedGap(bin, conf, acc, bins, n_k);
    entries += n_k;
  }
  return weighted / entries;
}

// ACE: per class, R ranges of the sorted values (ties by item order), range r
// holding sorted positions floor(r n / R) .. floor((r + 1) n / R) - 1.
inline double Ace(const ChoiceProbabilities& d, int ranges) {
  double weighted = 0, entries = 0;
  for (std::size_t k = 0; k < d.max_choices(); ++k) {
    std::vector<std::pair<double, double>> values;  // (p, gold?)
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (k < d.num_choices(i))
        values.emplace_back(d.probs(i)[k], static_cast<std::size_t>(d.gold(i)) == k ? 1 : 0);
    }
    std::stable_sort(values.begin(), values.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    const std::size_t n = values.size();
    double class_error = 0;
    for (int r = 0; r < ranges; ++r) {
      const std::size_t lo = static_cast<std::size_t>(r) * n / static_cast<std::size_t>(ranges);
      const std::size_t hi = static_cast<std::size_t>(r + 1) * n / static_cast<std::size_t>(ranges);
      if (hi == lo)
        continue;
      double c = 0, a = 0;
      for (std::size_t j = lo; j < hi; ++j) {
        c += values[j].first;
        a += values[j].second;
      }
      class_error += std::abs(a - c) / static_cast<double>(hi - lo) / ranges;
    }
    weighted += static_cast<double>(n) * class_error;
    entries += static_cast<double>(n);
  }
  return weighted / entries;
}

// AUROC by counting every (right, wrong) pair; NaN when one kind is missing.
inline double Auroc(const ChoiceProbabilities& d) {
  double pairs = 0, score = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    for (std::size_t j = 0; j < d.size(); ++j) {
      if (!Right(d, i) || Right(d, j))
        continue;
      ++pairs;
      const double ci = d.confidence(i), cj = d.confidence(j);
      score += ci > cj ? 1.0 : ci == cj ? 0.5 : 0.0;
    }
  }
  return pairs > 0 ? score / pairs : std::numeric_limits<double>::quiet_NaN();
}

// E_j for j = 1..N: errors among the items strictly more confident than the
// j-th most confident, plus the share of its tie group's errors that the
// remaining places of the prefix take.
inline std::vector<double> ExpectedErrors(const ChoiceProbabilities& d) {
  std::vector<double> conf;
  for (std::size_t i = 0; i < d.size(); ++i)
    conf.push_back(d.confidence(i));
  std::vector<double> sorted = conf;
  std::sort(sorted.rbegin(), sorted.rend());
  std::vector<double> e;
  for (std::size_t j = 1; j <= d.size(); ++j) {
    const double c = sorted[j - 1];
    double above = 0, errors_above = 0, group = 0, errors_group = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
      const double err = Right(d, i) ? 0 : 1;
      if (conf[i] > c) {
        ++above;
        errors_above += err;
      } else if (conf[i] == c) {
        ++group;
        errors_group += err;
      }
    }
    e.push_back(errors_above + (static_cast<double>(j) - above) * errors_group / group);
  }
  return e;
}

inline double Aurc(const ChoiceProbabilities& d) {
  const std::vector<double> e = ExpectedErrors(d);
  double sum = 0;
  for (std::size_t j = 1; j <= e.size(); ++j)
    sum += e[j - 1] / static_cast<double>(j);
  return sum / static_cast<double>(e.size());
}

inline double Augrc(const ChoiceProbabilities& d) {
  const std::vector<double> e = ExpectedErrors(d);
  const auto n = static_cast<double>(e.size());
  return std::accumulate(e.begin(), e.end(), 0.0) / (n * n);
}

// Selective accuracy keeping m items.
inline double SelectiveAccuracy(const ChoiceProbabilities& d, std::size_t m) {
  return 1 - ExpectedErrors(d)[m - 1] / static_cast<double>(m);
}

// Murphy's decomposition, one-vs-rest over the padded matrix, equal-width bins.
struct BrierTerms {
  double rel = 0, res = 0, unc = 0;
};
inline BrierTerms BrierDecomposition(const ChoiceProbabilities& d, int bins) {
  BrierTerms t;
  const auto n = static_cast<double>(d.size());
  for (std::size_t k = 0; k < d.max_choices(); ++k) {
    double base = 0;
    for (std::size_t i = 0; i < d.size(); ++i)
      base += static_cast<std::size_t>(d.gold(i)) == k ? 1 : 0;
    base /= n;
    t.unc += base * (1 - base);
    for (int b = 0; b < bins; ++b) {
      double count = 0, conf = 0, acc = 0;
      for (std::size_t i = 0; i < d.size(); ++i) {
        if (EqualWidthBin(P(d, i, k), bins) != b)
          continue;
        ++count;
        conf += P(d, i, k);
        acc += static_cast<std::size_t>(d.gold(i)) == k ? 1 : 0;
      }
      if (count == 0)
        continue;
      conf /= count;
      acc /= count;
      t.rel += count / n * (conf - acc) * (conf - acc);
      t.res += count / n * (acc - base) * (acc - base);
    }
  }
  return t;
}

inline double Brier(const ChoiceProbabilities& d) {
  double sum = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    for (std::size_t k = 0; k < d.num_choices(i); ++k) {
      const double y = static_cast<std::size_t>(d.gold(i)) == k ? 1 : 0;
      sum += (d.probs(i)[k] - y) * (d.probs(i)[k] - y);
    }
  }
  return sum / static_cast<double>(d.size());
}

// RStd: population standard deviation of per-position recall over positions
// that are gold at least once.
inline double LetterRstd(const ChoiceProbabilities& d) {
  std::vector<double> recalls;
  for (std::size_t k = 0; k < d.max_choices(); ++k) {
    double gold = 0, hit = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (static_cast<std::size_t>(d.gold(i)) != k)
        continue;
      ++gold;
      hit += Right(d, i) ? 1 : 0;
    }
    if (gold > 0)
      recalls.push_back(hit / gold);
  }
  const double mean =
      std::accumulate(recalls.begin(), recalls.end(), 0.0) / static_cast<double>(recalls.size());
  double squares = 0;
  for (double r : recalls)
    squares += (r - mean) * (r - mean);
  return std::sqrt(squares / static_cast<double>(recalls.size()));
}

}  // namespace llmcal::calibration::naive
