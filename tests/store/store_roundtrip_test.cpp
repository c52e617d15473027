// The store writes and reads back exactly: provenance records, planned and
// stored items, every blob bit for bit, and the counts status shows.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "store/sqlite_db.h"
#include "store/store.h"
#include "support/test_data.h"

namespace llmcal::store {
namespace {

using testing::FreshTempDir;

StoredItem Item(std::int64_t index, std::int64_t session, int n_choices) {
  StoredItem item;
  item.index = index;
  item.id = "item-" + std::to_string(index) + "-é";
  item.gold = index % n_choices;
  item.subject = index % 2 ? "high_school_biology" : "";
  item.n_choices = n_choices;
  item.truncated = index % 3 == 0;
  item.session_id = session;
  for (int k = 0; k < n_choices; ++k) {
    StoredChoice c;
    for (int t = 0; t <= k + static_cast<int>(index % 4); ++t) {
      c.tokens.push_back(static_cast<std::int32_t>(100000 * t - 7 + k));
      c.logprobs.push_back(-0.123456789f * static_cast<float>(t + 1) - static_cast<float>(index));
    }
    c.n_bytes = 3 * k + 1;
    c.n_chars = 2 * k + 1;
    c.is_greedy = k == 0;
    item.choices.push_back(c);
  }
  return item;
}

struct Fixture {
  std::filesystem::path path = FreshTempDir("llmcal-store") / "study.sqlite";
  Store store = Store::Open(path, Database::kReadWrite);
  std::int64_t model_id = 0, task_id = 0, run_id = 0, session_id = 0;

  Fixture() {
    model_id = store.PutModel("base", {"/models/base.gguf", 1234, 99, std::string(64, 'a')});
    task_id = store.PutTask(
        {0,
         "arc_easy",
         10,
         "skip_bad=0 medmcqa_cop_base=auto",
         {{"/data/a.jsonl", 5, std::string(64, 'b')}, {"/data/b.jsonl", 6, std::string(64, 'c')}}});
    RunRecord run;
    run.model_id = model_id;
    run.task_id = task_id;
    run.style = "choice";
    run.settings = {"tmpl/1", "auto", "common-prefix", 256, 5, "aa,bb"};
    run.block_items = 4;
    run_id = store.CreateRun(run);
    SessionRecord session;
    session.key = NewSessionKey();
    session.kind = "run";
    session.llmcal_version = "0.1.0";
    session.llama_version = "v0.5.0";
    session.host = "host";
    session.rpc_servers = "a:1,b:2";
    session.flash_attn = "auto";
    session.shard = "1/2";
    session.prefix_cache = "on";
    session_id = store.BeginSession(session);
  }
};

void ExpectSameItems(const std::vector<StoredItem>& got, const std::vector<StoredItem>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(SameContent(got[i], want[i])) << "item " << want[i].index;
    EXPECT_EQ(got[i].session_id, want[i].session_id);
  }
}

TEST(StoreRoundTrip, ItemsAndBlobsComeBackBitForBit) {
  Fixture f;
  std::vector<StoredItem> items;
  for (std::int64_t i = 0; i < 7; ++i)
    items.push_back(Item(i, f.session_id, 2 + static_cast<int>(i % 4)));
  // Values a float blob must keep exactly: signed zero, subnormal, infinity, NaN.
  items[1].choices[0].logprobs[0] = -0.0f;
  items[2].choices[1].logprobs[0] = std::numeric_limits<float>::denorm_min();
  items[3].choices[0].logprobs[0] = -std::numeric_limits<float>::infinity();
  items[4].choices[0].logprobs[0] = std::numeric_limits<float>::quiet_NaN();
  items[5].choices.clear();
  items[5].error = "continuation 1 has zero tokens";
  f.store.WriteItems(f.run_id, {items.begin(), items.begin() + 3});
  f.store.WriteItems(f.run_id, {items.begin() + 3, items.end()});

  const std::vector<StoredItem> got = f.store.ReadItems(f.run_id);
  ExpectSameItems(got, items);
  EXPECT_TRUE(std::signbit(got[1].choices[0].logprobs[0]));
  EXPECT_TRUE(std::isnan(got[4].choices[0].logprobs[0]));
  EXPECT_EQ(got[6].choices[1].tokens, items[6].choices[1].tokens);
  EXPECT_EQ(got[5].error, "continuation 1 has zero tokens");
  EXPECT_EQ(f.store.StoredItemIndices(f.run_id), (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6}));
}

