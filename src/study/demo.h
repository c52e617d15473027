// The main job's known-answer study (`llmcal demo`): a real trained tiny
// model (stories260K) against a copy of itself whose output logits are
// multiplied by 2 — the same network at temperature 1/2, a controlled
// stand-in for the overconfidence alignment is said to cause — on every task
// of the paper, both prompt styles, the paper's three confidence methods.
// The study must find what was built in: calibration error up significantly
// on every task while accuracy moves little. Given real GGUF files the same
// command runs the real study of one pair.
//
//   StudySpec spec = DemoStudy(DemoOptions{.data = "data", .out = "build/demo"});
//   StudyOutcome outcome = RunFullStudy(spec, RunnerOptions{});
//   fmt::print("{}", DemoVerdict(outcome.analysis, DemoIsKnownAnswer(options)));
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "analysis/analyze_store.h"
#include "study/study_file.h"

namespace llmcal::study {

// The logit scale of the demo's "aligned" copy.
inline constexpr double kDemoLogitScale = 2.0;

struct DemoOptions {
  std::filesystem::path data;      // the benchmark folder (arc_easy/, hellaswag/, ...)
  std::filesystem::path out;       // store, scaled copy, tables and report go here
  std::filesystem::path base;      // empty: data/models/stories260K.gguf
  std::filesystem::path instruct;  // empty: a logit-scaled copy of base, made in out when run
  std::size_t sample = 150;        // items per task (a seeded sample); 0: all
  int bootstrap = calibration::kDefaultResamples;
};

// True when the demo compares a model with its own logit-scaled copy (no
// --instruct), whose answer is known.
inline bool DemoIsKnownAnswer(const DemoOptions& options) {
  return options.instruct.empty();
}

// Returns the demo's study (its pair's logit-scaled copy is made by
// RunFullStudy). Throws InputError naming the file when the base model or the
// data folder is missing.
StudySpec DemoStudy(const DemoOptions& options);

// What the demo tells the user before scoring: what the models are and what
// to expect.
std::string DemoIntroduction(const DemoOptions& options);

// The demo's findings: per task, the choice method's ECE, SCE and accuracy
// before and after with the change and its significance, then — for the
// known answer — whether the study found it (calibration error up
// significantly on every task).
std::string DemoVerdict(const analysis::Analysis& analysis, bool known_answer);

}  // namespace llmcal::study
