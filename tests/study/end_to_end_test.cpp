// `llmcal run` as a user runs it, on the real tiny model stories260K: killed
// with SIGKILL mid-run and resumed, stopped with Ctrl-C, raced by a second
// run on the same store, and sharded then merged. Each must end with the
// scores an uninterrupted run stores, nothing scored twice.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "child_process.h"
#include "store/store.h"
#include "support/files.h"
#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Args = std::vector<std::string>;

constexpr int kItems = 256;  // four blocks of 64 HellaSwag items: a few seconds on one thread

Args RunArgs(const fs::path& db, int items = kItems) {
  const fs::path data = TestDataDir();
  return {"run",
          "--model",
          "stories=" + (data / "models" / "stories260K.gguf").string(),
          "--task",
          "hellaswag",
          "--data",
          data.string(),
          "--style",
          "continuation",
          "--limit",
          std::to_string(items),
          "--threads",
          "1",
          "--db",
          db.string()};
}

// Items stored over all runs, or -1 while the store cannot be read yet.
std::int64_t StoredItems(const fs::path& db) {
  const CommandResult status = RunLlmcal({"status", "--db", db.string(), "--format", "json"});
  if (status.exit_code != 0)
    return -1;
  std::int64_t stored = 0;
  for (const json& row : json::parse(status.stdout_text))
    stored += row.at("items_stored").get<std::int64_t>();
  return stored;
}