TEST(StoreRoundTrip, ScoresAreTheItemsWithoutTheirTokenArrays) {
  Fixture f;
  std::vector<StoredItem> items;
  for (std::int64_t i = 0; i < 9; ++i)
    items.push_back(Item(2 * i + 1, f.session_id, 2 + static_cast<int>(i % 4)));
  items[4].choices.clear();
  items[4].error = "failed";
  f.store.WriteItems(f.run_id, items);
  const RunScores scores = f.store.ReadScores(f.run_id);
  ASSERT_EQ(scores.items.size(), items.size());
  std::size_t n_choices = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ItemSummary& got = scores.items[i];
    EXPECT_EQ(got.index, items[i].index);
    EXPECT_EQ(got.gold, items[i].gold);
    EXPECT_EQ(got.subject, items[i].subject);
    EXPECT_EQ(got.n_choices, items[i].n_choices);
    EXPECT_EQ(got.truncated, items[i].truncated);
    EXPECT_EQ(got.failed, !items[i].ok());
    for (std::size_t k = 0; k < items[i].choices.size(); ++k) {
      const StoredChoice& want = items[i].choices[k];
      const ChoiceSummary& c = scores.choices.at(got.first_choice + k);
      EXPECT_EQ(c.sum, want.Sum());
      EXPECT_EQ(c.min, want.Min());
      EXPECT_EQ(c.n_tokens, want.n_tokens());
      EXPECT_EQ(c.n_bytes, want.n_bytes);
      EXPECT_EQ(c.n_chars, want.n_chars);
      EXPECT_EQ(c.is_greedy, want.is_greedy);
      ++n_choices;
    }
  }
  EXPECT_EQ(scores.choices.size(), n_choices);
}

// A damaged row, and which readers notice it.
struct CorruptionCase {
  const char* name;
  const char* sql;
  bool scores_notice;  // ReadScores reads no blobs, so notices only missing rows
};

const CorruptionCase kCorruptions[] = {
    {"token_count", "UPDATE choices SET n_tokens = 99 WHERE choice_index = 1", false},
    {"blob_length",
     "UPDATE choice_tokens SET logprobs = substr(logprobs, 1, 3) WHERE choice_index = 1", false},
    {"blob_missing", "DELETE FROM choice_tokens WHERE choice_index = 2", false},
    {"stored_sum", "UPDATE choices SET logprob_sum = logprob_sum + 1e-9 WHERE choice_index = 0",
     false},
    {"choice_missing", "DELETE FROM choices WHERE choice_index = 2", true},
    {"choice_out_of_order", "UPDATE choices SET choice_index = 7 WHERE choice_index = 1", true},
};

class Corruption : public ::testing::TestWithParam<CorruptionCase> {};

TEST_P(Corruption, IsReportedNamingRunAndItem) {
  Fixture f;
  f.store.WriteItems(f.run_id, std::vector<StoredItem>{Item(0, f.session_id, 3)});
  f.store.database().Execute("PRAGMA foreign_keys = OFF");
  f.store.database().Execute(GetParam().sql);
  std::vector<std::function<void()>> readers = {[&] { f.store.ReadItems(f.run_id); }};
  if (GetParam().scores_notice)
    readers.push_back([&] { f.store.ReadScores(f.run_id); });
  for (const auto& read : readers) {
    try {
      read();
      ADD_FAILURE() << "read a corrupt row";
    } catch (const InputError& e) {
      EXPECT_NE(
          std::string(e.what()).find(f.path.string() + ": the store is corrupt: run 1 item 0"),
          std::string::npos)
          << e.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Corruption, ::testing::ValuesIn(kCorruptions),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(StoreRoundTrip, SumAndMinMatchTheScorersDoubleAccumulation) {
  StoredChoice c;
  c.logprobs = {-0.1f, -2.5f, -0.3f};
  const double sum = double{-0.1f} + double{-2.5f} + double{-0.3f};
  EXPECT_EQ(c.Sum(), sum);
  EXPECT_EQ(c.Min(), double{-2.5f});
}

TEST(StoreRoundTrip, ProvenanceRecordsComeBack) {
  Fixture f;
  f.store.SetModelDetails(f.model_id, {"llama", 292800, "llama ?B all F32"});
  f.store.SetRunEffective(f.run_id, {512, true});

  const std::optional<ModelRecord> model = f.store.FindModel("base");
  ASSERT_TRUE(model);
  EXPECT_EQ(model->file, (FileFingerprint{"/models/base.gguf", 1234, 99, std::string(64, 'a')}));
  EXPECT_EQ(model->details, (ModelDetails{"llama", 292800, "llama ?B all F32"}));
  EXPECT_FALSE(f.store.FindModel("other"));

  const std::optional<TaskRecord> task = f.store.FindTask("arc_easy");
  ASSERT_TRUE(task);
  EXPECT_EQ(task->item_count, 10);
  EXPECT_EQ(task->load_options, "skip_bad=0 medmcqa_cop_base=auto");
  ASSERT_EQ(task->files.size(), 2u);
  EXPECT_EQ(task->files[1].path, "/data/b.jsonl");
  EXPECT_EQ(task->files[1].size, 6u);

  const std::vector<RunRecord> runs = f.store.ListRuns();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].model, "base");
  EXPECT_EQ(runs[0].task, "arc_easy");
  EXPECT_EQ(runs[0].style, "choice");
  EXPECT_EQ(runs[0].settings, (RunSettings{"tmpl/1", "auto", "common-prefix", 256, 5, "aa,bb"}));
  EXPECT_EQ(runs[0].effective, (RunEffective{512, true}));
  EXPECT_EQ(runs[0].block_items, 4);
  EXPECT_EQ(runs[0].created_at.size(), 20u);  // 2026-11-28T12:34:56Z

  const std::vector<SessionRecord> sessions = f.store.ListSessions();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].rpc_servers, "a:1,b:2");
  EXPECT_EQ(sessions[0].shard, "1/2");
  EXPECT_EQ(sessions[0].prefix_cache, "on");
  EXPECT_EQ(sessions[0].finished_at, "");
  f.store.FinishSession(f.session_id);
  EXPECT_NE(f.store.ListSessions()[0].finished_at, "");
}

