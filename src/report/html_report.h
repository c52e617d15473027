// The study report: one self-contained HTML file (figures inlined as SVG, no
// external CSS, script, font or image, no network request, readable at a
// phone's width) plus every table and figure as files beside it.
//
// Layout of the output folder:
//   report.html          summary, figures, tables, provenance
//   study_results.json   the data drawn (report/study_results_json.h);
//                        `llmcal report --from-json` redraws from it
//   tables/NAME.{csv,json,md,tex}   every table; Table 1 also as .html
//   figures/NAME.{gp,*.dat,svg,pdf} every figure: script, data, drawings
//
// Without gnuplot (not found) the scripts and data are still written, the
// report holds every table, and it says how to get the figures. Results
// without a pair get the per-model figures and tables and say that
// comparisons need a pair. Results without intervals (--bootstrap 0) get a
// report that says so where it would show intervals or significance, and
// claims or draws none.
//
// Example:
//   const ReportFiles files = WriteReport(results, ReportOptions{}, "out");
//   fmt::print("{}\n", files.html.string());
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/results.h"
#include "report/figures.h"

namespace llmcal::report {

struct ReportOptions {
  std::string title = "llmcal report";
  FigureOptions figures;
  // gnuplot: a program name looked up on $PATH, or a path. Not found: no drawings.
  std::string gnuplot = "gnuplot";
  // Longest a single figure may take to draw.
  std::chrono::milliseconds gnuplot_timeout{std::chrono::seconds(120)};
};

// What WriteReport wrote.
struct ReportFiles {
  std::filesystem::path html;
  std::filesystem::path results_json;
  std::vector<std::filesystem::path> tables;
  std::vector<std::filesystem::path> figures;  // scripts, data, and SVG/PDF when drawn
  bool figures_drawn = false;                  // false: gnuplot was not found
};

// Writes the report of `results` into `out_dir` (created when missing; files
// of the same names are replaced, nothing else is touched).
// Throws InputError when the results do not validate (Validate) or a file
// cannot be written, and FigureError (report/gnuplot.h) naming the figure when
// gnuplot fails on one.
ReportFiles WriteReport(const analysis::StudyResults& results, const ReportOptions& options,
                        const std::filesystem::path& out_dir);

}  // namespace llmcal::report
