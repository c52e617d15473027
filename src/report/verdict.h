// Judging a change from PT to IT: did calibration get worse or better, and is
// the change significant? One place, so the summary, the sensitivity panel
// and its table cannot disagree.
//
// A change is judged by the sign of its difference (it - pt) and the metric's
// direction: for a calibration error (lower is better) a rise is worse. It is
// significant when the paired-bootstrap interval of the difference excludes 0
// (ChangeEstimate::significant); without that interval significance is
// unknown. Each enum's names live in one table in verdict.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/results.h"

namespace llmcal::report {

enum class Direction {
  kWorse,
  kBetter,
  kUnchanged,  // difference exactly 0
  kUndefined,  // a side undefined, or no such change in the results
};

// What every output says where it would otherwise show intervals and
// significance, when the results have none (AnalysisSettings::intervals()).
inline constexpr const char* kNoIntervalsSentence =
    "No bootstrap intervals were computed (--bootstrap 0): significance is undefined.";

struct Verdict {
  Direction direction = Direction::kUndefined;
  bool significant = false;
  // False when no interval was computed (--bootstrap 0) or the change is
  // undefined: then `significant` says nothing.
  bool significance_known = false;
};

// REQUIRES: change.metric == metric.name.
Verdict Judge(const analysis::ChangeEstimate& change, const analysis::MetricInfo& metric);

// Verdict of a possibly missing change (nullptr: kUndefined).
Verdict Judge(const analysis::ChangeEstimate* change, const analysis::MetricInfo& metric);

// Whether the calibration-error metrics agree on the direction of one
// (pair, task, method)'s change.
enum class Agreement {
  kAgree,                // no metric says worse while another says better
  kDirectionsDiffer,     // some say worse, some better, not both significantly
  kSignificantBothWays,  // a significant worse and a significant better
};

Agreement Compare(const std::vector<Verdict>& verdicts);

// The agreement of every calibration-error metric (MetricInfo::calibration_error)
// on one (pair, task, method)'s change.
Agreement MetricAgreement(const analysis::ResultIndex& index, const std::string& pair,
                          const std::string& task, const std::string& method);

// The change rate as the sensitivity table and panel print it: "+12.3%",
// with "*" appended when significant; "+inf" / "-inf" when PT is 0; "-" when
// undefined or missing.
std::string ChangeRateText(const analysis::ChangeEstimate* change);

// "worse", "better", "unchanged", "undefined".
std::string_view DirectionName(Direction direction);
// +1 worse, -1 better, 0 unchanged, NaN undefined (the figures' data files).
double DirectionCode(Direction direction);
// "agree", "directions differ", "significant both ways".
std::string_view AgreementName(Agreement agreement);
// The mark a figure puts on a row: "" agree, "≠" directions differ, "≠ !"
// significant both ways.
std::string_view AgreementFlag(Agreement agreement);

}  // namespace llmcal::report
