// The tables of a study, built from StudyResults: what `llmcal metrics`,
// `compare` and `rank` print and what the report shows, in any TableFormat
// (report/table.h).
//
// Long tables list one entry per row, in display order (StudyResults's lists),
// and only the entries present. Column keys (CSV header, JSON members) are
// stable names; labels are for readers. Intervals are at results.analysis.level.
#pragma once

#include "analysis/results.h"
#include "report/table.h"

namespace llmcal::report {

// model, task, method, metric, value, ci, n, reason (of an undefined value):
// one row per MetricEstimate. JSON rows are
// {"model","task","method","metric","value","ci":[lo,hi],"n","reason"}.
// Without intervals (--bootstrap 0) ci is empty and the note says why.
Table MetricsTable(const analysis::ResultIndex& index);

// pair, base, instruct, task, method, metric, pt, it, difference,
// difference_ci, change_rate (percent), change_rate_ci, significant
// ("yes"/"no"; "undefined" when no interval was computed, as with
// --bootstrap 0; empty when the change is undefined), reason: one row per
// ChangeEstimate. Without intervals the note says that significance is
// undefined.
Table ChangeTable(const analysis::ResultIndex& index);

// The paper's Table 1 for one ranking: one row per rank position (1 = the
// largest change rate), one column per task, the pair's name in each cell.
// Tasks that rank every pair alike share one column, titled with all their
// names ("arc_easy, mmlu_stem, piqa"), as in the paper. A pair tied with
// another is written "name (=r)", r its competition rank. The note gives
// Kendall's W, its chi-square, degrees of freedom and p-value.
Table RankTable(const analysis::Ranking& ranking);

// metric, method, task, rank, pair, change_rate: every ranking, long.
Table RankListTable(const analysis::ResultIndex& index);

// metric, method, tasks, pairs, kendall_w, chi_square, df, p_value: one row
// per ranking with a concordance.
Table ConcordanceTable(const analysis::ResultIndex& index);

// The report's summary: pair, metric, then over every (task, method) of the
// study how many changes are significantly worse, significantly better,
// neither (not significant, or unchanged), and undefined (the change, or its
// significance for want of an interval) or missing; and the number of
// combinations. Rows for every pair and every metric. Without intervals
// (results.analysis.resamples == 0) significance is undefined: worse, better
// and neither are empty cells and the note says why.
Table SummaryTable(const analysis::ResultIndex& index);

// The estimator-sensitivity table: pair, task, method, one column per
// calibration-error metric with the change rate ("+12.3%", "*" appended when
// significant; "-" when undefined or missing), and agreement (AgreementName).
// Without intervals no "*" appears, the title does not promise one and the
// note says that significance is undefined.
Table SensitivityTable(const analysis::ResultIndex& index);

// metric, description, lower_is_better ("yes"/"no"), calibration_error ("yes"/"no").
Table MetricLegendTable(const analysis::StudyResults& results);

// Provenance: models (name, path, size_bytes, sha256, architecture,
// parameters); task files (task, items, path, size_bytes, sha256; a task
// without files gets one row without them); runs (model, task, style,
// template, settings as "name=value; ...").
Table ModelProvenanceTable(const analysis::Provenance& provenance);
Table TaskProvenanceTable(const analysis::Provenance& provenance);
Table RunProvenanceTable(const analysis::Provenance& provenance);

}  // namespace llmcal::report
