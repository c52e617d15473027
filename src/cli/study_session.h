// How the commands that score (`run`, `study`, `demo`) drive the runner from
// a terminal: progress on stderr, Ctrl-C and SIGTERM stop after the block in
// flight, the summary on stdout and optionally as JSON in a file.
#pragma once

#include <string>

#include "study/run_summary.h"
#include "study/runner.h"
#include "study/study_file.h"

namespace llmcal::cli {

// Writes the summary as JSON (study::SummaryToJson) to `path`.
// Throws InputError naming the file when it cannot be written.
void WriteSummaryFile(const std::string& path, const study::RunSummary& summary);

// How every scoring command ends: prints the summary, writes it to
// `summary_file` unless empty, then throws Interrupted when Ctrl-C or SIGTERM
// stopped the run (after its work was saved), or EngineError
// (study::NonFiniteReport) when the model gave items non-finite log-probs.
void EndRunSession(const study::RunSummary& summary, const std::string& summary_file);

// Runs `spec` (study::RunFullStudy) with progress of the scoring and of the
// analysis on stderr unless `quiet`,
// then ends as EndRunSession. Returns the outcome.
study::StudyOutcome RunStudyInSession(const study::StudySpec& spec, bool quiet,
                                      const std::string& summary_file);

// Prints the analysis's notes on stderr and where the report is on stdout.
void PrintStudyFiles(const study::StudySpec& spec, const study::StudyOutcome& outcome);

}  // namespace llmcal::cli
