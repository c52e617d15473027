// Schema migrations: a store written by an older llmcal (tests/store/data,
// an SQL dump of a version-1 store of two scored stories260K items) is
// refused by reading commands with the command that upgrades it, upgraded in
// place by a writer, and reads back the same scores, its runs marked as
// scored by llmcal.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "store/schema.h"
#include "store/store.h"
#include "support/test_data.h"

namespace llmcal::store {
namespace {

namespace fs = std::filesystem;
using testing::FreshTempDir;

// A version-1 store made from its dump.
fs::path VersionOneStore() {
  const fs::path path = FreshTempDir("llmcal-migration") / "v1.sqlite";
  std::ifstream dump(fs::path(LLMCAL_STORE_DATA_DIR) / "store_v1.sql");
  std::stringstream sql;
  sql << dump.rdbuf();
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.str().c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  return path;
}

TEST(Migration, ReadingAnOlderStoreNamesTheCommandThatUpgradesIt) {
  const fs::path path = VersionOneStore();
  try {
    Store::Open(path, Database::kReadOnly);
    FAIL() << "read an older store";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("store schema version 1 is older than this llmcal's (4)"),
              std::string::npos)
        << e.what();
  }
}

TEST(Migration, VersionOneIsUpgradedInPlaceKeepingEveryScore) {
  const fs::path path = VersionOneStore();
  {
    Store store = Store::Open(path, Database::kReadWrite);  // upgrades
  }
  Database db = Database::Open(path, Database::kReadOnly);
  EXPECT_EQ(db.QueryInt("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM imports"), 0);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM imported_choices"), 0);
  Store store = Store::Open(path, Database::kReadOnly);
  const std::vector<RunRecord> runs = store.ListRuns();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].origin, kOriginLlmcal);
  EXPECT_FALSE(runs[0].imported());
  // ReadItems checks every stored sum against its per-token blob, bit for bit.
  const std::vector<StoredItem> items = store.ReadItems(runs[0].id);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].choices.size(), 4u);
  EXPECT_EQ(items[0].choices[0].n_tokens(), 36);
  EXPECT_EQ(items[0].choices[0].Sum(), -141.07301378250122069);
  const RunScores scores = store.ReadScores(runs[0].id);
  EXPECT_TRUE(scores.token_scores);
  EXPECT_EQ(scores.choices[1].sum, -115.98475217819213866);
}

}  // namespace
}  // namespace llmcal::store
