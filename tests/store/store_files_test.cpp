// Every file that is not a usable store gives a clear InputError naming it,
// never a crash: missing, text, random bytes, another application's SQLite
// database, a newer schema, corrupt pages. And one writer at a time.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "store/schema.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "support/test_data.h"

namespace llmcal::store {
namespace {

namespace fs = std::filesystem;
using testing::FreshTempDir;

void WriteBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A store with one model, then closed.
void MakeStore(const fs::path& path) {
  Store store = Store::Open(path, Database::kReadWrite);
  store.PutModel("m", {"/m.gguf", 1, 2, std::string(64, 'f')});
}

void RawSql(const fs::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(db);
}

// Overwrites every page but the first (which holds the schema) with 0xFF.
void ClobberPagesAfterFirst(const fs::path& path) {
  const auto size = fs::file_size(path);
  ASSERT_GT(size, 4096u);
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  file.seekp(4096);
  file << std::string(size - 4096, '\xff');
}

struct BadStoreCase {
  const char* name;
  std::function<void(const fs::path&)> make;  // writes the file (or not)
  Database::Mode mode;
  const char* message;  // expected in the error, after "<file>: "
};

const BadStoreCase kBadStores[] = {
    {"missing", [](const fs::path&) {}, Database::kReadOnly, "no such store"},
    {"text", [](const fs::path& p) { WriteBytes(p, "model,task\nbase,arc\n"); },
     Database::kReadOnly, "not an SQLite database, so not an llmcal store"},
    {"text_for_writing", [](const fs::path& p) { WriteBytes(p, std::string(5000, 'x')); },
     Database::kReadWrite, "not an SQLite database, so not an llmcal store"},
    {"empty_file", [](const fs::path& p) { WriteBytes(p, ""); }, Database::kReadOnly,
     "an empty file, not an llmcal store"},
    {"foreign_sqlite",
     [](const fs::path& p) { RawSql(p, "CREATE TABLE photos (id INTEGER, name TEXT)"); },
     Database::kReadWrite, "an SQLite database of another application (application_id 0x0)"},
    {"foreign_application_id",
     [](const fs::path& p) { RawSql(p, "PRAGMA application_id = 1234; CREATE TABLE t (x)"); },
     Database::kReadOnly, "an SQLite database of another application (application_id 0x4d2)"},
    {"newer_schema",
     [](const fs::path& p) {
       MakeStore(p);
       RawSql(p, "PRAGMA user_version = 99");
     },
     Database::kReadWrite, "store schema version 99 is newer than this llmcal understands"},
    {"corrupt_pages",
     [](const fs::path& p) {
       MakeStore(p);
       ClobberPagesAfterFirst(p);
     },
     Database::kReadOnly, "the store is corrupt"},
    {"directory", [](const fs::path& p) { fs::create_directory(p); }, Database::kReadOnly,
     "not a regular file"},
    {"directory_for_writing", [](const fs::path& p) { fs::create_directory(p); },
     Database::kReadWrite, "not a regular file"},
    // Issue 15 #14: refused alike by readers and writers, never half-upgraded.
    {"version_zero_with_tables",
     [](const fs::path& p) {
       MakeStore(p);
       RawSql(p, "PRAGMA user_version = 0");
     },
     Database::kReadOnly, "store schema version 0, yet it holds tables"},
    {"version_zero_with_tables_for_writing",
     [](const fs::path& p) {
       MakeStore(p);
       RawSql(p, "PRAGMA user_version = 0");
     },
     Database::kReadWrite, "store schema version 0, yet it holds tables"},
    // Issue 15 #1: a new store is never created through a link.
    {"dangling_symlink_for_writing",
     [](const fs::path& p) { fs::create_symlink(p.parent_path() / "elsewhere.sqlite", p); },
     Database::kReadWrite, "a symbolic link to a missing file"},
};

class BadStoreFile : public ::testing::TestWithParam<BadStoreCase> {};

TEST_P(BadStoreFile, ClearErrorNamingTheFile) {
  const BadStoreCase& c = GetParam();
  const fs::path path = FreshTempDir("llmcal-bad-store") / "study.sqlite";
  c.make(path);
  try {
    Store store = Store::Open(path, c.mode);
    store.ListModels();  // a corrupt page may only show when read
    store.Progress();
    FAIL() << "opened a bad store";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string() + ": " + c.message), std::string::npos)
        << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, BadStoreFile, ::testing::ValuesIn(kBadStores),
                         [](const auto& test) { return std::string(test.param.name); });

std::string JournalMode(Database& db) {
  Statement mode = db.Prepare("PRAGMA journal_mode");
  EXPECT_TRUE(mode.Step());
  return mode.Text(0);
}

// Issue 15 #11: WAL while written, one file once the writer is done.
TEST(StoreFiles, NewStoreIsMarkedVersionedAndLeftAsOneFile) {
  const fs::path path = FreshTempDir("llmcal-new-store") / "study.sqlite";
  {
    Store writer = Store::Open(path, Database::kReadWrite);
    writer.PutModel("m", {"/m.gguf", 1, 2, std::string(64, 'f')});
    EXPECT_EQ(JournalMode(writer.database()), "wal");
  }
  for (const char* beside : {"-wal", "-shm", ".lock"})
    EXPECT_FALSE(fs::exists(path.string() + beside)) << beside;
  Database db = Database::Open(path, Database::kReadOnly);
  EXPECT_EQ(db.QueryInt("PRAGMA application_id"), kApplicationId);
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(JournalMode(db), "delete");
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM models"), 1);
  for (const char* beside : {"-wal", "-shm", ".lock"})
    EXPECT_FALSE(fs::exists(path.string() + beside)) << beside;
}

// A reader open when the writer finishes keeps the WAL (it cannot be left
// under a reader); nothing is lost, and the next writer finishes the job.
TEST(StoreFiles, AReaderOpenAtTheEndKeepsTheWalUntilTheNextWriter) {
  const fs::path path = FreshTempDir("llmcal-reader-at-end") / "study.sqlite";
  {
    Store reader_later = [&] {
      MakeStore(path);
      return Store::Open(path, Database::kReadOnly);
    }();
    Store writer = Store::Open(path, Database::kReadWrite);
    writer.PutModel("n", {"/n.gguf", 1, 2, std::string(64, 'e')});
    EXPECT_EQ(reader_later.ListModels().size(), 2u);
  }
  MakeStore(path);
  for (const char* beside : {"-wal", "-shm"})
    EXPECT_FALSE(fs::exists(path.string() + beside)) << beside;
  EXPECT_EQ(Store::Open(path, Database::kReadOnly).ListModels().size(), 2u);
}

// SQL that takes a current store back to before schema step 4 (imported runs).
constexpr std::string_view kWithoutVersion4 =
    "DROP TABLE imported_choices; DROP TABLE imports; ALTER TABLE runs DROP COLUMN origin; ";

TEST(StoreFiles, AVersionTwoStoreGainsThePrefixCacheColumnAsOff) {
  // A version-2 store: sessions without prefix_cache. Its sessions ran
  // before the prefix cache existed, so the upgrade records them as off.
  const fs::path path = FreshTempDir("llmcal-v2-store") / "study.sqlite";
  {
    Store store = Store::Open(path, Database::kReadWrite);
    SessionRecord session;
    session.key = NewSessionKey();
    session.kind = "run";
    session.prefix_cache = "on";
    store.BeginSession(session);
  }
  RawSql(path, std::string(kWithoutVersion4) +
                   "ALTER TABLE sessions DROP COLUMN prefix_cache; PRAGMA user_version = 2");
  EXPECT_THROW(Store::Open(path, Database::kReadOnly), InputError);  // "older ... upgrades it"
  Store store = Store::Open(path, Database::kReadWrite);
  const std::vector<SessionRecord> sessions = store.ListSessions();
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].prefix_cache, "off");
}

