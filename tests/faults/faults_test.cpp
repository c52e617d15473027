// The faults suite: llmcal tried as a hostile user or an unlucky machine
// would (issue 15), with the real binary on the real tiny model. Each case
// here needs more than a script of commands (tests/faults/cases/ holds
// those): a second writer racing the first, kill -9 at random points of
// `run` and `merge`, a full file system, a read-only folder, a model with
// NaN weights, a report stopped while gnuplot hangs.
//
// Several cases need root for a small tmpfs (mount); without it they fall
// back to a file-size limit (ulimit -f) or permissions (chmod), as the
// machine allows.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "child_process.h"
#include "gguf.h"
#include "store/store.h"
#include "support/files.h"
#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Args = std::vector<std::string>;

constexpr int kItems = 128;  // two blocks of HellaSwag: about a second on one thread

std::string Llmcal() {
  return (BuildDir() / "llmcal").string();
}

std::string Stories() {
  return (TestDataDir() / "models" / "stories260K.gguf").string();
}

Args RunArgs(const fs::path& db, const std::string& model = "stories", int items = kItems) {
  return {"run",
          "--model",
          model + "=" + Stories(),
          "--task",
          "hellaswag",
          "--data",
          TestDataDir().string(),
          "--style",
          "continuation",
          "--limit",
          std::to_string(items),
          "--threads",
          "1",
          "--quiet",
          "--db",
          db.string()};
}

