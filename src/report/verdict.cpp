#include "report/verdict.h"

#include <fmt/format.h>

#include <cmath>

namespace llmcal::report {

Verdict Judge(const ChangeEstimate& change, const MetricInfo& metric) {
  if (!change.defined() || std::isnan(change.difference))
    return {};
  if (change.difference == 0)
    return {Direction::kUnchanged, change.significant()};
  const bool rose = change.difference > 0;
  const bool worse = rose == metric.lower_is_better;
  return {worse ? Direction::kWorse : Direction::kBetter, change.significant()};
}

Verdict Judge(const ChangeEstimate* change, const MetricInfo& metric) {
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

Agreement MetricAgreement(const ResultIndex& index, const std::string& pair,
                          const std::string& task, const std::string& method) {
  std::vector<Verdict> verdicts;
  for (const MetricInfo* m : index.CalibrationErrorMetrics())
    verdicts.push_back(Judge(index.Change(pair, task, method, m->name), *m));
  return Compare(verdicts);
}

std::string ChangeRateText(const ChangeEstimate* change) {
  if (!change || !change->defined() || std::isnan(change->change_rate))
    return "-";
  const std::string mark = change->significant() ? "*" : "";
  if (std::isinf(change->change_rate))
    return (change->change_rate > 0 ? "+inf" : "-inf") + mark;
  return fmt::format("{:+.1f}%{}", change->change_rate, mark);
}

std::string_view DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kWorse:
      return "worse";
    case Direction::kBetter:
      return "better";
    case Direction::kUnchanged:
      return "unchanged";
    case Direction::kUndefined:
      return "undefined";
  }
  return "";
}

std::string_view AgreementName(Agreement agreement) {
  switch (agreement) {
    case Agreement::kAgree:
      return "agree";
    case Agreement::kDirectionsDiffer:
      return "directions differ";
    case Agreement::kSignificantBothWays:
      return "significant both ways";
  }
  return "";
}

}  // namespace llmcal::report
