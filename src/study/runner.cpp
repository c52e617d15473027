#include "study/runner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>

#include "common/error.h"
#include "common/sha256.h"
#include "common/unicode_text.h"
#include "engine/model_file.h"
#include "fetch/model_source.h"
#include "store/provenance.h"
#include "store/store.h"
#include "study/build_info.h"
#include "study/verify_stored.h"
#include "tasks/prompt_builder.h"

namespace llmcal::study {

namespace {

using store::Store;

constexpr store::Sides kStoredVsNow{"in the store", "now"};
// Hashing a model file this large takes long enough to say so.
constexpr std::uint64_t kAnnounceHashBytes = std::uint64_t{1} << 30;

// A loaded task and what the store knows it by.
struct PreparedTask {
  tasks::Task task;
  store::TaskRecord record;
  std::vector<std::int64_t> selected;  // the plan's selection, ascending
  std::vector<std::string> digests;    // SHA-256 of each file, in reading order
  // The examples of every selected item, chosen once for the whole
  // selection (the harness's sampler is stateful), so that every shard and
  // every resumed block renders the same prompts.
  tasks::FewShotPlan fewshot;
  std::string fewshot_sha256;  // RunSettings::fewshot_sha256
};

struct PreparedRun {
  const PreparedTask* task = nullptr;
  tasks::PromptStyle style = tasks::PromptStyle::kContinuation;
  store::RunRecord record;                         // record.id is set once registered
  std::vector<std::int64_t> planned;               // this shard's items
  std::vector<std::vector<std::int64_t>> missing;  // per block with work: its unstored items
  std::int64_t already_stored = 0;

  std::string Label() const {
    return fmt::format("{} {}/{}", record.model, record.task, record.style);
  }
};

struct PreparedModel {
  ModelRef ref;
  std::filesystem::path local_file;  // what is loaded: ref.path, or an hf: model's cached file
  store::FileFingerprint file;       // its path: the local file's, or the hf: reference
  std::optional<store::ModelRecord> stored;
  std::int64_t id = 0;
  std::vector<PreparedRun> runs;

  bool HasWork() const {
    return std::any_of(runs.begin(), runs.end(),
                       [](const PreparedRun& r) { return !r.missing.empty(); });
  }
};

std::string Hostname() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host;
}

template <typename T, typename Key>
void RefuseDuplicates(const std::vector<T>& values, Key key, std::string_view what) {
  std::set<std::string> seen;
  for (const T& value : values) {
    if (!seen.insert(key(value)).second)
      throw InputError(fmt::format("{} '{}' is given twice", what, key(value)));
  }
}

store::StoredItem ToStoredItem(const tasks::Task& task, const tasks::PromptRequest& prompt,
                               const engine::RequestScore& score) {
  store::StoredItem item;
  item.index = static_cast<std::int64_t>(prompt.index);
  item.id = prompt.id;
  item.gold = prompt.gold;
  item.subject = task.items[prompt.index].subject;
  item.n_choices = static_cast<std::int64_t>(prompt.continuations.size());
  item.truncated = score.truncated;
  item.error = score.error;
  if (!score.ok())
    return item;
  if (score.continuations.size() != prompt.continuations.size()) {
    throw EngineError(fmt::format("the scorer returned {} continuations for item {} of {}",
                                  score.continuations.size(), prompt.index, task.name));
  }
  for (std::size_t k = 0; k < score.continuations.size(); ++k) {
    const engine::ContinuationScore& c = score.continuations[k];
    item.choices.push_back(
        {c.tokens, c.logprobs, static_cast<std::int64_t>(prompt.choice_texts[k].size()),
         static_cast<std::int64_t>(CountCodePoints(prompt.choice_texts[k])), c.is_greedy});
  }
  return item;
}

class StudyRunner {
 public:
  StudyRunner(const StudyPlan& plan, const RunnerOptions& options)
      : plan_(plan), options_(options) {}