TEST(StoreRoundTrip, ProgressCountsPlannedStoredAndFailed) {
  Fixture f;
  const std::vector<std::int64_t> plan = {0, 2, 4, 6, 8};
  f.store.AddPlannedItems(f.run_id, plan);
  f.store.AddPlannedItems(f.run_id, std::vector<std::int64_t>{4, 8, 9});  // union
  StoredItem failed = Item(4, f.session_id, 2);
  failed.choices.clear();
  failed.error = "no";
  f.store.WriteItems(f.run_id, std::vector<StoredItem>{Item(0, f.session_id, 2), failed});

  const std::vector<RunProgress> progress = f.store.Progress();
  ASSERT_EQ(progress.size(), 1u);
  EXPECT_EQ(progress[0].items_planned, 6);
  EXPECT_EQ(progress[0].items_stored, 2);
  EXPECT_EQ(progress[0].items_failed, 1);
  EXPECT_EQ(f.store.PlannedItems(f.run_id), (std::vector<std::int64_t>{0, 2, 4, 6, 8, 9}));
}

TEST(StoreRoundTrip, AChunkIsWrittenWholeOrNotAtAll) {
  Fixture f;
  f.store.WriteItems(f.run_id, std::vector<StoredItem>{Item(3, f.session_id, 2)});
  // Item 3 again in the middle of a chunk: the primary key refuses it, and
  // the items before it in the chunk must not stay behind.
  const std::vector<StoredItem> chunk = {Item(1, f.session_id, 2), Item(2, f.session_id, 3),
                                         Item(3, f.session_id, 2), Item(4, f.session_id, 2)};
  EXPECT_THROW(f.store.WriteItems(f.run_id, chunk), InputError);
  EXPECT_EQ(f.store.StoredItemIndices(f.run_id), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(f.store.ReadItems(f.run_id).size(), 1u);
}

TEST(StoreRoundTrip, DataSurvivesReopeningReadOnly) {
  std::filesystem::path path;
  std::int64_t run_id = 0;
  std::vector<StoredItem> items;
  {
    Fixture f;
    path = f.path;
    run_id = f.run_id;
    for (std::int64_t i = 0; i < 3; ++i)
      items.push_back(Item(i, f.session_id, 4));
    f.store.WriteItems(f.run_id, items);
  }
  Store reader = Store::Open(path, Database::kReadOnly);
  ExpectSameItems(reader.ReadItems(run_id), items);
}

TEST(StoreRoundTrip, SameContentComparesBitsNotValues) {
  const StoredItem a = Item(5, 1, 3);
  StoredItem b = a;
  b.session_id = 2;  // who stored it does not count
  EXPECT_TRUE(SameContent(a, b));
  b.choices[1].logprobs[0] = std::nextafter(a.choices[1].logprobs[0], 0.0f);
  EXPECT_FALSE(SameContent(a, b));
  StoredItem zero = a;
  StoredItem negative_zero = a;
  zero.choices[0].logprobs[0] = 0.0f;
  negative_zero.choices[0].logprobs[0] = -0.0f;
  EXPECT_FALSE(SameContent(zero, negative_zero));
  StoredItem c = a;
  c.choices[2].n_chars += 1;
  EXPECT_FALSE(SameContent(a, c));
}

}  // namespace
}  // namespace llmcal::store
