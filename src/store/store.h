// Store: one study's results in one SQLite file (docs/store.md). It keeps
// what a study read (models, tasks, with file digests), its runs (one per
// model, task and prompt style, with every score-affecting setting), which
// items each run plans, and every stored item with the per-token log-probs of
// each choice, so that every confidence method and metric can be recomputed
// without the model.
//
// Writing: a writer opens the store kReadWrite, which takes the store's
// writer lock (writer_lock.h) for the Store's lifetime, and groups writes in
// Transactions; while it writes, the store is in WAL mode (readers read
// beside it), and a writer that ends in any way but a kill leaves it one
// file, without `-wal` or `-shm` beside it; WriteItems is atomic by itself, so an item is never
// stored without its choices. Reading (ListRuns, Progress, ReadItems, ReadScores) needs no model
// and works while a writer commits. A Store is not thread-safe: use one per thread.
//
//   Store store = Store::Open("study.sqlite", Database::kReadOnly);
//   for (const RunProgress& p : store.Progress())
//     fmt::print("{} {} {}: {} of {}\n", p.run.model, p.run.task, p.run.style,
//                p.items_stored, p.items_planned);
//   std::vector<StoredItem> items = store.ReadItems(store.ListRuns()[0].id);
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"
#include "store/sqlite_db.h"
#include "store/writer_lock.h"

namespace llmcal::store {

// Returns the current UTC time as "2026-11-28T12:34:56Z".
std::string UtcTimestamp();

// Returns a fresh random session key: 32 hex digits.
std::string NewSessionKey();

class Store {
 public:
  // Opens the store at `path` (schema.h: creation, validation, migration).
  // kReadWrite first takes the writer lock. Throws InputError as
  // OpenStoreDatabase and WriterLock do.
  static Store Open(const std::filesystem::path& path, Database::Mode mode);

  // A writer leaves the store as one file (Database::TryLeaveWal), then
  // releases the writer lock.
  ~Store();
  Store(Store&&) noexcept = default;
  Store& operator=(Store&&) noexcept = default;

  const std::string& file() const { return db_.file(); }
  // For grouping writes: Transaction t(store.database()); ...; t.Commit();
  Database& database() { return db_; }

  // --- Models ---------------------------------------------------------------
  std::optional<ModelRecord> FindModel(std::string_view name);
  // Inserts the model, or updates the fingerprint of the model of that name
  // (its path and mtime may move; the caller has checked size and digest).
  // Returns the model's id.
  std::int64_t PutModel(const std::string& name, const FileFingerprint& file);
  void SetModelDetails(std::int64_t model_id, const ModelDetails& details);

  // --- Pairs ----------------------------------------------------------------
  // Records a pair (a pair of that name is redefined).
  // REQUIRES: both models are in the store. Throws InputError otherwise.
  void PutPair(const PairRecord& pair);

  // --- Tasks ----------------------------------------------------------------
  std::optional<TaskRecord> FindTask(std::string_view name);
  // Inserts the task, or updates the file paths of the task of that name (the
  // caller has checked everything else). Returns the task's id.
  std::int64_t PutTask(const TaskRecord& task);

  // --- Runs -----------------------------------------------------------------
  std::optional<RunRecord> FindRun(std::int64_t model_id, std::int64_t task_id,
                                   std::string_view style);
  // Inserts a run (run.id is ignored; an empty run.created_at is now).
  // Returns its id.
  // REQUIRES: no run of that model, task and style exists.
  std::int64_t CreateRun(const RunRecord& run);
  void SetRunEffective(std::int64_t run_id, const RunEffective& effective);
  // Adds item indices to the run's plan (indices already planned are kept once).
  void AddPlannedItems(std::int64_t run_id, std::span<const std::int64_t> indices);

  // --- Sessions -------------------------------------------------------------
  // Inserts a session (session.id, and session.started_at when empty, are
  // set here). Returns its id.
  std::int64_t BeginSession(SessionRecord& session);
  void FinishSession(std::int64_t session_id);

  // --- Scores ---------------------------------------------------------------
  // Stores `items` of run `run_id`, all or none, each with its session_id.
  // Throws InputError when an item is stored already (the primary key).
  // REQUIRES: each scored item has n_choices choices, a failed one none;
  // every session_id names a session of this store.
  void WriteItems(std::int64_t run_id, std::span<const StoredItem> items);

  // --- Imports ----------------------------------------------------------------
  // Stores the items of an imported run, all or none (docs/store.md,
  // "Imported runs"). Throws InputError when an item is stored already.
  // REQUIRES: the run's origin is kOriginLmEval; each item with scores has
  // n_choices choices, a failed one none.
  void WriteImportedItems(std::int64_t run_id, std::span<const ImportedItem> items);
  // Records a file read into an imported run.
  void PutImport(const ImportRecord& import);
  // Every imported file, by run and path.
  std::vector<ImportRecord> ListImports();

  // --- Reading ----------------------------------------------------------------
  std::vector<ModelRecord> ListModels();
  // Every recorded pair, in the order first recorded.
  std::vector<PairRecord> ListPairs();
  std::vector<TaskRecord> ListTasks();
  // Every run with its provenance, by id.
  std::vector<RunRecord> ListRuns();
  std::vector<SessionRecord> ListSessions();
  // Items planned, stored and failed per run, by run id.
  std::vector<RunProgress> Progress();
  // The run's planned item indices, ascending.
  std::vector<std::int64_t> PlannedItems(std::int64_t run_id);
  // The run's stored item indices, ascending.
  std::vector<std::int64_t> StoredItemIndices(std::int64_t run_id);
  // Every stored item of the run with its choices, by item index.
  // Throws InputError (the store is corrupt) when a row is inconsistent, and
  // for an imported run, which has no per-token arrays (ReadImportedItems).
  std::vector<StoredItem> ReadItems(std::int64_t run_id);
  // Every stored item of an imported run with its choices, by item index.
  // Throws InputError (the store is corrupt) when a row is inconsistent.
  std::vector<ImportedItem> ReadImportedItems(std::int64_t run_id);
  // The run's stored scores without per-token arrays or ids: what metrics
  // need, read several times faster than ReadItems (bench/README.md). For an
  // imported run, token_scores is false (records.h).
  // Throws InputError (the store is corrupt) when a row is inconsistent.
  RunScores ReadScores(std::int64_t run_id);

 private:
  Store(Database db, std::unique_ptr<WriterLock> lock)
      : lock_(std::move(lock)), db_(std::move(db)) {}
  std::vector<TaskFile> ReadTaskFiles(std::int64_t task_id);
  bool IsImportedRun(std::int64_t run_id);
  RunScores ReadImportedScores(std::int64_t run_id);
  // Throws the InputError of a store whose row contradicts itself.
  [[noreturn]] void Corrupt(const std::string& where, const std::string& what) const;

  // Declared first so that it is released last, after db_ is closed.
  std::unique_ptr<WriterLock> lock_;  // held while writing; taken before the file is opened
  Database db_;
};

}  // namespace llmcal::store