  RunSummary Run(const std::filesystem::path& store_path) {
    const auto start = std::chrono::steady_clock::now();
    // Inputs first, so that a missing file creates no store.
    LoadTasks();
    StatModels();
    Store store = Store::Open(store_path, store::Database::kReadWrite);
    store_ = &store;
    summary_.store = store.file();
    CompareTasks();
    PrepareModels();
    PrepareRuns();
    Register();
    for (PreparedModel& model : models_) {
      summary_.interrupted = summary_.interrupted || StopRequested();
      if (!summary_.interrupted && model.HasWork())
        ScoreModel(model);
    }
    for (const PreparedModel& model : models_) {
      for (const PreparedRun& run : model.runs) {
        const RunOutcome& outcome = outcomes_.at(run.record.id);
        VerifyStored(store,
                     {"run " + run.Label(), run.record.id, run.planned,
                      outcome.items_already_stored + outcome.items_scored},
                     "rerun to score what is missing");
        summary_.Add(outcome);
      }
    }
    if (session_id_ != 0)
      store.FinishSession(session_id_);
    summary_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary_;
  }

 private:
  void Note(const std::string& message) {
    if (options_.progress != nullptr)
      options_.progress->Note(message);
  }

  bool StopRequested() const { return options_.stop_requested && options_.stop_requested(); }

  // Step 1 for tasks: load and fingerprint.
  void LoadTasks() {
    RefuseDuplicates(
        plan_.tasks, [](const tasks::TaskRef& t) { return t.name; }, "task");
    for (const tasks::TaskRef& ref : plan_.tasks) {
      PreparedTask& prepared = tasks_.emplace_back();
      prepared.task = tasks::LoadTask(ref, plan_.data_dir, plan_.load_options);
      for (const std::string& skipped : prepared.task.skipped)
        Note("skipped bad record: " + skipped);
      store::TaskRecord& record = prepared.record;
      record.name = prepared.task.name;
      record.item_count = static_cast<std::int64_t>(prepared.task.items.size());
      record.load_options = DescribeLoadOptions(plan_.load_options);
      for (const std::filesystem::path& file : prepared.task.files) {
        const store::FileFingerprint print = store::StatFile(file);
        record.files.push_back({print.path, print.size, Sha256OfFile(file)});
        prepared.digests.push_back(record.files.back().sha256);
      }
      prepared.selected = SelectItems(prepared.task.items.size(), plan_.selection);
      PlanFewShot(ref, prepared);
    }
  }

  void PlanFewShot(const tasks::TaskRef& ref, PreparedTask& prepared) {
    const std::vector<std::size_t> selected(prepared.selected.begin(), prepared.selected.end());
    prepared.fewshot = tasks::PlanFewShot(ref, prepared.task, plan_.data_dir, plan_.load_options,
                                          selected, plan_.NumFewShot(ref.name));
    for (const std::string& skipped : prepared.fewshot.source.skipped)
      Note("skipped bad record: " + skipped);
    std::vector<std::string> digests;
    for (const std::filesystem::path& file : prepared.fewshot.source.files)
      digests.push_back(Sha256OfFile(file));
    prepared.fewshot_sha256 = fmt::format("{}", fmt::join(digests, ","));
  }

  // Step 2 for tasks.
  void CompareTasks() {
    for (const PreparedTask& task : tasks_) {
      const auto stored = store_->FindTask(task.record.name);
      // A task that only imported runs use has no files yet: this run records them.
      if (!stored || stored->imported_only())
        continue;
      const auto differences = store::TaskDifferences(*stored, task.record, kStoredVsNow);
      if (!differences.empty()) {
        throw InputError(fmt::format(
            "task '{}': its data changed since its results were stored in {} ({}); restore "
            "the data or the loader options, or use another --db",
            task.record.name, store_->file(), store::JoinDifferences(differences)));
      }
    }
  }

  // Step 1 for models: each file is there and is a GGUF (an hf: model
  // fetched when the cache lacks it). Provenance records an hf: model by its
  // reference.
  void StatModels() {
    RefuseDuplicates(
        plan_.models, [](const ModelRef& m) { return m.name; }, "model name");
    fetch::HubSettings hub = options_.hub;
    hub.download.stop_requested = options_.stop_requested;
    for (const ModelRef& ref : plan_.models) {
      PreparedModel& model = models_.emplace_back();
      model.ref = ref;
      const fetch::LocatedModel located = fetch::LocateModel(ref.path, hub);
      RefuseNonModelFile(ref, located);
      model.local_file = located.file;
      model.file = store::StatFile(located.file);
      if (!located.reference.empty())
        model.file.path = located.reference;
    }
  }

