#include "cli/study_session.h"

#include <fmt/format.h>

#include <cstdio>

#include "common/error.h"
#include "common/output_file.h"
#include "common/progress.h"
#include "study/interrupt.h"

namespace llmcal::cli {

void WriteSummaryFile(const std::string& path, const study::RunSummary& summary) {
  WriteOutputFile(path, study::SummaryToJson(summary).dump(2) + "\n");
}

void EndRunSession(const study::RunSummary& summary, const std::string& summary_file) {
  fmt::print("{}", study::SummaryText(summary));
  if (!summary_file.empty())
    WriteSummaryFile(summary_file, summary);
  if (summary.interrupted)
    throw Interrupted("stopped; rerun the same command to resume");
  if (const std::string nonfinite = study::NonFiniteReport(summary); !nonfinite.empty())
    throw EngineError(nonfinite);
}

study::StudyOutcome RunStudyInSession(const study::StudySpec& spec, bool quiet,
                                      const std::string& summary_file) {
  const ProgressMode mode = ProgressModeFor(stderr, quiet);  // scoring, analysis, downloads
  ProgressPrinter progress(stderr, mode);
  ProgressPrinter analysis_progress(stderr, mode, {.name = "units", .tokens = false});
  const study::InterruptGuard interrupt;
  study::RunnerOptions options;
  options.progress = &progress;
  options.stop_requested = &study::InterruptGuard::Requested;
  options.hub.download.progress = mode;
  study::StudyOutcome outcome = study::RunFullStudy(spec, options, &analysis_progress);
  EndRunSession(outcome.run, summary_file);
  return outcome;
}

void PrintStudyFiles(const study::StudySpec& spec, const study::StudyOutcome& outcome) {
  for (const std::string& note : outcome.analysis.notes)
    fmt::print(stderr, "llmcal: note: {}\n", note);
  if (!outcome.report.figures_drawn) {
    fmt::print(stderr, "llmcal: gnuplot not found: figures not drawn (install gnuplot-nox)\n");
  }
  fmt::print("\nstore:   {}\ntables:  {}\nreport:  {}\n", spec.db.string(),
             (spec.out / "tables").string(), outcome.report.html.string());
}

}  // namespace llmcal::cli
