#include "store/schema.h"

#include <fmt/format.h>

#include <string_view>
#include <system_error>

#include "common/error.h"

namespace llmcal::store {

namespace {

// Schema version 1. Every column is described in docs/store.md. A choice's
// scalars (choices) and its per-token arrays (choice_tokens) are apart, so
// that reading what metrics need scans small rows only.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE models (
  model_id     INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  path         TEXT NOT NULL,
  size_bytes   INTEGER NOT NULL,
  mtime_ns     INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  architecture TEXT,
  n_params     INTEGER,
  description  TEXT
) STRICT;

CREATE TABLE tasks (
  task_id      INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  item_count   INTEGER NOT NULL,
  load_options TEXT NOT NULL
) STRICT;

CREATE TABLE task_files (
  task_id    INTEGER NOT NULL REFERENCES tasks ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  path       TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256     TEXT NOT NULL,
  PRIMARY KEY (task_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE runs (
  run_id           INTEGER PRIMARY KEY,
  model_id         INTEGER NOT NULL REFERENCES models,
  task_id          INTEGER NOT NULL REFERENCES tasks,
  style            TEXT NOT NULL CHECK (style IN ('continuation', 'choice')),
  template_version TEXT NOT NULL,
  bos_mode         TEXT NOT NULL,
  token_split      TEXT NOT NULL,
  ctx_size         INTEGER NOT NULL,
  window           INTEGER,
  bos              INTEGER,
  block_items      INTEGER NOT NULL CHECK (block_items > 0),
  created_at       TEXT NOT NULL,
  UNIQUE (model_id, task_id, style)
) STRICT;

CREATE TABLE planned_items (
  run_id     INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  item_index INTEGER NOT NULL,
  PRIMARY KEY (run_id, item_index)
) STRICT, WITHOUT ROWID;

CREATE TABLE pairs (
  name              TEXT PRIMARY KEY,
  base_model_id     INTEGER NOT NULL REFERENCES models,
  instruct_model_id INTEGER NOT NULL REFERENCES models,
  CHECK (base_model_id <> instruct_model_id)
) STRICT;

CREATE TABLE sessions (
  session_id     INTEGER PRIMARY KEY,
  session_key    TEXT NOT NULL UNIQUE,
  kind           TEXT NOT NULL,
  started_at     TEXT NOT NULL,
  finished_at    TEXT,
  llmcal_version TEXT NOT NULL,
  llama_version  TEXT NOT NULL,
  host           TEXT NOT NULL,
  threads        INTEGER NOT NULL,
  workers        INTEGER NOT NULL,
  batch_size     INTEGER NOT NULL,
  gpu_layers     INTEGER NOT NULL,
  rpc_servers    TEXT NOT NULL,
  flash_attn     TEXT NOT NULL,
  shard          TEXT NOT NULL
) STRICT;

CREATE TABLE items (
  run_id     INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  item_index INTEGER NOT NULL,
  item_id    TEXT NOT NULL,
  gold       INTEGER NOT NULL,
  subject    TEXT NOT NULL,
  n_choices  INTEGER NOT NULL,
  truncated  INTEGER NOT NULL,
  error      TEXT,
  session_id INTEGER NOT NULL REFERENCES sessions,
  PRIMARY KEY (run_id, item_index)
) STRICT, WITHOUT ROWID;

CREATE TABLE choices (
  run_id       INTEGER NOT NULL,
  item_index   INTEGER NOT NULL,
  choice_index INTEGER NOT NULL,
  n_tokens     INTEGER NOT NULL CHECK (n_tokens > 0),
  logprob_sum  REAL,
  logprob_min  REAL,
  n_bytes      INTEGER NOT NULL,
  n_chars      INTEGER NOT NULL,
  is_greedy    INTEGER NOT NULL,
  PRIMARY KEY (run_id, item_index, choice_index),
  FOREIGN KEY (run_id, item_index) REFERENCES items ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE choice_tokens (
  run_id       INTEGER NOT NULL,
  item_index   INTEGER NOT NULL,
  choice_index INTEGER NOT NULL,
  logprobs     BLOB NOT NULL,
  tokens       BLOB NOT NULL,
  PRIMARY KEY (run_id, item_index, choice_index),
  FOREIGN KEY (run_id, item_index, choice_index) REFERENCES choices ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
)sql";

// Schema version 2: the few-shot settings of a run (issue 16). Runs stored
// before it were zero-shot.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE runs ADD COLUMN num_fewshot INTEGER NOT NULL DEFAULT 0 CHECK (num_fewshot >= 0);
ALTER TABLE runs ADD COLUMN fewshot_sha256 TEXT NOT NULL DEFAULT '';
)sql";

// Version 3: the prefix cache setting of each session. Sessions written
// before it ran without a prefix cache.
constexpr std::string_view kSchemaV3 = R"sql(
ALTER TABLE sessions ADD COLUMN prefix_cache TEXT NOT NULL DEFAULT 'off';
)sql";

// Version 4: runs imported from lm-evaluation-harness samples files
// (docs/store.md, "Imported runs"). A run records where its scores came from;
// an imported choice has its log-likelihood total but no per-token arrays,
// so it lives in its own table rather than in choices (whose n_tokens > 0
// and choice_tokens rows hold for every scored choice); imports records each
// file read, with its SHA-256, so that importing it again adds nothing.
constexpr std::string_view kSchemaV4 = R"sql(
ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT 'llmcal'
  CHECK (origin IN ('llmcal', 'lm-eval'));

CREATE TABLE imported_choices (
  run_id       INTEGER NOT NULL,
  item_index   INTEGER NOT NULL,
  choice_index INTEGER NOT NULL,
  logprob_sum  REAL NOT NULL,
  n_bytes      INTEGER NOT NULL,
  n_chars      INTEGER NOT NULL,
  is_greedy    INTEGER NOT NULL,
  PRIMARY KEY (run_id, item_index, choice_index),
  FOREIGN KEY (run_id, item_index) REFERENCES items ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE imports (
  run_id          INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  sha256          TEXT NOT NULL,
  path            TEXT NOT NULL,
  size_bytes      INTEGER NOT NULL,
  source_task     TEXT NOT NULL,
  source_format   TEXT NOT NULL,
  harness_version TEXT NOT NULL,
  items           INTEGER NOT NULL,
  session_id      INTEGER NOT NULL REFERENCES sessions,
  PRIMARY KEY (run_id, sha256)
) STRICT, WITHOUT ROWID;
)sql";

// kMigrations[v] takes a store from version v to v + 1; version 0 is an
// empty file. A new schema version appends its step here and never edits an
// earlier one.
constexpr std::string_view kMigrations[] = {kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4};
static_assert(std::size(kMigrations) == kSchemaVersion);

InputError StoreError(const std::filesystem::path& path, const std::string& what) {
  return InputError::At(path.string(), 0, "", what);
}

void Migrate(Database& db, std::int64_t from) {
  Transaction transaction(db);
  for (std::int64_t version = from; version < kSchemaVersion; ++version)
    db.Execute(kMigrations[version]);
  db.Execute(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {}", kApplicationId,
                         kSchemaVersion));
  transaction.Commit();
}

}  // namespace