  // A file that is not a GGUF model (a typo in --model, an hf: download that
  // is an error page) is refused by name before any store exists.
  static void RefuseNonModelFile(const ModelRef& ref, const fetch::LocatedModel& located) {
    const std::string problem = engine::ModelFileProblem(located.file);
    if (problem.empty())
      return;
    const std::string where =
        located.reference.empty()
            ? located.file.string()
            : fmt::format("{}, cached at {}", located.reference, located.file.string());
    throw InputError(fmt::format("model '{}' ({}): {}", ref.name, where, problem));
  }

  // Step 1 and 2 for models: fingerprint (reusing stored digests), compare.
  void PrepareModels() {
    for (PreparedModel& model : models_) {
      const ModelRef& ref = model.ref;
      model.stored = store_->FindModel(ref.name);
      // A name known only from imported results has no file yet: this run records it.
      const std::optional<store::ModelRecord> known =
          model.stored && !model.stored->file.sha256.empty() ? model.stored : std::nullopt;
      if (known && known->file.size != model.file.size)
        RefuseChangedModel(model);  // no need to read a file whose size already differs
      const bool reusable = known && known->file.path == model.file.path &&
                            known->file.mtime_ns == model.file.mtime_ns;
      if (!reusable && model.file.size >= kAnnounceHashBytes) {
        Note(fmt::format("hashing model '{}' ({:.1f} GB) for provenance, once per file", ref.name,
                         static_cast<double>(model.file.size) / 1e9));
      }
      store::FillDigest(model.file, known ? std::optional(known->file) : std::nullopt,
                        model.local_file);
      if (known && known->file.sha256 != model.file.sha256)
        RefuseChangedModel(model);
    }
  }

  // REQUIRES: model.stored. A file refused on its size alone was not hashed.
  [[noreturn]] void RefuseChangedModel(const PreparedModel& model) {
    store::FileFingerprint now = model.file;
    if (now.sha256.empty())
      now.sha256 = model.stored->file.sha256;
    const std::string stored_from = model.stored->file.path == now.path
                                        ? ""
                                        : fmt::format("; stored from {}", model.stored->file.path);
    throw InputError(fmt::format(
        "model '{}' ({}): the file behind this name changed since its results were stored in {} "
        "({}{}); use another --model name or another --db to keep both",
        model.ref.name, now.path, store_->file(),
        store::JoinDifferences(store::FileDifferences(model.stored->file, now, kStoredVsNow)),
        stored_from));
  }

  // Step 2 for runs: settings compared, blocks and missing items worked out.
  void PrepareRuns() {
    RefuseDuplicates(
        plan_.styles, [](tasks::PromptStyle s) { return std::string(tasks::PromptStyleName(s)); },
        "style");
    for (PreparedModel& model : models_) {
      for (const PreparedTask& task : tasks_) {
        const std::optional<store::TaskRecord> stored_task = store_->FindTask(task.record.name);
        for (tasks::PromptStyle style : plan_.styles) {
          std::optional<store::RunRecord> stored;
          if (model.stored && stored_task)
            stored =
                store_->FindRun(model.stored->id, stored_task->id, tasks::PromptStyleName(style));
          model.runs.push_back(PrepareRun(model, task, style, stored));
        }
      }
    }
  }

