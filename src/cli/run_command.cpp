// `llmcal run`: scores a study (models x tasks x styles) into a resumable
// SQLite store. Flags, then study::RunStudy; see docs/store.md.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/engine_flags.h"
#include "cli/setting_flags.h"
#include "cli/study_session.h"
#include "cli/task_options.h"
#include "common/error.h"
#include "common/progress.h"
#include "settings/settings.h"
#include "study/interrupt.h"
#include "study/plan.h"
#include "study/runner.h"

namespace llmcal::cli {

namespace {

struct RunFlags {
  std::vector<std::string> models;
  std::vector<std::string> tasks;
  TaskDataOptions data;
  std::vector<std::string> styles;  // set by AddFlag to the declared default
  std::size_t limit = 0;
  std::size_t sample = 0;
  std::uint64_t seed = 0;
  std::size_t num_fewshot = 0;
  std::string db;
  std::string shard;
  bool quiet = false;
  std::string summary;
  engine::EngineOptions engine;
};

study::StudyPlan ToPlan(const RunFlags& flags, bool sampled, bool limited) {
  study::StudyPlan plan;
  for (const std::string& model : flags.models)
    plan.models.push_back(study::ParseModelRef(model));
  for (const std::string& task : flags.tasks)
    plan.tasks.push_back(tasks::ParseTaskRef(task));
  for (const std::string& style : flags.styles)
    plan.styles.push_back(*tasks::ParsePromptStyle(style));
  plan.data_dir = flags.data.DataDir();
  plan.load_options = flags.data.LoadOptions();
  if (sampled)
    plan.selection = {study::ItemSelection::Kind::kSample, flags.sample, flags.seed};
  else if (limited)
    plan.selection = {study::ItemSelection::Kind::kFirst, flags.limit, 0};
  if (!flags.shard.empty())
    plan.shard = study::ParseShard(flags.shard);
  plan.engine = flags.engine;
  plan.num_fewshot = flags.num_fewshot;
  return plan;
}

void RunRun(const RunFlags& flags, bool sampled, bool limited) {
  const study::StudyPlan plan = ToPlan(flags, sampled, limited);
  const ProgressMode mode = ProgressModeFor(stderr, flags.quiet);  // scoring and downloads
  ProgressPrinter progress(stderr, mode);
  const study::InterruptGuard interrupt;
  study::RunnerOptions options;
  options.progress = &progress;
  options.stop_requested = &study::InterruptGuard::Requested;
  options.hub.download.progress = mode;
  EndRunSession(study::RunStudy(plan, flags.db, options), flags.summary);
}

}  // namespace

void AddRunCommand(CLI::App& app) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Score models on tasks into a resumable SQLite store (models x tasks x styles)");
  cmd->add_option("--model,-m", flags->models,
                  "NAME=PATH of a GGUF model, PATH a file or hf:OWNER/REPO/PATH.gguf[@REVISION] "
                  "(repeat for several); NAME identifies it in the store")
      ->required();
  AddFlag(*cmd, settings::kTasks, flags->tasks)->required();
  flags->data.AddTo(cmd);
  AddFlag(*cmd, settings::kStyles, flags->styles);
  CLI::Option* limit = AddFlag(*cmd, settings::kLimit, flags->limit);
  CLI::Option* sample = AddFlag(*cmd, settings::kSample, flags->sample)->excludes(limit);
  AddFlag(*cmd, settings::kSampleSeed, flags->seed)->needs(sample);
  AddNumFewShotOption(cmd, flags->num_fewshot);
  cmd->add_option("--db", flags->db, "the study's store (SQLite), created when missing")
      ->required();
  cmd->add_option("--shard", flags->shard,
                  "score only shard I of N (I/N): blocks of items dealt round-robin; merge the "
                  "shards' stores with `llmcal merge`");
  cmd->add_flag("--quiet,-q", flags->quiet, "no progress on stderr (warnings are still shown)");
  cmd->add_option("--summary", flags->summary, "also write the summary as JSON to FILE");
  AddEngineSettingFlags(*cmd, flags->engine);
  cmd->callback(
      [flags, limit, sample] { RunRun(*flags, sample->count() > 0, limit->count() > 0); });
}

}  // namespace llmcal::cli
