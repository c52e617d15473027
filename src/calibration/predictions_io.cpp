#include "calibration/predictions_io.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "common/json_record.h"
#include "common/unicode_text.h"

namespace llmcal::calibration {

namespace {

// JSON numbers are finite: the parser refuses 1e999 as malformed.
std::vector<double> NonEmptyNumbers(const JsonField& field) {
  std::vector<double> values = field.Numbers();
  if (values.empty())
    throw field.Error("expected a non-empty array of numbers");
  return values;
}

void CheckProbabilities(const JsonField& field, std::vector<double>& probs, bool normalize) {
  double sum = 0;
  for (double p : probs) {
    if (p < 0)
      throw field.Error(fmt::format("{} is negative", p));
    sum += p;
  }
  if (normalize) {
    if (!(sum > 0))
      throw field.Error("they sum to 0");
    for (double& p : probs)
      p /= sum;
  } else if (std::abs(sum - 1) > kProbabilitySumTolerance) {
    throw field.Error(fmt::format("they sum to {} (not 1 within {}; --normalize rescales)", sum,
                                  kProbabilitySumTolerance));
  }
}

// The choice texts' lengths a method divides by (chars, bytes).
std::vector<std::string> ChoiceTexts(const JsonField& record, ConfidenceMethod method,
                                     std::size_t choices) {
  if (method != ConfidenceMethod::kChars && method != ConfidenceMethod::kBytes)
    return {};
  if (!record.Has("choice_texts")) {
    throw record.where().Error(
        "choice_texts", fmt::format("missing (method {} divides by the length of each choice text)",
                                    MethodName(method)));
  }
  const JsonField field = record.Member("choice_texts");
  std::vector<std::string> texts = field.Strings();
  if (texts.size() != choices) {
    throw field.Error(fmt::format("{} texts for {} continuations", texts.size(), choices));
  }
  return texts;
}

// Scores of each choice of a `llmcal score` output record under `method`.
std::vector<double> MethodScores(const JsonField& record, ConfidenceMethod method) {
  const JsonField continuations = record.Member("continuations");
  const std::vector<JsonField> choices = continuations.Elements();
  if (choices.empty())
    throw continuations.Error("expected a non-empty array");
  const std::vector<std::string> texts = ChoiceTexts(record, method, choices.size());
  std::vector<double> scores;
  for (std::size_t k = 0; k < choices.size(); ++k) {
    const JsonField logprobs = choices[k].Member("logprobs");
    const std::vector<double> values = NonEmptyNumbers(logprobs);
    Continuation c{.token_logprobs = values};
    if (!texts.empty()) {
      c.num_chars = CountCodePoints(texts[k]);
      c.num_bytes = texts[k].size();
    }
    try {
      scores.push_back(ChoiceScore(method, c));
    } catch (const std::invalid_argument& e) {
      throw record.where().Error(fmt::format("choice_texts[{}]", k), e.what());
    }
  }
  return scores;
}

void AddRecord(const JsonField& record, const PredictionsOptions& options, Predictions& out) {
  if (record.Has("error")) {
    throw record.Member("error").Error("the item was not scored: " +
                                       record.Member("error").String());
  }
  const char* kinds[] = {"probs", "scores", "continuations"};
  int present = 0;
  for (const char* kind : kinds)
    present += record.Has(kind) ? 1 : 0;
  if (present != 1)
    throw record.Error("expected exactly one of 'probs', 'scores' and 'continuations'");
  std::vector<double> values;
  const bool probs = record.Has("probs");
  if (record.Has("continuations")) {
    values = MethodScores(record, options.method);
  } else {
    values = NonEmptyNumbers(record.Member(probs ? "probs" : "scores"));
  }
  const JsonField gold_field = record.Member("gold");
  const std::int64_t gold = gold_field.Integer();
  if (gold < 0 || gold >= static_cast<std::int64_t>(values.size())) {
    throw gold_field.Error(fmt::format("{} is out of range 0..{}", gold, values.size() - 1));
  }
  if (probs) {
    CheckProbabilities(record.Member("probs"), values, options.normalize);
    out.data.Add(values, static_cast<int>(gold));
  } else {
    try {
      out.data.AddScores(values, static_cast<int>(gold));
    } catch (const std::invalid_argument& e) {
      throw record.Error(e.what());
    }
  }
  out.ids.push_back(record.Has("id") ? record.Member("id").IdText() : std::string());
  out.lines.push_back(record.where().line);
}

}  // namespace

Predictions ParsePredictions(const FileText& file, const PredictionsOptions& options) {
  Predictions out;
  out.source = file.path.string();
  BadRecordPolicy fail_on_bad(/*skip_bad=*/false);
  ForEachJsonLine(file, fail_on_bad,
                  [&](const JsonField& record) { AddRecord(record, options, out); });
  return out;
}

Predictions ReadPredictions(const std::string& path, const PredictionsOptions& options) {
  return ParsePredictions(ReadWholeInput(path), options);
}

namespace {

// Maps each id of `p` to its item; every item must have a unique id.
std::unordered_map<std::string, std::size_t> IdIndex(const Predictions& p) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < p.ids.size(); ++i) {
    if (p.ids[i].empty()) {
      throw InputError::At(p.source, p.lines[i], "id",
                           "missing (items of two files are matched by id)");
    }
    const auto [it, inserted] = index.emplace(p.ids[i], i);
    if (!inserted) {
      throw InputError::At(p.source, p.lines[i], "id",
                           fmt::format("\"{}\" repeats line {}", p.ids[i], p.lines[it->second]));
    }
  }
  return index;
}

}  // namespace

Predictions MatchById(const Predictions& target, const Predictions& reference) {
  const std::unordered_map<std::string, std::size_t> target_index = IdIndex(target);
  const std::unordered_map<std::string, std::size_t> reference_index = IdIndex(reference);
  for (std::size_t j = 0; j < reference.ids.size(); ++j) {
    if (!target_index.contains(reference.ids[j])) {
      throw InputError::At(reference.source, reference.lines[j], "id",
                           fmt::format("\"{}\" is not in {}", reference.ids[j], target.source));
    }
  }
  Predictions matched;
  matched.source = reference.source;
  for (std::size_t i = 0; i < target.ids.size(); ++i) {
    const auto found = reference_index.find(target.ids[i]);
    if (found == reference_index.end()) {
      throw InputError::At(target.source, target.lines[i], "id",
                           fmt::format("\"{}\" is not in {}", target.ids[i], reference.source));
    }
    const std::size_t j = found->second;
    if (reference.data.num_choices(j) != target.data.num_choices(i)) {
      throw InputError::At(reference.source, reference.lines[j], "",
                           fmt::format("item \"{}\" has {} choices here and {} in {} (line {})",
                                       target.ids[i], reference.data.num_choices(j),
                                       target.data.num_choices(i), target.source, target.lines[i]));
    }
    if (reference.data.gold(j) != target.data.gold(i)) {
      throw InputError::At(
          reference.source, reference.lines[j], "gold",
          fmt::format("item \"{}\" has gold {} here and {} in {} (line {})", target.ids[i],
                      reference.data.gold(j), target.data.gold(i), target.source, target.lines[i]));
    }
    matched.data.Add(reference.data.probs(j), reference.data.gold(j));
    matched.ids.push_back(reference.ids[j]);
    matched.lines.push_back(reference.lines[j]);
  }
  return matched;
}

}  // namespace llmcal::calibration