  PreparedRun PrepareRun(const PreparedModel& model, const PreparedTask& task,
                         tasks::PromptStyle style, const std::optional<store::RunRecord>& stored) {
    PreparedRun run;
    run.task = &task;
    run.style = style;
    run.record.model = model.ref.name;
    run.record.task = task.record.name;
    run.record.style = tasks::PromptStyleName(style);
    const std::size_t num_fewshot = task.fewshot.num_fewshot;
    run.record.settings = {tasks::TemplateVersion(style, num_fewshot),
                           std::string(engine::BosModeName(plan_.engine.bos)),
                           std::string(engine::TokenSplitName(plan_.engine.split)),
                           plan_.engine.context_size,
                           static_cast<std::int64_t>(num_fewshot),
                           task.fewshot_sha256};
    run.record.block_items = static_cast<std::int64_t>(options_.block_items);
    std::vector<std::int64_t> stored_items;
    if (stored && stored->imported()) {
      throw InputError(fmt::format(
          "run {}: its results in {} were imported from lm-evaluation-harness (llmcal import "
          "lm-eval); scoring it natively would mix two sources: use another --model name, or "
          "another --db",
          run.Label(), store_->file()));
    }
    if (stored) {
      const auto differences = store::SettingsDifferences(stored->settings, run.record.settings,
                                                          {"in the store", "in this command"});
      if (!differences.empty()) {
        throw InputError(fmt::format(
            "run {}: its results in {} were stored under other settings ({}); rerun with the "
            "stored settings, or use another --db",
            run.Label(), store_->file(), store::JoinDifferences(differences)));
      }
      run.record = *stored;
      stored_items = store_->StoredItemIndices(stored->id);
    }
    const auto blocks =
        ShardBlocks(task.selected, static_cast<std::size_t>(run.record.block_items), plan_.shard,
                    ShardRotation(run.record.model, run.record.style, task.digests));
    for (const std::vector<std::int64_t>& block : blocks) {
      std::vector<std::int64_t> missing;
      std::set_difference(block.begin(), block.end(), stored_items.begin(), stored_items.end(),
                          std::back_inserter(missing));
      run.planned.insert(run.planned.end(), block.begin(), block.end());
      run.already_stored += static_cast<std::int64_t>(block.size() - missing.size());
      if (!missing.empty())
        run.missing.push_back(std::move(missing));
    }
    return run;
  }

  // Step 3: one transaction.
  void Register() {
    store::Transaction transaction(store_->database());
    std::map<std::string, std::int64_t> task_ids;
    for (const PreparedTask& task : tasks_)
      task_ids[task.record.name] = store_->PutTask(task.record);
    bool any_work = false;
    for (PreparedModel& model : models_) {
      model.id = store_->PutModel(model.ref.name, model.file);
      for (PreparedRun& run : model.runs) {
        run.record.model_id = model.id;
        run.record.task_id = task_ids.at(run.record.task);
        if (run.record.id == 0)
          run.record.id = store_->CreateRun(run.record);
        store_->AddPlannedItems(run.record.id, run.planned);
        RunOutcome& outcome = outcomes_[run.record.id];
        outcome.model = run.record.model;
        outcome.task = run.record.task;
        outcome.style = run.record.style;
        outcome.items_planned = static_cast<std::int64_t>(run.planned.size());
        outcome.items_already_stored = run.already_stored;
      }
      any_work = any_work || model.HasWork();
    }
    if (any_work)
      session_id_ = store_->BeginSession(session_);
    transaction.Commit();
  }

  // Step 4 for one model: load once, score every run's missing blocks.
  void ScoreModel(PreparedModel& model) {
    engine::EngineOptions engine = plan_.engine;
    engine.model_path = model.local_file.string();
    OpenedScorer opened = options_.open_scorer(engine);
    ++summary_.models_loaded;
    const engine::ModelInfo& info = opened.scorer->info();
    store_->SetModelDetails(model.id, {info.architecture, info.n_params, info.description});
    for (PreparedRun& run : model.runs) {
      if (run.missing.empty())
        continue;
      const store::RunEffective effective{info.window, info.bos};
      const auto differences =
          store::EffectiveDifferences(run.record.effective, effective, kStoredVsNow);
      if (!differences.empty()) {
        throw InputError(fmt::format(
            "run {}: the engine now decides differently for this model than when its results "
            "were stored ({}); use another --db",
            run.Label(), store::JoinDifferences(differences)));
      }
      store_->SetRunEffective(run.record.id, effective);
      ScoreRun(run, opened);
      if (summary_.interrupted)
        return;
    }
  }

  void ScoreRun(const PreparedRun& run, OpenedScorer& opened) {
    RunOutcome& outcome = outcomes_.at(run.record.id);
    if (options_.progress != nullptr) {
      options_.progress->RunStarted(run.Label(), outcome.items_planned,
                                    outcome.items_already_stored);
    }
    for (const std::vector<std::int64_t>& block : run.missing) {
      if (StopRequested()) {
        summary_.interrupted = true;
        break;
      }
      ScoreBlock(run, block, opened, outcome);
    }
    if (options_.progress != nullptr)
      options_.progress->RunFinished();
    if (outcome.items_truncated > 0) {
      Note(
          fmt::format("warning: {}: {} item(s) had contexts longer than the window and were cut "
                      "from the left",
                      run.Label(), outcome.items_truncated));
    }
  }

