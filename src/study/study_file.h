// A study file (TOML): one file names a whole study — model pairs (base and
// instruct GGUF files), tasks, prompt styles, the items, engine settings,
// and the analysis (methods, metrics, bins, bootstrap, rank tables, figures)
// — so that `llmcal study FILE` runs what is missing and writes every table
// and the report. docs/study.md lists every key; examples/paper.toml is the
// paper's grid and examples/demo.toml the offline demo.
//
//   StudySpec spec = ReadStudyFile("examples/demo.toml");
//   StudyOutcome outcome = RunFullStudy(spec, RunnerOptions{});
//
// Everything a file says is checked before any scoring: an unknown key, a
// value of the wrong type or outside the setting's limits (the same as the
// flag's, settings/settings.h), a missing or non-GGUF model file, a
// malformed hf: reference, a pair name given twice, an empty task or style
// list, an unknown task, method, metric or style is an InputError naming the
// file, the line and the key. Relative paths are relative to the study
// file's folder. A model may be an hf:OWNER/REPO/PATH.gguf[@REVISION]
// reference (fetch/hub.h), fetched into the cache before scoring.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/analyze_store.h"
#include "report/html_report.h"
#include "study/plan.h"
#include "study/run_summary.h"
#include "study/runner.h"

namespace llmcal::study {

// A pretrained model and its instruction-tuned sibling, as the study names them.
struct StudyPair {
  std::string name;   // the pair's name in tables ("Llama-2-7b")
  ModelRef base;      // name defaults to "<pair>-base"
  ModelRef instruct;  // name defaults to "<pair>-instruct"
  // > 0: the instruct model is a copy of the base with its output logits
  // multiplied by this (a known answer: the base at temperature 1/A), made
  // at instruct.path by RunFullStudy when missing. 0: a model file of its own.
  double instruct_logit_scale = 0;
};

struct StudySpec {
  std::filesystem::path source;  // the study file, for messages
  std::string title;             // the report's title
  std::filesystem::path db;      // the store
  std::filesystem::path out;     // tables and report
  std::vector<StudyPair> pairs;
  StudyPlan plan;  // every pair's two models, the tasks, styles, items and engine settings
  analysis::AnalysisRequest analysis;
  report::ReportOptions report;
};

// What the command line may set instead of the file (empty: the file's).
struct StudyOverrides {
  std::filesystem::path db;
  std::filesystem::path out;
  std::filesystem::path data;
};

// Reads and checks a study file. Throws InputError naming the file, line and
// key for any problem (see above); a model file that does not exist or is
// not GGUF is reported here, before anything is scored or created.
StudySpec ReadStudyFile(const std::filesystem::path& path, const StudyOverrides& overrides = {});

// What RunFullStudy did.
struct StudyOutcome {
  RunSummary run;               // the scoring
  analysis::Analysis analysis;  // the numbers (empty when the run was interrupted or incomplete)
  report::ReportFiles report;   // what was written (empty then too)
};

// Makes the logit-scaled copies the pairs ask for and do not have yet
// (gguf::WriteLogitScaledCopy; an hf: base is fetched first), scores what the store lacks
// (RunStudy), records the pairs in the store, then analyses the store (with progress on
// `analysis_progress` when given) and writes the report with every table into spec.out. An
// interrupted run returns after the scoring, with outcome.run.interrupted set and nothing
// analysed; so does a run whose model gave non-finite log-probs (outcome.run.items_nonfinite > 0).
// Throws as WriteLogitScaledCopy, RunStudy, analysis::AnalyzeStore and
// report::WriteReport do.
StudyOutcome RunFullStudy(const StudySpec& spec, const RunnerOptions& options,
                          ProgressSink* analysis_progress = nullptr);

}  // namespace llmcal::study
