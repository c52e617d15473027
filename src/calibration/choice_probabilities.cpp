#include "calibration/choice_probabilities.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace llmcal::calibration {

namespace {

void CheckGold(std::size_t num_choices, int gold) {
  if (num_choices == 0)
    throw std::invalid_argument("an item needs at least one choice");
  if (gold < 0 || static_cast<std::size_t>(gold) >= num_choices) {
    throw std::invalid_argument("gold " + std::to_string(gold) + " is outside 0.." +
                                std::to_string(num_choices - 1));
  }
}

}  // namespace

void ChoiceProbabilities::Add(std::span<const double> probs, int gold) {
  CheckGold(probs.size(), gold);
  for (double p : probs) {
    if (!std::isfinite(p) || p < 0) {
      throw std::invalid_argument("probability " + std::to_string(p) +
                                  " is negative or not finite");
    }
  }
  probs_.insert(probs_.end(), probs.begin(), probs.end());
  offsets_.push_back(probs_.size());
  gold_.push_back(gold);
  max_choices_ = std::max(max_choices_, probs.size());
}

void ChoiceProbabilities::AddScores(std::span<const double> scores, int gold) {
  CheckGold(scores.size(), gold);
  const std::size_t start = probs_.size();
  probs_.resize(start + scores.size());
  try {
    Softmax(scores, std::span<double>(probs_).subspan(start));
  } catch (...) {
    probs_.resize(start);
    throw;
  }
  offsets_.push_back(probs_.size());
  gold_.push_back(gold);
  max_choices_ = std::max(max_choices_, scores.size());
}

void ChoiceProbabilities::Reserve(std::size_t items, std::size_t choices) {
  probs_.reserve(choices);
  offsets_.reserve(items + 1);
  gold_.reserve(items);
}

int ChoiceProbabilities::predicted(std::size_t i) const {
  const std::span<const double> p = probs(i);
  // max_element returns the first maximum: ties go to the lowest index.
  return static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
}

void Softmax(std::span<const double> scores, std::span<double> out) {
  if (scores.size() != out.size())
    throw std::invalid_argument("softmax: size mismatch");
  double max_score = -std::numeric_limits<double>::infinity();
  for (double s : scores) {
    if (std::isnan(s) || s == std::numeric_limits<double>::infinity()) {
      throw std::invalid_argument("score " + std::to_string(s) + " is NaN or +infinity");
    }
    max_score = std::max(max_score, s);
  }
  if (!std::isfinite(max_score))
    throw std::invalid_argument("every score is -infinity");
  double sum = 0;
  for (std::size_t k = 0; k < scores.size(); ++k) {
    out[k] = std::exp(scores[k] - max_score);
    sum += out[k];
  }
  // sum >= 1 because the maximum contributes exp(0).
  for (double& p : out)
    p /= sum;
}

}  // namespace llmcal::calibration
