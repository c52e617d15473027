// The runner with a fake scorer: what it stores, that it resumes after any
// stop with nothing lost or rescored and the same batch layout, that a model
// is loaded once and only when needed, and that changed inputs are refused
// before any scoring.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <numeric>
#include <set>

#include "study/status.h"
#include "study_fixture.h"
#include "tasks/prompt_builder.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;
using study::RunSummary;

constexpr std::int64_t kAllItems = 2 * (150 + 70) * 2;  // models x items x styles

// Records notes (warnings) the runner gives.
class NoteRecorder : public ProgressSink {
 public:
  void RunStarted(const std::string&, std::int64_t, std::int64_t) override {}
  void BlockStored(std::int64_t items, std::int64_t) override { stored += items; }
  void RunFinished() override {}
  void Note(const std::string& message) override { notes.push_back(message); }
  std::vector<std::string> notes;
  std::int64_t stored = 0;
};

TEST(Runner, StoresEveryItemAsTheScorerScoredIt) {
  StudyFixture f;
  const RunSummary summary = f.Run(f.Plan());
  EXPECT_EQ(summary.items_planned, kAllItems);
  EXPECT_EQ(summary.items_scored, kAllItems);
  EXPECT_EQ(summary.items_already_stored, 0);
  EXPECT_EQ(summary.items_failed, 0);
  EXPECT_FALSE(summary.interrupted);
  EXPECT_EQ(summary.runs.size(), 8u);
  EXPECT_EQ(f.factory.opened, (std::vector<std::string>{(f.dir / "base.gguf").string(),
                                                        (f.dir / "inst.gguf").string()}));

  // Independently: render each item, score it with the fake, compare.
  store::Store store = store::Store::Open(f.db, store::Database::kReadOnly);
  const tasks::Task task = tasks::LoadTask(f.Plan().tasks[1], std::nullopt, {});
  for (const store::RunRecord& run : store.ListRuns()) {
    if (run.task != task.name)
      continue;
    const auto style = *tasks::ParsePromptStyle(run.style);
    const std::vector<store::StoredItem> items = store.ReadItems(run.id);
    ASSERT_EQ(items.size(), 70u);
    for (const store::StoredItem& item : items) {
      const tasks::PromptRequest prompt =
          tasks::BuildPrompt(task, static_cast<std::size_t>(item.index), style);
      const engine::RequestScore want = FakeScore({prompt.context, prompt.continuations});
      EXPECT_EQ(item.id, prompt.id);
      EXPECT_EQ(item.gold, prompt.gold);
      ASSERT_EQ(item.choices.size(), want.continuations.size());
      for (std::size_t k = 0; k < item.choices.size(); ++k) {
        EXPECT_EQ(item.choices[k].tokens, want.continuations[k].tokens);
        EXPECT_EQ(item.choices[k].logprobs, want.continuations[k].logprobs);
        EXPECT_EQ(item.choices[k].Sum(), want.continuations[k].sum);
        EXPECT_EQ(item.choices[k].n_bytes,
                  static_cast<std::int64_t>(prompt.choice_texts[k].size()));
        EXPECT_EQ(item.choices[k].is_greedy, want.continuations[k].is_greedy);
      }
    }
    EXPECT_EQ(run.effective, (store::RunEffective{4096, false}));
  }
  EXPECT_EQ(store.FindModel("base")->details->architecture, "fake");
}

TEST(Runner, CountsCharactersAsCodePoints) {
  StudyFixture f;
  std::ofstream(f.dir / "utf8.jsonl")
      << R"({"context": "Pick:", "choices": ["é", "日本", "a"], "gold": 0})" << '\n';
  study::StudyPlan plan = f.Plan();
  plan.tasks = {tasks::ParseTaskRef("custom:" + (f.dir / "utf8.jsonl").string())};
  plan.styles = {tasks::PromptStyle::kContinuation};
  f.Run(plan);
  const auto items = ReadAll(f.db).begin()->second;
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].choices[0].n_bytes, 2);
  EXPECT_EQ(items[0].choices[0].n_chars, 1);
  EXPECT_EQ(items[0].choices[1].n_bytes, 6);
  EXPECT_EQ(items[0].choices[1].n_chars, 2);
  EXPECT_EQ(items[0].choices[2].n_chars, 1);
}