// A version-1 store (before few-shot settings): a writer upgrades it in place,
// its runs read as zero-shot; a reader refuses it until then.
TEST(StoreFiles, VersionOneStoreIsUpgradedByAWriter) {
  const fs::path path = FreshTempDir("llmcal-v1-store") / "study.sqlite";
  {
    Store store = Store::Open(path, Database::kReadWrite);
    const std::int64_t model = store.PutModel("m", {"/m.gguf", 1, 2, std::string(64, 'f')});
    const std::int64_t task = store.PutTask({0, "piqa", 3, "skip_bad=0", {}});
    RunRecord run;
    run.model_id = model;
    run.task_id = task;
    run.style = "choice";
    run.settings = {"tmpl/1", "auto", "common-prefix", 0, 0, ""};
    run.block_items = 4;
    store.CreateRun(run);
  }
  RawSql(path, std::string(kWithoutVersion4) +
                   "ALTER TABLE runs DROP COLUMN num_fewshot; ALTER TABLE runs DROP COLUMN "
                   "fewshot_sha256; ALTER TABLE sessions DROP COLUMN prefix_cache; "
                   "PRAGMA user_version = 1");
  EXPECT_THROW(Store::Open(path, Database::kReadOnly), InputError);
  Store::Open(path, Database::kReadWrite);
  Store store = Store::Open(path, Database::kReadOnly);
  const std::vector<RunRecord> runs = store.ListRuns();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].settings, (RunSettings{"tmpl/1", "auto", "common-prefix", 0, 0, ""}));
}

