// Realistic study results for the report's tests and the docs' example
// figures: two base/instruct pairs, three tasks, three confidence methods and
// every metric of the calibration library's table, with intervals, undefined
// values, rankings with Kendall's W, reliability data and provenance.
//
// The numbers are synthetic but consistent, as the study commands would
// produce them: every change is computed from the two estimates it compares
// (difference it - pt, change rate by calibration::ChangeRate), ranks by
// calibration::CompetitionRanks and W by calibration::KendallsW from those
// change rates. Everything is a deterministic function of the names.
//
// Two cases are built in on purpose:
//   - pair "OLMo_7B", task hellaswag, method sum: ECE falls significantly while
//     SCE rises significantly (the paper's headline; the sensitivity panel
//     must flag it);
//   - model "olmo_7b", task mmlu_stem, method min: AUROC undefined ("every
//     item is predicted correctly" is not true of real data, but the report
//     must show an undefined value and its reason), so the change is undefined.
#pragma once

#include "analysis/results.h"

namespace llmcal::report::testing {

analysis::StudyResults FixtureStudy();

// The fixture reduced to one model (its first), without pairs, changes or
// rankings: what a store with a single model gives.
analysis::StudyResults SingleModelStudy();

// The fixture as a --bootstrap 0 analysis makes it: resamples 0 and no
// interval or band anywhere.
analysis::StudyResults FixtureStudyWithoutIntervals();

}  // namespace llmcal::report::testing