TEST(Runner, RerunScoresNothingAndLoadsNoModel) {
  StudyFixture f;
  f.Run(f.Plan());
  f.factory.opened.clear();
  const RunSummary again = f.Run(f.Plan());
  EXPECT_EQ(again.items_scored, 0);
  EXPECT_EQ(again.items_already_stored, kAllItems);
  EXPECT_EQ(again.models_loaded, 0);
  EXPECT_TRUE(f.factory.opened.empty());
  // A rerun that did nothing leaves no session behind.
  const auto sessions = store::Store::Open(f.db, store::Database::kReadOnly).ListSessions();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].prefix_cache, "on");  // the default, recorded with the session
}

TEST(Runner, OnlyModelsWithMissingItemsAreLoaded) {
  StudyFixture f;
  study::StudyPlan first = f.Plan();
  first.models.resize(1);
  f.Run(first);
  f.factory.opened.clear();
  const RunSummary summary = f.Run(f.Plan());
  EXPECT_EQ(f.factory.opened, (std::vector<std::string>{(f.dir / "inst.gguf").string()}));
  EXPECT_EQ(summary.items_already_stored, kAllItems / 2);
  EXPECT_EQ(summary.items_scored, kAllItems / 2);
}

// Resumption after a stop at every kind of place must store what an
// uninterrupted run stores, scoring each block once, in the same batches.
struct StopCase {
  const char* name;
  int stop_after_blocks;  // the stop request comes after this many blocks (-1: never)
  int fail_at_call;       // the scorer fails at this call (-1: never)
};

const StopCase kStops[] = {
    {"stop_before_any_block", 0, -1},     {"stop_after_three_blocks", 3, -1},
    {"stop_at_a_run_boundary", 10, -1},  // t1 has 150 items: 10 blocks of 16
    {"stop_in_the_second_model", 40, -1}, {"scorer_fails_at_first_block", -1, 0},
    {"scorer_fails_mid_run", -1, 7},      {"scorer_fails_in_the_last_block_of_a_run", -1, 9},
};

class Resume : public ::testing::TestWithParam<StopCase> {};

TEST_P(Resume, EqualsAnUninterruptedRunScoringEachBlockOnce) {
  const StopCase& c = GetParam();
  StudyFixture f;
  FakeFactory whole;
  study::RunnerOptions whole_options = f.Options();
  whole_options.open_scorer = whole.Factory();
  const fs::path whole_db = f.dir / "uninterrupted.sqlite";
  study::RunStudy(f.Plan(), whole_db, whole_options);

  study::RunnerOptions options = f.Options();
  int checks = 0;
  options.stop_requested = [&] {
    return c.stop_after_blocks >= 0 && checks++ >= c.stop_after_blocks;
  };
  f.factory.fail_at_call = c.fail_at_call;
  std::int64_t stored_at_stop = 0;
  if (c.fail_at_call >= 0) {
    EXPECT_THROW(f.Run(f.Plan(), options), EngineError);
    stored_at_stop = 16 * c.fail_at_call;
  } else {
    const RunSummary stopped = f.Run(f.Plan(), options);
    EXPECT_TRUE(stopped.interrupted);
    stored_at_stop = stopped.items_scored;
  }
  std::int64_t stored = 0;
  for (const auto& p : study::ReadStatus(f.db))
    stored += p.items_stored;
  EXPECT_EQ(stored, stored_at_stop);

  f.factory.fail_at_call = -1;
  const RunSummary resumed = f.Run(f.Plan());
  EXPECT_FALSE(resumed.interrupted);
  EXPECT_EQ(resumed.items_scored, kAllItems - stored_at_stop);
  EXPECT_EQ(resumed.items_already_stored, stored_at_stop);
  ExpectSameScores(f.db, whole_db);

  // Same batches: every block the uninterrupted run scored, scored once.
  std::multiset<std::vector<std::string>> batches(f.factory.calls.begin(), f.factory.calls.end());
  EXPECT_EQ(batches,
            std::multiset<std::vector<std::string>>(whole.calls.begin(), whole.calls.end()));
}

