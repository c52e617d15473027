// Shards merged equal one unsharded run; disagreeing shards are refused,
// naming the run and the field, and leave the output as it was.
#include <gtest/gtest.h>

#include <set>

#include "study/merge.h"
#include "study/status.h"
#include "study_fixture.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;

// Runs shard `index` of `count` of the fixture's plan into its own store.
fs::path RunShard(StudyFixture& f, int index, int count, const study::StudyPlan& base) {
  study::StudyPlan plan = base;
  plan.shard = {index, count};
  const fs::path db = f.dir / fmt::format("shard-{}-of-{}.sqlite", index, count);
  study::RunStudy(plan, db, f.Options());
  return db;
}

std::map<std::string, std::pair<std::int64_t, std::int64_t>> StatusOf(const fs::path& db) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> rows;
  for (const store::RunProgress& p : study::ReadStatus(db))
    rows[p.run.model + " " + p.run.task + " " + p.run.style] = {p.items_stored, p.items_planned};
  return rows;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Merge, ThreeShardsEqualOneUnshardedRun) {
  StudyFixture f;
  f.Run(f.Plan());
  std::vector<fs::path> shards;
  for (int i = 1; i <= 3; ++i)
    shards.push_back(RunShard(f, i, 3, f.Plan()));
  // Each shard holds only its share.
  std::int64_t shard_items = 0;
  for (const fs::path& shard : shards) {
    for (const auto& [run, counts] : StatusOf(shard)) {
      EXPECT_EQ(counts.first, counts.second) << run;
      shard_items += counts.first;
    }
  }
  EXPECT_EQ(shard_items, 2 * (150 + 70) * 2);

  const fs::path out = f.dir / "merged.sqlite";
  const study::MergeSummary summary = study::MergeStores(out, shards);
  EXPECT_EQ(summary.shards, 3);
  EXPECT_EQ(summary.runs, 8);
  EXPECT_EQ(summary.items_added, shard_items);
  EXPECT_EQ(summary.items_duplicate, 0);
  ExpectSameScores(out, f.db);
  EXPECT_EQ(StatusOf(out), StatusOf(f.db));

  // Sessions kept their identity: the three shards' plus the merge's.
  const auto sessions = store::Store::Open(out, store::Database::kReadOnly).ListSessions();
  ASSERT_EQ(sessions.size(), 4u);
  std::set<std::string> shard_names;
  for (const auto& s : sessions)
    shard_names.insert(s.shard);
  EXPECT_EQ(shard_names, (std::set<std::string>{"1/3", "2/3", "3/3", ""}));
}

TEST(Merge, ShardsScoreTheUnshardedBatches) {
  StudyFixture f;
  f.Run(f.Plan());
  const auto whole =
      std::multiset<std::vector<std::string>>(f.factory.calls.begin(), f.factory.calls.end());
  f.factory.calls.clear();
  RunShard(f, 1, 2, f.Plan());
  RunShard(f, 2, 2, f.Plan());
  EXPECT_EQ(std::multiset<std::vector<std::string>>(f.factory.calls.begin(), f.factory.calls.end()),
            whole);
}

TEST(Merge, IdenticalItemsAreKeptOnceAndMergingAgainChangesNothing) {
  StudyFixture f;
  const fs::path a = RunShard(f, 1, 2, f.Plan());
  const fs::path out = f.dir / "merged.sqlite";
  const std::vector<fs::path> twice = {a, a};
  const study::MergeSummary first = study::MergeStores(out, twice);
  EXPECT_EQ(first.items_duplicate, first.items_added);
  const study::MergeSummary again = study::MergeStores(out, std::vector<fs::path>{a});
  EXPECT_EQ(again.items_added, 0);
  EXPECT_EQ(again.items_duplicate, first.items_added);
  ExpectSameScores(out, a);
}

TEST(Merge, RefusesShardsWithOtherSettingsNamingRunAndField) {
  StudyFixture f;
  const fs::path a = RunShard(f, 1, 2, f.Plan());
  study::StudyPlan other = f.Plan();
  other.engine.context_size = 128;
  const fs::path b = RunShard(f, 2, 2, other);
  const fs::path out = f.dir / "merged.sqlite";
  const std::string message = ErrorOf([&] { study::MergeStores(out, std::vector{a, b}); });
  EXPECT_NE(message.find(b.string() + ": run base custom:"), std::string::npos) << message;
  EXPECT_NE(message.find("ctx_size: 0 in " + a.string() + ", 128 in " + b.string()),
            std::string::npos)
      << message;
  EXPECT_FALSE(fs::exists(out));  // a refused merge leaves no output behind
}

TEST(Merge, RefusesAModelNameBehindDifferentFiles) {
  StudyFixture f;
  const fs::path a = RunShard(f, 1, 2, f.Plan());
  f.WriteModel("base.gguf", "other weights");
  const fs::path b = RunShard(f, 2, 2, f.Plan());
  const std::string message = ErrorOf([&] {
    study::MergeStores(f.dir / "m.sqlite", std::vector{a, b});
  });
  EXPECT_NE(message.find("model 'base' disagrees with " + a.string()), std::string::npos)
      << message;
  EXPECT_NE(message.find("sha256"), std::string::npos) << message;
}

TEST(Merge, RefusesTheSameItemWithOtherScoresAndLeavesTheOutputAsItWas) {
  StudyFixture f;
  const fs::path a = RunShard(f, 1, 2, f.Plan());
  const fs::path b = f.dir / "tampered.sqlite";
  fs::copy_file(a, b);
  {
    store::Database db = store::Database::Open(b, store::Database::kReadWrite);
    // Choice 1 of the shard's first item of run 1, consistently: all its
    // log-probs 0, so their sum and minimum too.
    const std::string which =
        " WHERE run_id = 1 AND choice_index = 1 AND item_index = (SELECT min(item_index) FROM "
        "items WHERE run_id = 1)";
    db.Execute("UPDATE choice_tokens SET logprobs = zeroblob(length(logprobs))" + which +
               "; UPDATE choices SET logprob_sum = 0, logprob_min = 0" + which);
    ASSERT_EQ(db.QueryInt("SELECT changes()"), 1);
  }
  const fs::path out = f.dir / "merged.sqlite";
  study::MergeStores(out, std::vector{a});
  const std::string message = ErrorOf([&] { study::MergeStores(out, std::vector{b}); });
  EXPECT_NE(message.find(b.string() + ": run base custom:"), std::string::npos) << message;
  EXPECT_NE(message.find("is stored with different content in " + out.string()), std::string::npos)
      << message;
  ExpectSameScores(out, a);
}

TEST(Merge, RefusesItsOwnOutputAndMissingShards) {
  StudyFixture f;
  const fs::path a = RunShard(f, 1, 2, f.Plan());
  EXPECT_NE(ErrorOf([&] {
              study::MergeStores(a, std::vector{a});
            }).find("is the merge's output (--out) itself"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              study::MergeStores(f.dir / "m.sqlite", std::vector{f.dir / "no.sqlite"});
            }).find("no.sqlite: no such store"),
            std::string::npos);
}

}  // namespace
}  // namespace llmcal::testing