  // Scores one block and commits it: the unit of resumption.
  void ScoreBlock(const PreparedRun& run, const std::vector<std::int64_t>& block,
                  OpenedScorer& opened, RunOutcome& outcome) {
    const tasks::Task& task = run.task->task;
    const std::vector<std::size_t> indices(block.begin(), block.end());
    const std::vector<tasks::PromptRequest> prompts =
        tasks::BuildPrompts(task, indices, run.style, run.task->fewshot);
    std::vector<engine::ScoreRequest> requests;
    requests.reserve(prompts.size());
    for (const tasks::PromptRequest& prompt : prompts)
      requests.push_back({prompt.context, prompt.continuations});
    const std::int64_t tokens_before = opened.evaluated_tokens ? opened.evaluated_tokens() : 0;
    const std::vector<engine::RequestScore> scores = opened.scorer->Score(requests);
    if (scores.size() != requests.size()) {
      throw EngineError(fmt::format("the scorer returned {} results for {} items", scores.size(),
                                    requests.size()));
    }

    std::vector<store::StoredItem> items;
    items.reserve(prompts.size());
    std::int64_t scored_tokens = 0;
    for (std::size_t i = 0; i < prompts.size(); ++i) {
      if (const std::string problem = engine::NonFiniteLogprob(scores[i]); !problem.empty()) {
        // Not stored: a rerun (perhaps with a repaired model) scores it again.
        outcome.nonfinite_items.push_back(static_cast<std::int64_t>(prompts[i].index));
        Note(fmt::format("error: {} item {} (id {}): {}; not stored, the next run retries it",
                         run.Label(), prompts[i].index, prompts[i].id, problem));
        continue;
      }
      items.push_back(ToStoredItem(task, prompts[i], scores[i]));
      items.back().session_id = session_id_;
      for (const store::StoredChoice& c : items.back().choices)
        scored_tokens += c.n_tokens();
    }
    store_->WriteItems(run.record.id, items);

    const std::int64_t tokens =
        opened.evaluated_tokens ? opened.evaluated_tokens() - tokens_before : scored_tokens;
    summary_.tokens_evaluated += tokens;
    outcome.items_scored += static_cast<std::int64_t>(items.size());
    for (const store::StoredItem& item : items) {
      outcome.items_truncated += item.truncated ? 1 : 0;
      if (!item.ok()) {
        ++outcome.items_failed;
        Note(fmt::format("error: {} item {} (id {}) could not be scored: {}", run.Label(),
                         item.index, item.id, item.error));
      }
    }
    if (options_.progress != nullptr)
      options_.progress->BlockStored(static_cast<std::int64_t>(prompts.size()), tokens);
  }

  store::SessionRecord MakeSession() const {
    store::SessionRecord s;
    s.key = store::NewSessionKey();
    s.kind = "run";
    s.llmcal_version = LlmcalVersion();
    s.llama_version = LlamaCppVersion();
    s.host = Hostname();
    s.threads = plan_.engine.threads;
    s.workers = plan_.engine.workers;
    s.batch_size = plan_.engine.batch_size;
    s.gpu_layers = plan_.engine.gpu_layers;
    s.rpc_servers = fmt::format("{}", fmt::join(plan_.engine.rpc_servers, ","));
    s.flash_attn = plan_.engine.flash_attention;
    s.prefix_cache = plan_.engine.prefix_cache ? "on" : "off";
    s.shard = plan_.shard.all() ? "" : plan_.shard.Name();
    return s;
  }

  const StudyPlan& plan_;
  Store* store_ = nullptr;  // open from step 2 on
  const RunnerOptions& options_;
  std::vector<PreparedTask> tasks_;  // PreparedRun points into it: filled before runs
  std::vector<PreparedModel> models_;
  std::map<std::int64_t, RunOutcome> outcomes_;  // by run id
  store::SessionRecord session_ = MakeSession();
  std::int64_t session_id_ = 0;
  RunSummary summary_;
};

}  // namespace

RunSummary RunStudy(const StudyPlan& plan, const std::filesystem::path& store_path,
                    const RunnerOptions& options) {
  if (options.block_items == 0)
    throw std::invalid_argument("RunStudy: block_items must be at least 1");
  if (plan.models.empty() || plan.tasks.empty() || plan.styles.empty())
    throw InputError("a study needs at least one model, one task and one style");
  return StudyRunner(plan, options).Run(store_path);
}

}  // namespace llmcal::study
