#include "calibration/letter_bias.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "calibration/binning.h"
#include "calibration/internal/weights.h"

namespace llmcal::calibration {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

LetterBias::LetterBias(const ChoiceProbabilities& data, int bins)
    : positions_(data.max_choices()), bins_(bins) {
  if (data.empty())
    throw std::invalid_argument("no items: letter bias needs at least one item");
  if (bins < 1)
    throw std::invalid_argument("the number of bins must be at least 1");
  const std::size_t n = data.size();
  conf_.resize(n);
  correct_.resize(n);
  predicted_.resize(n);
  gold_.resize(n);
  slot_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    predicted_[i] = static_cast<std::uint32_t>(data.predicted(i));
    gold_[i] = static_cast<std::uint32_t>(data.gold(i));
    conf_[i] = data.confidence(i);
    correct_[i] = predicted_[i] == gold_[i] ? 1 : 0;
    slot_[i] = predicted_[i] * static_cast<std::uint32_t>(bins) +
               static_cast<std::uint32_t>(EqualWidthBin(conf_[i], bins));
  }
}

std::vector<LetterPosition> LetterBias::Compute(std::span<const std::uint32_t> w) const {
  if (!w.empty() && w.size() != conf_.size())
    throw std::invalid_argument("multiplicities do not match the items");
  std::vector<double> predicted(positions_, 0), gold(positions_, 0), recalled(positions_, 0);
  std::vector<internal::BinSums> slots(positions_ * static_cast<std::size_t>(bins_));
  double total = 0;
  for (std::size_t i = 0; i < conf_.size(); ++i) {
    const double wi = w.empty() ? 1.0 : static_cast<double>(w[i]);
    total += wi;
    predicted[predicted_[i]] += wi;
    gold[gold_[i]] += wi;
    recalled[gold_[i]] += wi * correct_[i];
    internal::BinSums& s = slots[slot_[i]];
    s.count += wi;
    s.conf += wi * conf_[i];
    s.hits += wi * correct_[i];
  }
  if (!(total > 0))
    throw std::invalid_argument("no items: every multiplicity is 0");
  std::vector<LetterPosition> table(positions_);
  for (std::size_t k = 0; k < positions_; ++k) {
    LetterPosition& row = table[k];
    row.prediction_rate = predicted[k] / total;
    row.gold_rate = gold[k] / total;
    row.recall = gold[k] > 0 ? recalled[k] / gold[k] : kNaN;
    double ece = 0;
    for (std::size_t b = 0; b < static_cast<std::size_t>(bins_); ++b) {
      const internal::BinSums& s = slots[k * static_cast<std::size_t>(bins_) + b];
      if (s.count > 0)
        ece += s.count / predicted[k] * s.Gap();
    }
    row.ece = predicted[k] > 0 ? ece : kNaN;
  }
  return table;
}

double RecallStd(std::span<const LetterPosition> table) {
  double sum = 0, count = 0;
  for (const LetterPosition& row : table) {
    if (!std::isnan(row.recall)) {
      sum += row.recall;
      ++count;
    }
  }
  if (count == 0)
    throw std::invalid_argument("no position is ever gold: RStd is undefined");
  const double mean = sum / count;
  double squares = 0;
  for (const LetterPosition& row : table) {
    if (!std::isnan(row.recall))
      squares += (row.recall - mean) * (row.recall - mean);
  }
  return std::sqrt(squares / count);
}

}  // namespace llmcal::calibration