INSTANTIATE_TEST_SUITE_P(Cases, Resume, ::testing::ValuesIn(kStops),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(Runner, FailedItemsAreStoredReportedAndNotRetried) {
  StudyFixture f;
  WriteTask(f.dir / "t2.jsonl", 70, /*failing=*/5);
  NoteRecorder notes;
  study::RunnerOptions options = f.Options();
  options.progress = &notes;
  const RunSummary summary = f.Run(f.Plan(), options);
  // "FAIL" is a continuation only in the continuation style: one item per model.
  EXPECT_EQ(summary.items_failed, 2);
  EXPECT_EQ(summary.items_scored, kAllItems);
  ASSERT_EQ(notes.notes.size(), 2u);
  EXPECT_NE(notes.notes[0].find("item 5 (id q5) could not be scored"), std::string::npos)
      << notes.notes[0];
  std::int64_t failed = 0;
  for (const auto& p : study::ReadStatus(f.db))
    failed += p.items_failed;
  EXPECT_EQ(failed, 2);
  EXPECT_EQ(f.Run(f.Plan()).items_scored, 0);
}

// Issue 15 #6: a non-finite log-prob (a broken model) fails its item: not
// stored as done, counted and named in the summary, retried by the next run.
TEST(Runner, NonFiniteItemsAreNotStoredButCountedNamedAndRetried) {
  StudyFixture f;
  WriteTask(f.dir / "t2.jsonl", 70, /*failing=*/5);
  {
    std::ifstream in(f.dir / "t2.jsonl");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.replace(text.find("\"FAIL\""), 6, "\"NAN\"");
    std::ofstream(f.dir / "t2.jsonl") << text;
  }
  NoteRecorder notes;
  study::RunnerOptions options = f.Options();
  options.progress = &notes;
  const RunSummary summary = f.Run(f.Plan(), options);
  // "NAN" is a continuation only in the continuation style: one item per model.
  EXPECT_EQ(summary.items_nonfinite, 2);
  EXPECT_EQ(summary.items_failed, 0);
  EXPECT_EQ(summary.items_scored, kAllItems - 2);
  std::int64_t named = 0;
  for (const study::RunOutcome& run : summary.runs) {
    if (!run.nonfinite_items.empty()) {
      EXPECT_EQ(run.nonfinite_items, std::vector<std::int64_t>{5});
      EXPECT_EQ(run.style, "continuation");
      ++named;
    }
  }
  EXPECT_EQ(named, 2);
  ASSERT_EQ(notes.notes.size(), 2u);
  EXPECT_NE(notes.notes[0].find("item 5 (id q5): continuation 3 token 0 has log-probability nan; "
                                "not stored, the next run retries it"),
            std::string::npos)
      << notes.notes[0];
  const std::string report = study::NonFiniteReport(summary);
  EXPECT_NE(report.find("for 2 item(s), which were not stored in " + f.db.string()),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("model 'base' "), std::string::npos) << report;
  EXPECT_NE(report.find("/continuation: 1 item(s) (5)"), std::string::npos) << report;
  std::int64_t stored = 0;
  for (const auto& p : study::ReadStatus(f.db))
    stored += p.items_stored;
  EXPECT_EQ(stored, kAllItems - 2);
  const RunSummary again = f.Run(f.Plan());
  EXPECT_EQ(again.items_nonfinite, 2);  // retried, and still broken
  EXPECT_EQ(again.items_already_stored, kAllItems - 2);
}

// Issue 15 #2: what the summary reports stored is checked in the store at the
// end. Here a second writer that bypassed the lock (as on a file system
// without working locks) deletes committed items while the run scores.
TEST(Runner, ItemsLostBehindTheWriterLockFailTheRun) {
  StudyFixture f;
  study::RunnerOptions options = f.Options();
  int calls = 0;
  const fs::path db = f.db;
  options.open_scorer = [&calls, db](const engine::EngineOptions&) {
    struct Intruder final : engine::Scorer {
      engine::ModelInfo model_info;
      int* calls;
      fs::path db;
      const engine::ModelInfo& info() const override { return model_info; }
      std::vector<engine::RequestScore> Score(
          std::span<const engine::ScoreRequest> requests) override {
        if ((*calls)++ == 3) {
          sqlite3* raw = nullptr;
          sqlite3_open(db.c_str(), &raw);
          EXPECT_EQ(sqlite3_exec(raw, "DELETE FROM items WHERE run_id = 1 AND item_index < 3",
                                 nullptr, nullptr, nullptr),
                    SQLITE_OK);
          sqlite3_close(raw);
        }
        std::vector<engine::RequestScore> scores;
        for (const engine::ScoreRequest& request : requests)
          scores.push_back(FakeScore(request));
        return scores;
      }
    };
    auto scorer = std::make_unique<Intruder>();
    scorer->model_info.window = 4096;
    scorer->calls = &calls;
    scorer->db = db;
    return study::OpenedScorer{std::move(scorer), {}};
  };
  try {
    f.Run(f.Plan(), options);
    FAIL() << "the run did not notice the lost items";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(f.db.string() + ": run base "), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("150 of its planned items should be stored, but the "
                                         "store holds 147; another process wrote this store"),
              std::string::npos)
        << e.what();
  }
}

