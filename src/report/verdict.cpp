#include "report/verdict.h"

#include <fmt/format.h>

#include <cmath>

namespace llmcal::report {

namespace {

// One table per enum: every name and code of a value in one row.
struct DirectionRow {
  Direction value;
  std::string_view name;
  double code;
};
constexpr DirectionRow kDirections[] = {
    {Direction::kWorse, "worse", 1},
    {Direction::kBetter, "better", -1},
    {Direction::kUnchanged, "unchanged", 0},
    {Direction::kUndefined, "undefined", analysis::kNaN},
};

struct AgreementRow {
  Agreement value;
  std::string_view name;
  std::string_view flag;
};
constexpr AgreementRow kAgreements[] = {
    {Agreement::kAgree, "agree", ""},
    {Agreement::kDirectionsDiffer, "directions differ", "≠"},
    {Agreement::kSignificantBothWays, "significant both ways", "≠ !"},
};

template <typename Row, std::size_t N, typename Value>
const Row& RowOf(const Row (&rows)[N], Value value) {
  for (const Row& row : rows) {
    if (row.value == value)
      return row;
  }
  return rows[N - 1];  // unreachable: every value has its row
}

}  // namespace

Verdict Judge(const analysis::ChangeEstimate& change, const analysis::MetricInfo& metric) {
  if (!change.defined() || std::isnan(change.difference))
    return {};
  const bool known = change.significance_known();
  if (change.difference == 0)
    return {Direction::kUnchanged, change.significant(), known};
  const bool rose = change.difference > 0;
  const bool worse = rose == metric.lower_is_better;
  return {worse ? Direction::kWorse : Direction::kBetter, change.significant(), known};
}

Verdict Judge(const analysis::ChangeEstimate* change, const analysis::MetricInfo& metric) {
  return change ? Judge(*change, metric) : Verdict{};
}

Agreement Compare(const std::vector<Verdict>& verdicts) {
  bool worse = false, better = false, significant_worse = false, significant_better = false;
  for (const Verdict& v : verdicts) {
    if (v.direction == Direction::kWorse) {
      worse = true;
      significant_worse |= v.significant;
    } else if (v.direction == Direction::kBetter) {
      better = true;
      significant_better |= v.significant;
    }
  }
  if (significant_worse && significant_better)
    return Agreement::kSignificantBothWays;
  return worse && better ? Agreement::kDirectionsDiffer : Agreement::kAgree;
}

Agreement MetricAgreement(const analysis::ResultIndex& index, const std::string& pair,
                          const std::string& task, const std::string& method) {
  std::vector<Verdict> verdicts;
  for (const analysis::MetricInfo* m : index.CalibrationErrorMetrics())
    verdicts.push_back(Judge(index.Change(pair, task, method, m->name), *m));
  return Compare(verdicts);
}

std::string ChangeRateText(const analysis::ChangeEstimate* change) {
  if (!change || !change->defined() || std::isnan(change->change_rate))
    return "-";
  const std::string mark = change->significant() ? "*" : "";
  if (std::isinf(change->change_rate))
    return (change->change_rate > 0 ? "+inf" : "-inf") + mark;
  return fmt::format("{:+.1f}%{}", change->change_rate, mark);
}

std::string_view DirectionName(Direction direction) {
  return RowOf(kDirections, direction).name;
}

double DirectionCode(Direction direction) {
  return RowOf(kDirections, direction).code;
}

std::string_view AgreementName(Agreement agreement) {
  return RowOf(kAgreements, agreement).name;
}

std::string_view AgreementFlag(Agreement agreement) {
  return RowOf(kAgreements, agreement).flag;
}

}  // namespace llmcal::report
