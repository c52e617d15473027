// The report's figures, built from StudyResults as gnuplot scripts and data
// (report/figure.h); report/gnuplot.h draws them. Each builder returns the
// figures of one kind in display order, and nothing for what the results do
// not hold (no pairs: no comparison figures). Every bar and point is drawn
// with its bootstrap interval when the results have one. Results without
// intervals (--bootstrap 0, AnalysisSettings::intervals()) get scripts that
// plot no interval, band or significance mark, and titles and captions that
// promise none and say that significance is undefined.
//
//   figure1_PAIR_METHOD     the paper's Figure 1 for one pair and method: left,
//                           the metrics (default ECE and SCE) of PT and IT per
//                           task; right, their change rates.
//   figure2_METRIC          the paper's Figure 2: one panel per method, the
//                           change rate of METRIC per task, one bar per pair.
//   reliability_X_TASK_METHOD  reliability diagram of a pair (PT and IT
//                           overlaid) or of an unpaired model: binned accuracy
//                           against confidence with its band, the smooth curve
//                           with its band, and beneath, the confidence histogram
//                           with the kernel density.
//   sensitivity_METHOD      the estimator-sensitivity panel: for each (pair,
//                           task), the change under every calibration-error
//                           metric, coloured by direction and significance, and
//                           flagged where the metrics disagree on the direction.
// docs/report.md shows one of each and how to read it.
#pragma once

#include <string>
#include <vector>

#include "analysis/results.h"
#include "report/figure.h"

namespace llmcal::report {

struct FigureOptions {
  // Metrics of Figure 1, in order; those absent from the results are left out.
  std::vector<std::string> figure1_metrics = {"ece", "sce"};
  // The metric of Figure 2.
  std::string figure2_metric = "sce";
};

// One figure per (pair, method) with any of options.figure1_metrics.
std::vector<Figure> PaperFigure1(const analysis::ResultIndex& index, const FigureOptions& options,
                                 FigureNames& names);

// One figure (of every method) when the results have pairs and the metric
// options.figure2_metric; none otherwise.
std::vector<Figure> PaperFigure2(const analysis::ResultIndex& index, const FigureOptions& options,
                                 FigureNames& names);

// One figure per (pair, task, method) with reliability data for either model,
// then one per (unpaired model, task, method) with reliability data.
std::vector<Figure> ReliabilityFigures(const analysis::ResultIndex& index, FigureNames& names);

// One figure per method when the results have pairs and calibration-error metrics.
std::vector<Figure> SensitivityFigures(const analysis::ResultIndex& index, FigureNames& names);

}  // namespace llmcal::report