// Polls until `done` holds; fails the test after a minute.
void WaitFor(const std::function<bool()>& done, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (!done()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "timed out waiting for " << what;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

bool NonEmptyFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && fs::file_size(path, ec) > 0;
}

// Every stored item of every run of `a` is in `b` bit for bit, and the
// other way round.
void ExpectSameStores(const fs::path& a, const fs::path& b) {
  store::Store x = store::Store::Open(a, store::Database::kReadOnly);
  store::Store y = store::Store::Open(b, store::Database::kReadOnly);
  const auto runs_x = x.ListRuns();
  const auto runs_y = y.ListRuns();
  ASSERT_EQ(runs_x.size(), runs_y.size());
  for (std::size_t r = 0; r < runs_x.size(); ++r) {
    EXPECT_EQ(runs_x[r].model + runs_x[r].task + runs_x[r].style,
              runs_y[r].model + runs_y[r].task + runs_y[r].style);
    const auto items_x = x.ReadItems(runs_x[r].id);
    const auto items_y = y.ReadItems(runs_y[r].id);
    ASSERT_EQ(items_x.size(), items_y.size()) << runs_x[r].model;
    for (std::size_t i = 0; i < items_x.size(); ++i)
      EXPECT_TRUE(store::SameContent(items_x[i], items_y[i])) << "item " << items_x[i].index;
  }
}

// The metrics table of a store, as `llmcal metrics` prints it.
std::string Metrics(const fs::path& db) {
  const CommandResult metrics =
      RunLlmcal({"metrics", "--db", db.string(), "--bootstrap", "50", "--format", "csv"});
  EXPECT_EQ(metrics.exit_code, 0) << metrics.stderr_text;
  return metrics.stdout_text;
}

// One uninterrupted run, made once for every case that compares with it.
struct Reference {
  fs::path db;
  double seconds = 0;
};

const Reference& UninterruptedRun() {
  static const Reference reference = [] {
    Reference r;
    r.db = FreshTempDir("llmcal-reference") / "whole.sqlite";
    const auto start = std::chrono::steady_clock::now();
    const CommandResult run = RunLlmcal(RunArgs(r.db));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
    return r;
  }();
  return reference;
}

// A small file system of its own (tmpfs) at `dir`, unmounted at the end;
// mounted() is false where the machine does not allow it (not root).
class SmallFilesystem {
 public:
  SmallFilesystem(const fs::path& dir, const std::string& options) : dir_(dir) {
    fs::create_directories(dir);
    mounted_ = mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~SmallFilesystem() {
    if (mounted_)
      umount2(dir_.c_str(), MNT_DETACH);
  }
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  bool mounted() const { return mounted_; }
  // REQUIRES: mounted().
  bool Remount(unsigned long flags, const std::string& options) {
    return mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | flags, options.c_str()) == 0;
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
};

// --- Issue 15 #2 and #13: one writer per file, whatever its name -----------

TEST(Faults, AHardLinkOrSymlinkToAStoreLetsNoSecondWriterIn) {
  const fs::path dir = FreshTempDir("llmcal-links");
  const fs::path db = dir / "g.sqlite";
  ASSERT_EQ(RunLlmcal(RunArgs(db, "a", 1)).exit_code, 0);
  fs::create_hard_link(db, dir / "gl.sqlite");
  fs::create_symlink("g.sqlite", dir / "gs.sqlite");
  ChildProcess first(Llmcal(), RunArgs(db, "a"), dir / "out", dir / "err");
  // The store gets its first new block only while the writer holds the lock.
  WaitFor(
      [&] {
        const CommandResult status = RunLlmcal({"status", "--db", db.string(), "--format", "json"});
        return status.exit_code == 0 && json::parse(status.stdout_text)[0]["items_total"] == kItems;
      },
      "the first run to register its plan");
  for (const char* other : {"gl.sqlite", "gs.sqlite"}) {
    const CommandResult second = RunLlmcal(RunArgs(dir / other, "b"));
    EXPECT_EQ(second.exit_code, 1) << other << ": " << second.stdout_text;
    EXPECT_NE(second.stderr_text.find((dir / other).string() +
                                      ": another llmcal process is writing this store (pid " +
                                      std::to_string(first.pid()) + ")"),
              std::string::npos)
        << second.stderr_text;
  }
  EXPECT_EQ(first.Wait(), 0) << ReadFile(dir / "err");
  // Once it is done, a writer through the other name is welcome, and every
  // model is in the one file.
  const CommandResult later = RunLlmcal(RunArgs(dir / "gl.sqlite", "b", 3));
  EXPECT_EQ(later.exit_code, 0) << later.stderr_text;
  const CommandResult status = RunLlmcal({"status", "--db", db.string(), "--format", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.stderr_text;
  const json rows = json::parse(status.stdout_text);
  ASSERT_EQ(rows.size(), 2u) << status.stdout_text;
  EXPECT_EQ(rows[0]["model"], "a");
  EXPECT_EQ(rows[0]["items_stored"], kItems);
  EXPECT_EQ(rows[1]["model"], "b");
  EXPECT_EQ(rows[1]["items_stored"], 3);
}

// --- kill -9 at random points ------------------------------------------------

TEST(Faults, KillNineAtRandomPointsOfRunThenResumeEqualsAnUninterruptedRun) {
  const Reference& reference = UninterruptedRun();
  const std::string reference_metrics = Metrics(reference.db);
  for (const unsigned seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const fs::path dir = FreshTempDir("llmcal-kill-run");
    const fs::path db = dir / "killed.sqlite";
    std::mt19937 random(seed);
    // Anywhere from before the store exists to after the last commit.
    const auto delay = std::chrono::duration<double>(
        std::uniform_real_distribution<double>(0.0, 1.1 * reference.seconds)(random));
    {
      ChildProcess run(Llmcal(), RunArgs(db), dir / "out", dir / "err");
      std::this_thread::sleep_for(delay);
      run.Signal(SIGKILL);
      run.Wait();
    }
    std::printf("seed %u: killed after %.2f s of %.2f s\n", seed, delay.count(), reference.seconds);
    const CommandResult resume = RunLlmcal(RunArgs(db));
    ASSERT_EQ(resume.exit_code, 0) << resume.stderr_text;
    ExpectSameStores(db, reference.db);
    EXPECT_EQ(Metrics(db), reference_metrics);
  }
}

TEST(Faults, KillNineAtRandomPointsOfMergeThenRerunEqualsAnUninterruptedMerge) {
  const fs::path dir = FreshTempDir("llmcal-kill-merge");
  Args shard_1 = RunArgs(dir / "a.sqlite");
  Args shard_2 = RunArgs(dir / "b.sqlite");
  shard_1.insert(shard_1.end(), {"--shard", "1/2"});
  shard_2.insert(shard_2.end(), {"--shard", "2/2"});
  ASSERT_EQ(RunLlmcal(shard_1).exit_code, 0);
  ASSERT_EQ(RunLlmcal(shard_2).exit_code, 0);
  const auto merge = [&](const fs::path& out) {
    return Args{"merge", "--out", out.string(), (dir / "a.sqlite").string(),
                (dir / "b.sqlite").string()};
  };
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(RunLlmcal(merge(dir / "whole.sqlite")).exit_code, 0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string reference_metrics = Metrics(dir / "whole.sqlite");
  for (const unsigned seed : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const fs::path out = dir / ("merged" + std::to_string(seed) + ".sqlite");
    std::mt19937 random(seed);
    const auto delay = std::chrono::duration<double>(
        std::uniform_real_distribution<double>(0.0, 1.2 * seconds)(random));
    {
      ChildProcess killed(Llmcal(), merge(out), dir / "out", dir / "err");
      std::this_thread::sleep_for(delay);
      killed.Signal(SIGKILL);
      killed.Wait();
    }
    const CommandResult rerun = RunLlmcal(merge(out));
    ASSERT_EQ(rerun.exit_code, 0) << rerun.stderr_text;
    ExpectSameStores(out, dir / "whole.sqlite");
    EXPECT_EQ(Metrics(out), reference_metrics);
  }
}

// --- A full file system ------------------------------------------------------

TEST(Faults, AFullFilesystemStopsTheRunWithAClearErrorAndTheRunResumes) {
  const Reference& reference = UninterruptedRun();
  const fs::path dir = FreshTempDir("llmcal-full");
  // Room for the first block of 64 items, not for the second.
  SmallFilesystem small(dir / "small", "size=320k");
  const fs::path db = dir / "small" / "s.sqlite";
  CommandResult full;
  if (small.mounted()) {
    full = RunLlmcal(RunArgs(db));
  } else {
    // No mount here: a file-size limit (260 KiB: bash counts KiB) stops the
    // WAL growing as a full disk would.
    fs::create_directories(db.parent_path());
    Args args = {"-c", "ulimit -f 260 && exec \"$0\" \"$@\"", Llmcal()};
    const Args run = RunArgs(db);
    args.insert(args.end(), run.begin(), run.end());
    full = RunCommand("/bin/bash", args);
  }
  EXPECT_EQ(full.exit_code, 1) << full.stdout_text << full.stderr_text;
  EXPECT_NE(full.stderr_text.find("llmcal: error: " + db.string() + ": "), std::string::npos)
      << full.stderr_text;
  EXPECT_NE(full.stderr_text.find(small.mounted() ? "the disk is full" : "File too large"),
            std::string::npos)
      << full.stderr_text;
  if (small.mounted()) {
    ASSERT_TRUE(small.Remount(0, "size=16m"));
  }
  // The first block is committed and readable; the rerun adds the rest.
  const CommandResult status = RunLlmcal({"status", "--db", db.string(), "--format", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.stderr_text;
  EXPECT_EQ(json::parse(status.stdout_text)[0]["items_stored"], 64) << status.stdout_text;
  const CommandResult resume = RunLlmcal(RunArgs(db));
  ASSERT_EQ(resume.exit_code, 0) << resume.stderr_text;
  ExpectSameStores(db, reference.db);
  EXPECT_EQ(Metrics(db), Metrics(reference.db));
}

// --- Issue 15 #11: a store in a read-only folder -----------------------------

TEST(Faults, ReadingCommandsWorkInAReadOnlyFolderAndLeaveNothingBeside) {
  const Reference& reference = UninterruptedRun();
  const fs::path dir = FreshTempDir("llmcal-readonly");
  const fs::path folder = dir / "ro";
  SmallFilesystem mounted(folder, "size=16m");
  fs::copy_file(reference.db, folder / "finished.sqlite");
  // A store left in WAL mode without its -wal (as an older llmcal left them).
  fs::copy_file(reference.db, folder / "wal.sqlite");
  {
    store::Database wal = store::Database::Open(folder / "wal.sqlite", store::Database::kReadWrite);
    wal.Execute("PRAGMA journal_mode = WAL");
  }
  ASSERT_FALSE(fs::exists(folder / "wal.sqlite-wal"));
  if (mounted.mounted()) {
    ASSERT_TRUE(mounted.Remount(MS_RDONLY, "size=16m"));
  } else {
    fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec);
    if (access(folder.c_str(), W_OK) == 0)
      GTEST_SKIP() << "neither a read-only mount nor permissions can stop writes here";
  }
  for (const char* name : {"finished.sqlite", "wal.sqlite"}) {
    SCOPED_TRACE(name);
    const std::string db = (folder / name).string();
    const CommandResult status = RunLlmcal({"status", "--db", db});
    EXPECT_EQ(status.exit_code, 0) << status.stderr_text;
    EXPECT_NE(status.stdout_text.find("128    128"), std::string::npos) << status.stdout_text;
    EXPECT_EQ(Metrics(folder / name), Metrics(reference.db));
  }
  const CommandResult report = RunLlmcal({"report", "--db", (folder / "wal.sqlite").string(),
                                          "--bootstrap", "20", "--out", (dir / "report").string()});
  EXPECT_EQ(report.exit_code, 0) << report.stderr_text;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
    const std::string file = entry.path().filename().string();
    EXPECT_TRUE(file == "finished.sqlite" || file == "wal.sqlite") << file << " was left behind";
  }
  if (!mounted.mounted())
    fs::permissions(folder, fs::perms::owner_all);  // so that the folder can be removed
}

// --- Issue 15 #6: a model that gives NaN -------------------------------------

// Overwrites every value of the F32 tensor `name` of the GGUF at `path` with NaN.
void PoisonTensor(const fs::path& path, const std::string& name) {
  gguf_init_params params{};
  params.no_alloc = true;
  gguf_context* gguf = gguf_init_from_file(path.c_str(), params);
  ASSERT_NE(gguf, nullptr) << path;
  const std::int64_t tensor = gguf_find_tensor(gguf, name.c_str());
  ASSERT_GE(tensor, 0) << name;
  ASSERT_EQ(gguf_get_tensor_type(gguf, tensor), GGML_TYPE_F32) << name;
  const std::size_t offset = gguf_get_data_offset(gguf) + gguf_get_tensor_offset(gguf, tensor);
  const std::size_t size = gguf_get_tensor_size(gguf, tensor);
  gguf_free(gguf);
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  file.seekp(static_cast<std::streamoff>(offset));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t i = 0; i < size / sizeof(float); ++i)
    file.write(reinterpret_cast<const char*>(&nan), sizeof nan);
  ASSERT_TRUE(file.good());
}

TEST(Faults, NanLogprobsFailTheirItemsInScoreAndRunAndARerunRetriesThem) {
  const fs::path dir = FreshTempDir("llmcal-nan");
  const fs::path model = dir / "nan.gguf";
  const CommandResult made =
      RunCommand((BuildDir() / "llmcal-make-model").string(),
                 {"--arch", "llama-spm", "--preset", "tiny", "--out", model.string()});
  ASSERT_EQ(made.exit_code, 0) << made.stderr_text;
  PoisonTensor(model, "output_norm.weight");
  std::ofstream(dir / "tiny.jsonl")
      << R"({"id": "a", "context": "Once upon a time there was a", "choices": ["cat", "dog"], "gold": 0})"
      << "\n"
      << R"({"id": "b", "context": "The sun was", "choices": ["hot", "cold"], "gold": 1})"
      << "\n";

  std::ofstream(dir / "requests.jsonl")
      << R"({"id": "r1", "context": "The sun was", "continuations": [" hot", " cold"]})"
      << "\n";
  const CommandResult score = RunLlmcal({"score", "--model", model.string(), "--input",
                                         (dir / "requests.jsonl").string(), "--threads", "1"});
  EXPECT_EQ(score.exit_code, 3) << score.stderr_text;
  EXPECT_NE(score.stderr_text.find("item 0 (id \"r1\"): the model failed: continuation 0 token 0 "
                                   "has log-probability nan"),
            std::string::npos)
      << score.stderr_text;
  EXPECT_NE(score.stdout_text.find(R"("error":"the model failed)"), std::string::npos)
      << score.stdout_text;
  EXPECT_EQ(score.stdout_text.find("null"), std::string::npos) << score.stdout_text;

  const fs::path db = dir / "s.sqlite";
  const Args run = {"run",
                    "--model",
                    "nan=" + model.string(),
                    "--task",
                    "custom:" + (dir / "tiny.jsonl").string(),
                    "--style",
                    "continuation",
                    "--threads",
                    "1",
                    "--quiet",
                    "--db",
                    db.string(),
                    "--summary",
                    (dir / "summary.json").string()};
  for (int attempt = 0; attempt < 2; ++attempt) {
    SCOPED_TRACE("attempt " + std::to_string(attempt));
    const CommandResult result = RunLlmcal(run);
    EXPECT_EQ(result.exit_code, 3) << result.stderr_text;
    EXPECT_NE(result.stderr_text.find("llmcal: engine error: the model produced non-finite "
                                      "log-probabilities (NaN or infinity) for 2 item(s), which "
                                      "were not stored in " +
                                      db.string() + "; model 'nan' custom:"),
              std::string::npos)
        << result.stderr_text;
    EXPECT_NE(result.stderr_text.find("/continuation: 2 item(s) (0, 1)"), std::string::npos)
        << result.stderr_text;
    EXPECT_NE(result.stdout_text.find("2 item(s) got non-finite log-probabilities"),
              std::string::npos)
        << result.stdout_text;
    const json summary = json::parse(ReadFile(dir / "summary.json"));
    EXPECT_EQ(summary["items_nonfinite"], 2);
    EXPECT_EQ(summary["items_scored"], 0);
    EXPECT_EQ(summary["items_already_stored"], 0);  // nothing stored as done: retried
    EXPECT_EQ(summary["runs"][0]["nonfinite_items"], json::array({0, 1}));
    const CommandResult status = RunLlmcal({"status", "--db", db.string(), "--format", "json"});
    EXPECT_EQ(json::parse(status.stdout_text)[0]["items_stored"], 0) << status.stdout_text;
  }
}

// --- Issue 15 #9: the report stopped while gnuplot hangs ----------------------

bool ProcessGone(pid_t pid) {
  if (kill(pid, 0) != 0)
    return true;
  // A zombie whose parent is gone waits for init to reap it: it runs no more.
  const std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t close = stat.rfind(')');
  return close != std::string::npos && stat.size() > close + 2 && stat[close + 2] == 'Z';
}

TEST(Faults, StoppingTheReportStopsTheGnuplotItStarted) {
  const fs::path dir = FreshTempDir("llmcal-gnuplot-stop");
  const fs::path db = dir / "s.sqlite";
  ASSERT_EQ(RunLlmcal(RunArgs(db, "stories", 4)).exit_code, 0);
  const fs::path hang = dir / "hang.sh";
  std::ofstream(hang) << "#!/bin/sh\nsleep 300 &\necho $! > " << (dir / "sleep.pid").string()
                      << "\nwait\n";
  fs::permissions(hang, fs::perms::owner_all);
  for (const int signal : {SIGTERM, SIGINT}) {
    SCOPED_TRACE(signal);
    fs::remove(dir / "sleep.pid");
    ChildProcess report(Llmcal(),
                        {"report", "--db", db.string(), "--bootstrap", "10", "--out",
                         (dir / "report").string(), "--gnuplot", hang.string()},
                        dir / "out", dir / "err");
    WaitFor([&] { return NonEmptyFile(dir / "sleep.pid"); }, "the hanging gnuplot to start");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // its pid is written whole
    const pid_t sleeper = std::stoi(ReadFile(dir / "sleep.pid"));
    report.Signal(signal);
    EXPECT_EQ(report.Wait(), 128 + signal) << ReadFile(dir / "err");
    WaitFor([&] { return ProcessGone(sleeper); }, "gnuplot's child to be killed");
  }
}

}  // namespace
}  // namespace llmcal::testing