Database OpenStoreDatabase(const std::filesystem::path& path, Database::Mode mode,
                           const WriterLock* lock) {
  std::error_code ec;
  if (mode == Database::kReadOnly && !std::filesystem::exists(path, ec))
    throw StoreError(path, "no such store");
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw StoreError(path, "not a regular file, so not an llmcal store");
  Database db = Database::Open(path, mode);
  if (lock != nullptr && !lock->Holds(path)) {
    throw StoreError(path,
                     "the file at this path was replaced while llmcal opened it; it was "
                     "not written");
  }
  // The first read of the file is where SQLite finds a file that is not a database.
  const std::int64_t application_id = db.QueryInt("PRAGMA application_id");
  const std::int64_t version = db.QueryInt("PRAGMA user_version");
  const bool empty = db.QueryInt("SELECT count(*) FROM sqlite_schema") == 0;
  if (application_id != kApplicationId && !(application_id == 0 && empty)) {
    throw StoreError(path, fmt::format("an SQLite database of another application "
                                       "(application_id {:#x}), not an llmcal store",
                                       application_id));
  }
  if (version > kSchemaVersion) {
    throw StoreError(path, fmt::format("store schema version {} is newer than this llmcal "
                                       "understands (version {}); use a newer llmcal",
                                       version, kSchemaVersion));
  }
  if (mode == Database::kReadOnly && empty)
    throw StoreError(path, "an empty file, not an llmcal store");
  if (version == 0 && !empty) {
    // Version 0 is an empty file; llmcal never leaves tables without a version.
    throw StoreError(path,
                     "store schema version 0, yet it holds tables: not a store llmcal "
                     "wrote, or one whose user_version was reset; llmcal can neither read "
                     "nor upgrade it");
  }
  if (mode == Database::kReadOnly && version < kSchemaVersion) {
    throw StoreError(path, fmt::format("store schema version {} is older than this llmcal's "
                                       "({}); `llmcal run` or `llmcal merge --out` on it upgrades "
                                       "it in place",
                                       version, kSchemaVersion));
  }
  if (mode == Database::kReadWrite) {
    // WAL: readers (`llmcal status`) never block the writer; FULL: a commit is
    // on disk before the next chunk starts, so a power cut loses no chunk.
    db.Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
    if (version < kSchemaVersion)
      Migrate(db, version);
  }
  return db;
}

}  // namespace llmcal::store