TEST(StoreFiles, AnEmptyFileBecomesAStoreForWriting) {
  const fs::path path = FreshTempDir("llmcal-empty-store") / "study.sqlite";
  WriteBytes(path, "");
  Store::Open(path, Database::kReadWrite).PutModel("m", {"/m", 1, 2, "x"});
  EXPECT_TRUE(Store::Open(path, Database::kReadOnly).FindModel("m"));
}

TEST(WriterLock, ASecondWriterIsRefusedWithTheHolder) {
  const fs::path path = FreshTempDir("llmcal-lock") / "study.sqlite";
  std::optional<Store> first = Store::Open(path, Database::kReadWrite);
  try {
    Store second = Store::Open(path, Database::kReadWrite);
    FAIL() << "two writers";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("another llmcal process is writing this store"), std::string::npos);
    EXPECT_NE(message.find("pid " + std::to_string(getpid())), std::string::npos) << message;
  }
  // Readers are never refused.
  EXPECT_NO_THROW(Store::Open(path, Database::kReadOnly).Progress());
  first.reset();
  EXPECT_NO_THROW(Store::Open(path, Database::kReadWrite));
}

// Issue 15 #2 and #13: the lock is the file's, whatever name reaches it.
TEST(WriterLock, AHardLinkOrSymlinkReachesTheSameLock) {
  const fs::path dir = FreshTempDir("llmcal-lock-links");
  const fs::path path = dir / "g.sqlite";
  MakeStore(path);
  fs::create_hard_link(path, dir / "hard.sqlite");
  fs::create_symlink("g.sqlite", dir / "soft.sqlite");
  std::optional<Store> first = Store::Open(path, Database::kReadWrite);
  for (const char* other : {"hard.sqlite", "soft.sqlite", "./g.sqlite"}) {
    try {
      Store second = Store::Open(dir / other, Database::kReadWrite);
      FAIL() << "two writers through " << other;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find((dir / other).string() +
                                           ": another llmcal process is writing this store"),
                std::string::npos)
          << e.what();
    }
  }
  first.reset();
  EXPECT_NO_THROW(Store::Open(dir / "hard.sqlite", Database::kReadWrite));
}

// Issue 15 #1: a link planted where older versions kept a lock file is not
// followed: its target keeps its bytes, and no lock file is made.
TEST(WriterLock, WritesIntoNoFileButTheStore) {
  const fs::path dir = FreshTempDir("llmcal-lock-victim");
  WriteBytes(dir / "victim.txt", "precious\n");
  fs::create_symlink("victim.txt", dir / "s.sqlite.lock");
  MakeStore(dir / "s.sqlite");
  std::ifstream victim(dir / "victim.txt");
  std::string text((std::istreambuf_iterator<char>(victim)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "precious\n");
}

TEST(WriterLock, KillMinusNineReleasesIt) {
  const fs::path path = FreshTempDir("llmcal-lock-kill") / "study.sqlite";
  MakeStore(path);
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    WriterLock lock(path);
    [[maybe_unused]] const ssize_t n = write(ready[1], "x", 1);
    pause();
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  EXPECT_THROW(WriterLock{path}, InputError);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_NO_THROW(WriterLock{path});
  close(ready[0]);
  close(ready[1]);
}

}  // namespace
}  // namespace llmcal::store