TEST(Runner, AGrownSelectionScoresOnlyTheNewItems) {
  StudyFixture f;
  study::StudyPlan plan = f.Plan();
  plan.selection = {study::ItemSelection::Kind::kFirst, 10, 0};
  EXPECT_EQ(f.Run(plan).items_scored, 2 * 2 * 2 * 10);
  plan.selection.n = 25;
  const RunSummary grown = f.Run(plan);
  EXPECT_EQ(grown.items_scored, 2 * 2 * 2 * 15);
  EXPECT_EQ(grown.items_already_stored, 2 * 2 * 2 * 10);
  for (const auto& p : study::ReadStatus(f.db))
    EXPECT_EQ(p.items_planned, 25);
}

// Few-shot examples depend on every item before them (the harness's sampler
// is stateful), so shards and a resumed run must render from the examples
// chosen for the whole selection: two shards' stores hold exactly what the
// fake scores for the prompts of one uninterrupted plan.
TEST(Runner, ShardsRenderFewShotPromptsOfTheWholeSelection) {
  StudyFixture f;
  study::StudyPlan plan = f.Plan();
  plan.num_fewshot = 3;
  plan.selection = {study::ItemSelection::Kind::kFirst, 60, 0};
  plan.styles = {tasks::PromptStyle::kContinuation};
  plan.models.resize(1);
  for (int shard = 1; shard <= 2; ++shard) {
    plan.shard = {shard, 2};
    study::RunStudy(plan, f.dir / ("shard" + std::to_string(shard) + ".sqlite"), f.Options());
  }
  const tasks::Task task = tasks::LoadTask(plan.tasks[0], std::nullopt, {});
  std::vector<std::size_t> selected(60);
  std::iota(selected.begin(), selected.end(), std::size_t{0});
  const tasks::FewShotPlan examples =
      tasks::PlanFewShot(plan.tasks[0], task, std::nullopt, {}, selected, 3);
  std::set<std::int64_t> seen;
  for (int shard = 1; shard <= 2; ++shard) {
    for (const auto& [run, items] :
         ReadAll(f.dir / ("shard" + std::to_string(shard) + ".sqlite"))) {
      if (run.find("t1.jsonl") == std::string::npos)
        continue;
      for (const store::StoredItem& item : items) {
        const tasks::PromptRequest prompt = tasks::BuildPrompt(
            task, static_cast<std::size_t>(item.index), tasks::PromptStyle::kContinuation,
            examples.ExamplesOf(static_cast<std::size_t>(item.index)));
        ASSERT_EQ(std::count(prompt.context.begin(), prompt.context.end(), '\n'), 6);
        const engine::RequestScore want = FakeScore({prompt.context, prompt.continuations});
        ASSERT_EQ(item.choices.size(), want.continuations.size());
        for (std::size_t k = 0; k < item.choices.size(); ++k)
          EXPECT_EQ(item.choices[k].logprobs, want.continuations[k].logprobs) << item.index;
        seen.insert(item.index);
      }
    }
  }
  EXPECT_EQ(seen.size(), 60u);
}

// A change between two runs on one store, and what the second run must say.
struct RefusalCase {
  const char* name;
  std::function<void(StudyFixture&, study::StudyPlan&)> change;
  const char* message;  // nullptr: the second run is accepted
};

