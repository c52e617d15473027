// ChoiceProbabilities: a model's probabilities over the choices of N
// multiple-choice items, with each item's gold choice. Items may have
// different numbers of choices K_i, so the probabilities are stored flat
// (struct of arrays): item i owns probs[offsets[i] .. offsets[i+1]).
//
// The object owns its arrays; spans it returns stay valid until the next Add.
// Prediction = argmax with ties to the lowest index; confidence = max_k p_ik
// (DESIGN.md "Confidence methods" and "Metrics").
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace llmcal::calibration {

class ChoiceProbabilities {
 public:
  ChoiceProbabilities() = default;

  // Appends an item with probabilities `probs` and gold choice `gold`.
  // REQUIRES: probs non-empty, every value finite and >= 0, summing to 1 (the
  // sum is not checked here: callers that read user input check it, see
  // docs/calibration.md); 0 <= gold < probs.size().
  // Throws std::invalid_argument when a checked requirement does not hold.
  void Add(std::span<const double> probs, int gold);

  // Appends an item whose probabilities are softmax(scores) (log-scores, e.g.
  // a confidence method's per-choice scores). -infinity is allowed and gives
  // probability 0. REQUIRES: scores non-empty, none NaN or +infinity, at least
  // one finite; 0 <= gold < scores.size(). Throws std::invalid_argument otherwise.
  void AddScores(std::span<const double> scores, int gold);

  // Reserves room for `items` items with `choices` choices in total.
  void Reserve(std::size_t items, std::size_t choices);

  std::size_t size() const { return gold_.size(); }
  bool empty() const { return gold_.empty(); }

  // REQUIRES (all accessors taking i): i < size().
  std::size_t num_choices(std::size_t i) const { return offsets_[i + 1] - offsets_[i]; }
  std::span<const double> probs(std::size_t i) const {
    return {probs_.data() + offsets_[i], num_choices(i)};
  }
  int gold(std::size_t i) const { return gold_[i]; }
  // Returns argmax_k p_ik, ties to the lowest k.
  int predicted(std::size_t i) const;
  // Returns max_k p_ik.
  double confidence(std::size_t i) const {
    return probs(i)[static_cast<std::size_t>(predicted(i))];
  }

  // Returns the largest K_i (0 when empty).
  std::size_t max_choices() const { return max_choices_; }

  // The flat arrays: flat_probs().size() == offsets().back(); offsets().size() == size() + 1.
  const std::vector<double>& flat_probs() const { return probs_; }
  const std::vector<std::size_t>& offsets() const { return offsets_; }
  const std::vector<int>& golds() const { return gold_; }

 private:
  std::vector<double> probs_;
  std::vector<std::size_t> offsets_{0};
  std::vector<int> gold_;
  std::size_t max_choices_ = 0;
};

// Writes softmax(scores) into `out`, subtracting the maximum first so large
// scores cannot overflow. REQUIRES: out.size() == scores.size(); scores as for
// ChoiceProbabilities::AddScores. Throws std::invalid_argument otherwise.
void Softmax(std::span<const double> scores, std::span<double> out);

}  // namespace llmcal::calibration
