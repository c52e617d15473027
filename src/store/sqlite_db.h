// A thin RAII layer over the SQLite C API: one open connection (Database),
// prepared statements (Statement) and write transactions (Transaction).
//
// Every SQLite failure becomes an InputError that names the database file
// and says what went wrong in words ("not an SQLite database", "corrupt",
// "disk is full"), so a damaged or foreign file is a clear message and never
// a crash. The Database owns the connection; a Statement or Transaction
// borrows it and must not outlive it. Not thread-safe: a connection is opened
// without SQLite's own locking, so use each Database from one thread at a time.
//
//   Database db = Database::Open("study.sqlite", Database::kReadWrite);
//   Statement s = db.Prepare("SELECT name FROM models WHERE model_id = ?");
//   s.Bind(1, id);
//   while (s.Step()) names.push_back(s.Text(0));
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"

namespace llmcal::store {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteCloser>;
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// Returns an InputError naming `file` that explains SQLite result code `rc`
// (with `detail`, SQLite's own message, appended).
InputError SqliteError(const std::string& file, int rc, std::string_view detail);

class Statement {
 public:
  // Binds parameter `index` (1-based). Each returns *this for chaining.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::span<const std::byte> bytes);
  Statement& BindNull(int index);

  // Advances to the next row: true when a row is ready, false when done.
  // Throws InputError on failure.
  bool Step();
  // Steps a statement that returns no row, then resets it for reuse.
  void Run();
  // Resets the statement for re-execution and clears its bindings.
  void Reset();

  // Column accessors of the current row (0-based). REQUIRES: Step() returned true.
  bool IsNull(int column) const;
  std::int64_t Int(int column) const;
  double Real(int column) const;
  std::string Text(int column) const;
  // The bytes stay valid until the next Step, Reset or column access.
  std::span<const std::byte> Blob(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, StatementPtr statement, const std::string* file)
      : db_(db), statement_(std::move(statement)), file_(file) {}
  [[noreturn]] void Fail(int rc) const;

  sqlite3* db_;
  StatementPtr statement_;
  const std::string* file_;  // the Database's file name
};

class Database {
 public:
  enum Mode { kReadOnly, kReadWrite };  // kReadWrite creates a missing file

  // Opens `path` with foreign keys on and a busy timeout. REQUIRES for
  // kReadOnly: the file exists. kReadOnly never creates a file; in a folder
  // it cannot write, where no writer can be at work, a store without a
  // `-wal` file is opened immutable, since SQLite could not create the WAL
  // index it would otherwise want. Throws InputError when it cannot be opened.
  static Database Open(const std::filesystem::path& path, Mode mode);

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;

  // Runs one or more SQL statements that return no rows.
  void Execute(std::string_view sql);
  // Prepares one statement.
  Statement Prepare(std::string_view sql);
  // Returns the single integer a query such as "PRAGMA user_version" yields.
  std::int64_t QueryInt(std::string_view sql);
  // The id of the last inserted row.
  std::int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_.get()); }

  // A writer's last step: checkpoints the WAL into the file and returns to
  // SQLite's rollback journal, so that SQLite removes the `-wal` and `-shm`
  // files on close and readers need none. Returns false, changing nothing,
  // when another connection (a reader) has the file open: its files stay,
  // and the next writer finishes the job.
  bool TryLeaveWal();

  const std::string& file() const { return *file_; }
  Mode mode() const { return mode_; }

 private:
  Database(SqlitePtr db, std::string file, Mode mode)
      : db_(std::move(db)), file_(std::make_unique<std::string>(std::move(file))), mode_(mode) {}

  SqlitePtr db_;
  std::unique_ptr<std::string> file_;  // stable address, borrowed by statements
  Mode mode_;
};

// A transaction, nestable (an SQLite SAVEPOINT): committed by Commit(),
// rolled back by the destructor otherwise, so an exception never leaves half
// a chunk written. The outermost one is a deferred write transaction.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Throws InputError when the commit fails (e.g. the disk is full).
  void Commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace llmcal::store