// Polls until `done` holds; fails the test after a minute.
void WaitFor(const std::function<bool()>& done, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (!done()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "timed out waiting for " << what;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

struct Comparison {
  std::int64_t items = 0;
  std::int64_t bit_identical = 0;
  double max_difference = 0.0;
};

// Compares every stored log-prob of two stores holding the same runs.
Comparison Compare(const fs::path& a, const fs::path& b) {
  store::Store x = store::Store::Open(a, store::Database::kReadOnly);
  store::Store y = store::Store::Open(b, store::Database::kReadOnly);
  const auto runs_x = x.ListRuns();
  const auto runs_y = y.ListRuns();
  Comparison c;
  EXPECT_EQ(runs_x.size(), runs_y.size());
  for (std::size_t r = 0; r < std::min(runs_x.size(), runs_y.size()); ++r) {
    EXPECT_EQ(runs_x[r].task + runs_x[r].style, runs_y[r].task + runs_y[r].style);
    const auto items_x = x.ReadItems(runs_x[r].id);
    const auto items_y = y.ReadItems(runs_y[r].id);
    EXPECT_EQ(items_x.size(), items_y.size());
    for (std::size_t i = 0; i < std::min(items_x.size(), items_y.size()); ++i) {
      ++c.items;
      c.bit_identical += store::SameContent(items_x[i], items_y[i]) ? 1 : 0;
      EXPECT_EQ(items_x[i].index, items_y[i].index);
      EXPECT_EQ(items_x[i].choices.size(), items_y[i].choices.size());
      for (std::size_t k = 0; k < std::min(items_x[i].choices.size(), items_y[i].choices.size());
           ++k) {
        const auto& p = items_x[i].choices[k];
        const auto& q = items_y[i].choices[k];
        EXPECT_EQ(p.tokens, q.tokens);
        for (std::size_t t = 0; t < std::min(p.logprobs.size(), q.logprobs.size()); ++t)
          c.max_difference =
              std::max<double>(c.max_difference, std::abs(p.logprobs[t] - q.logprobs[t]));
      }
    }
  }
  return c;
}

void ExpectEqualScores(const fs::path& a, const fs::path& b, std::int64_t items) {
  const Comparison c = Compare(a, b);
  EXPECT_EQ(c.items, items);
  EXPECT_LE(c.max_difference, 1e-5);
  std::printf("compared %lld items: %lld bit-identical, largest log-prob difference %g\n",
              static_cast<long long>(c.items), static_cast<long long>(c.bit_identical),
              c.max_difference);
}

json Summary(const fs::path& path) {
  return json::parse(ReadFile(path));
}

TEST(EndToEnd, KillMinusNineThenResumeLosesNothingAndScoresNothingTwice) {
  const fs::path dir = FreshTempDir("llmcal-kill");
  const fs::path db = dir / "killed.sqlite";
  std::int64_t stored_at_kill = 0;
  {
    ChildProcess run((BuildDir() / "llmcal").string(), RunArgs(db), dir / "out", dir / "err");
    WaitFor([&] { return StoredItems(db) > 0; }, "the first committed block");
    run.Signal(SIGKILL);
    EXPECT_EQ(run.Wait(), 128 + SIGKILL);
    stored_at_kill = StoredItems(db);
  }
  ASSERT_GT(stored_at_kill, 0);
  ASSERT_LT(stored_at_kill, kItems) << "the run ended before the kill; raise kItems";
  EXPECT_EQ(stored_at_kill % 64, 0) << "only whole blocks are committed";
  std::printf("killed with %lld of %d items stored\n", static_cast<long long>(stored_at_kill),
              kItems);

  Args resume = RunArgs(db);
  resume.insert(resume.end(), {"--summary", (dir / "resume.json").string(), "--quiet"});
  const CommandResult resumed = RunLlmcal(resume);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.stderr_text;
  const json summary = Summary(dir / "resume.json");
  EXPECT_EQ(summary["items_scored"], kItems - stored_at_kill);
  EXPECT_EQ(summary["items_already_stored"], stored_at_kill);
  EXPECT_EQ(summary["interrupted"], false);
  EXPECT_EQ(StoredItems(db), kItems);

  const fs::path whole = dir / "whole.sqlite";
  ASSERT_EQ(RunLlmcal(RunArgs(whole)).exit_code, 0);
  ExpectEqualScores(db, whole, kItems);
}

TEST(EndToEnd, CtrlCStopsAfterTheBlockInFlightAndASecondExitsAtOnce) {
  const fs::path dir = FreshTempDir("llmcal-sigint");
  const fs::path db = dir / "study.sqlite";
  Args args = RunArgs(db);
  args.insert(args.end(), {"--summary", (dir / "stopped.json").string()});
  {
    ChildProcess run((BuildDir() / "llmcal").string(), args, dir / "out", dir / "err");
    WaitFor([&] { return StoredItems(db) > 0; }, "the first committed block");
    run.Signal(SIGINT);
    EXPECT_EQ(run.Wait(), 130);
  }
  const std::string err = ReadFile(dir / "err");
  EXPECT_NE(err.find("stopping after the block in flight is committed"), std::string::npos) << err;
  EXPECT_NE(ReadFile(dir / "out").find("rerun the same command to resume"), std::string::npos);
  const json stopped = Summary(dir / "stopped.json");
  EXPECT_EQ(stopped["interrupted"], true);
  const std::int64_t stored = StoredItems(db);
  EXPECT_EQ(stored, stopped["items_scored"].get<std::int64_t>());
  EXPECT_EQ(stored % 64, 0);

  {
    // Right after a commit the next block is in flight for a second or more:
    // the first Ctrl-C asks to stop after it, the second must not wait.
    ChildProcess run((BuildDir() / "llmcal").string(), RunArgs(db), dir / "out2", dir / "err2");
    WaitFor([&] { return StoredItems(db) > stored; }, "the resumed run's first block");
    run.Signal(SIGINT);
    WaitFor([&] { return ReadFile(dir / "err2").find("stopping after") != std::string::npos; },
            "the first Ctrl-C to be seen");
    run.Signal(SIGINT);
    EXPECT_EQ(run.Wait(), 130);
  }
  EXPECT_NE(ReadFile(dir / "err2").find("stopped at once"), std::string::npos)
      << ReadFile(dir / "err2");
  const CommandResult finish = RunLlmcal(RunArgs(db));
  EXPECT_EQ(finish.exit_code, 0) << finish.stderr_text;
  EXPECT_EQ(StoredItems(db), kItems);
}

TEST(EndToEnd, ASecondRunOnTheSameStoreIsRefusedWhileTheFirstFinishes) {
  const fs::path dir = FreshTempDir("llmcal-race");
  const fs::path db = dir / "study.sqlite";
  ChildProcess first((BuildDir() / "llmcal").string(), RunArgs(db, 128), dir / "out", dir / "err");
  WaitFor([&] { return StoredItems(db) >= 0; }, "the first run to register its plan");
  const CommandResult second = RunLlmcal(RunArgs(db, 128));
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(
      second.stderr_text.find(db.string() + ": another llmcal process is writing this store (pid " +
                              std::to_string(first.pid())),
      std::string::npos)
      << second.stderr_text;
  EXPECT_EQ(first.Wait(), 0) << ReadFile(dir / "err");
  EXPECT_EQ(StoredItems(db), 128);
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  EXPECT_EQ(store.ReadItems(store.ListRuns().at(0).id).size(), 128u);
}

TEST(EndToEnd, TwoShardsMergedEqualOneUnshardedRun) {
  const fs::path dir = FreshTempDir("llmcal-shards");
  const auto shard = [&](const std::string& name, const std::string& which) {
    Args args = RunArgs(dir / name, 80);  // two blocks per run: 64 + 16
    args[4] = "arc_easy";                 // --task
    args[8] = "continuation,choice";      // --style
    args[12] = "2";                       // --threads
    args.push_back("--quiet");
    if (!which.empty())
      args.insert(args.end(), {"--shard", which});
    const CommandResult result = RunLlmcal(args);
    EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  };
  shard("whole.sqlite", "");
  shard("a.sqlite", "1/2");
  shard("b.sqlite", "2/2");
  const CommandResult merge = RunLlmcal({"merge", "--out", (dir / "merged.sqlite").string(),
                                         (dir / "a.sqlite").string(), (dir / "b.sqlite").string()});
  ASSERT_EQ(merge.exit_code, 0) << merge.stderr_text;
  EXPECT_NE(merge.stdout_text.find("2 runs, 160 items added, 0 already there"), std::string::npos)
      << merge.stdout_text;
  ExpectEqualScores(dir / "merged.sqlite", dir / "whole.sqlite", 2 * 80);
  EXPECT_EQ(RunLlmcal({"status", "--db", (dir / "merged.sqlite").string()}).stdout_text,
            RunLlmcal({"status", "--db", (dir / "whole.sqlite").string()}).stdout_text);
}

}  // namespace
}  // namespace llmcal::testing
