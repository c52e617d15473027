#include "cli/study_session.h"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>

#include "common/error.h"
#include "study/interrupt.h"
#include "study/progress.h"

namespace llmcal::cli {

void WriteSummaryFile(const std::string& path, const study::RunSummary& summary) {
  std::ofstream out(path);
  out << study::SummaryToJson(summary).dump(2) << '\n';
  if (!out)
    throw InputError::At(path, 0, "", "cannot write the summary file");
}

study::StudyOutcome RunStudyInSession(const study::StudySpec& spec, bool quiet,
                                      const std::string& summary_file) {
  study::ProgressPrinter progress(stderr, study::ProgressPrinter::ModeFor(stderr, quiet));
  const study::InterruptGuard interrupt;
  study::RunnerOptions options;
  options.progress = &progress;
  options.stop_requested = &study::InterruptGuard::Requested;
  options.hub.download.progress = fetch::ProgressModeFor(stderr, quiet);
  study::StudyOutcome outcome = study::RunFullStudy(spec, options);
  fmt::print("{}", study::SummaryText(outcome.run));
  if (!summary_file.empty())
    WriteSummaryFile(summary_file, outcome.run);
  if (outcome.run.interrupted)
    throw Interrupted("stopped; rerun the same command to resume");
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
