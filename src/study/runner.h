// The study runner: turns a StudyPlan into scores in a Store, block by block,
// one transaction per block, so that a run stopped in any way (Ctrl-C,
// SIGTERM, kill -9, power loss) resumes with nothing lost and nothing scored
// twice. It is the only place where a task's PromptRequest becomes an engine
// ScoreRequest.
//
// Order of work:
//   1. load every task, hash its files, check every model file is there and
//      is a GGUF (engine/model_file.h), fetching hf: models the cache lacks
//      (fetch/model_source.h) (before the store is opened: a missing or
//      wrong input creates no store);
//      fingerprint every model file (its digest is reused while its path,
//      size and mtime are those stored);
//   2. refuse, before any scoring, a model name whose file changed, a task
//      whose files or loader options changed, and a run whose template
//      version or score-affecting settings differ from the stored ones;
//   3. register models, tasks, runs and their planned items (one transaction);
//   4. per model with missing items: load it once, then for each of its runs
//      score each block that has missing items and commit it.
// A model with nothing missing is not loaded. Blocks (plan.h) are fixed per
// run, so a resumed run scores exactly the blocks it lacks, with the batch
// layout an uninterrupted run would have used.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>

#include "common/progress.h"
#include "fetch/hub.h"
#include "study/plan.h"
#include "study/run_summary.h"
#include "study/scorer_factory.h"

namespace llmcal::study {

// Items per block of a new run (a stored run keeps its own): small enough
// that a stop loses little and shards balance, large enough that the
// scorer's batches stay full and a commit costs under 1% (bench/README.md).
inline constexpr std::size_t kDefaultBlockItems = 64;

struct RunnerOptions {
  ScorerFactory open_scorer = OpenLlamaScorer;
  std::size_t block_items = kDefaultBlockItems;  // REQUIRES: >= 1
  ProgressSink* progress = nullptr;              // nullptr: silent
  // Polled after each committed block (and while a model downloads); true
  // stops the run there. Empty: never.
  std::function<bool()> stop_requested;
  // Where hf: models come from and are cached, and how their downloads show
  // progress (fetch/hub.h).
  fetch::HubSettings hub = fetch::HubSettingsFromEnvironment();
};

// Runs `plan` against the store at `store_path` (created when missing),
// holding its writer lock throughout. Returns what was done; an interrupted
// run returns normally with summary.interrupted set.
// Throws InputError before any scoring for bad or changed inputs (see above),
// for a store that is in use, foreign, corrupt or newer; InputError or
// EngineError from a model that fails to load or run (blocks committed
// before stay committed).
RunSummary RunStudy(const StudyPlan& plan, const std::filesystem::path& store_path,
                    const RunnerOptions& options);

}  // namespace llmcal::study