const RefusalCase kRefusals[] = {
    {"model_content_changed",
     [](StudyFixture& f, study::StudyPlan&) { f.WriteModel("base.gguf", "base weightz"); },
     "model 'base' ("},
    {"model_size_changed",
     [](StudyFixture& f, study::StudyPlan&) { f.WriteModel("inst.gguf", "instruct weights 2"); },
     "size: 20 in the store, 22 now"},
    {"name_moved_to_another_model",
     [](StudyFixture&, study::StudyPlan& p) { p.models[0].path = p.models[1].path; },
     "model 'base'"},
    {"task_file_changed",
     [](StudyFixture& f, study::StudyPlan&) { WriteTask(f.dir / "t1.jsonl", 150, -1, "!"); },
     "its data changed since its results were stored"},
    {"task_items_added",
     [](StudyFixture& f, study::StudyPlan&) { WriteTask(f.dir / "t2.jsonl", 71); },
     "item_count: 70 in the store, 71 now"},
    {"loader_options_changed",
     [](StudyFixture&, study::StudyPlan& p) { p.load_options.skip_bad = true; },
     "load_options: skip_bad=0 medmcqa_cop_base=auto in the store, skip_bad=1"},
    {"context_size_changed",
     [](StudyFixture&, study::StudyPlan& p) { p.engine.context_size = 128; },
     "ctx_size: 0 in the store, 128 in this command"},
    {"bos_mode_changed",
     [](StudyFixture&, study::StudyPlan& p) { p.engine.bos = engine::BosMode::kLmEval04; },
     "bos_mode: auto in the store, lm-eval-0.4 in this command"},
    {"token_split_changed",
     [](StudyFixture&, study::StudyPlan& p) { p.engine.split = engine::TokenSplit::kLmEval; },
     "token_split: common-prefix in the store, lm-eval in this command"},
    {"num_fewshot_changed", [](StudyFixture&, study::StudyPlan& p) { p.num_fewshot = 2; },
     "num_fewshot: 0 in the store, 2 in this command"},
    {"num_fewshot_of_one_task_changed",
     [](StudyFixture& f, study::StudyPlan& p) {
       p.num_fewshot_by_task["custom:" + (f.dir / "t2.jsonl").string()] = 1;
     },
     "template_version: lm-eval-0.4-zeroshot/1 in the store, lm-eval-0.4-1shot/1 in this command; "
     "num_fewshot: 0 in the store, 1 in this command"},
    {"model_name_twice", [](StudyFixture&, study::StudyPlan& p) { p.models[1].name = "base"; },
     "model name 'base' is given twice"},
    {"model_touched_same_content",
     [](StudyFixture& f, study::StudyPlan&) {
       fs::last_write_time(f.dir / "base.gguf",
                           fs::last_write_time(f.dir / "base.gguf") + std::chrono::hours(1));
     },
     nullptr},
    {"model_moved_same_content",
     [](StudyFixture& f, study::StudyPlan& p) {
       fs::copy_file(f.dir / "base.gguf", f.dir / "moved.gguf");
       p.models[0].path = f.dir / "moved.gguf";
     },
     nullptr},
    {"threads_and_batch_size_are_not_provenance",
     [](StudyFixture&, study::StudyPlan& p) {
       p.engine.threads = 3;
       p.engine.batch_size = 99;
     },
     nullptr},
    // The cache changes which tokens are evaluated, not the scores: a store
    // scored with it is continued without it (the session records which).
    {"prefix_cache_is_not_provenance",
     [](StudyFixture&, study::StudyPlan& p) { p.engine.prefix_cache = false; }, nullptr},
};

class Refusal : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(Refusal, BeforeAnyScoringWithWhatChanged) {
  const RefusalCase& c = GetParam();
  StudyFixture f;
  study::StudyPlan plan = f.Plan();
  plan.selection = {study::ItemSelection::Kind::kFirst, 20, 0};
  f.Run(plan);
  plan.selection.n = 40;  // the second run would have work to do
  c.change(f, plan);
  f.factory.opened.clear();
  if (c.message == nullptr) {
    EXPECT_EQ(f.Run(plan).items_scored, 2 * 2 * 2 * 20);
    return;
  }
  try {
    f.Run(plan);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
  }
  EXPECT_TRUE(f.factory.opened.empty());
  for (const auto& p : study::ReadStatus(f.db)) {
    EXPECT_EQ(p.items_stored, 20);
    EXPECT_EQ(p.items_planned, 20);  // nothing registered either
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Refusal, ::testing::ValuesIn(kRefusals),
                         [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace llmcal::testing
