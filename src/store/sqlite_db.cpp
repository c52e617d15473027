#include "store/sqlite_db.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cstring>

namespace llmcal::store {

namespace {

// How long a statement waits for another connection's lock (a reader's
// checkpoint, `llmcal status` while a run commits) before failing.
constexpr int kBusyTimeoutMs = 10'000;
// Address space SQLite may map for reading (not memory it allocates).
constexpr std::int64_t kMmapBytes = std::int64_t{1} << 34;

std::string_view Explain(int rc) {
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
      return "not an SQLite database, so not an llmcal store";
    case SQLITE_CORRUPT:
      return "the store is corrupt";
    case SQLITE_FULL:
      return "the disk is full";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "the store is locked by another process";
    case SQLITE_READONLY:
      return "the store cannot be written";
    case SQLITE_CANTOPEN:
      return "cannot open the file";
    case SQLITE_IOERR:
      return "input/output error";
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "permission denied";
    default:
      return "SQLite failed";
  }
}

// `path` as an SQLite URI (file:...), every byte but unreserved ones and '/'
// percent-encoded, so that '?', '#' and '%' in a file name stay part of it.
std::string FileUri(const std::filesystem::path& path, std::string_view query) {
  std::string uri = "file:";
  for (const unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~')
      uri += static_cast<char>(c);
    else
      uri += fmt::format("%{:02X}", c);
  }
  return query.empty() ? uri : uri + "?" + std::string(query);
}

// True when nothing can write beside `path`: its folder is read-only to us
// (permissions or a read-only mount), and no WAL holds commits to replay.
bool InReadOnlyFolder(const std::filesystem::path& path) {
  std::error_code ec;
  const std::filesystem::path folder = std::filesystem::absolute(path, ec).parent_path();
  std::filesystem::path wal = path;
  wal += "-wal";
  return access(folder.c_str(), W_OK) != 0 && !std::filesystem::exists(wal, ec);
}

// SQLite's message for the last failure of `db`, with the system's reason
// when the failure was the file system's ("disk I/O error; File too large").
std::string Detail(sqlite3* db, int rc, std::string_view message) {
  const int primary = rc & 0xff;
  const bool from_system = primary == SQLITE_IOERR || primary == SQLITE_FULL ||
                           primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY ||
                           primary == SQLITE_PERM;
  const int error = db != nullptr && from_system ? sqlite3_system_errno(db) : 0;
  return error == 0 ? std::string(message) : fmt::format("{}; {}", message, std::strerror(error));
}

}  // namespace

InputError SqliteError(const std::string& file, int rc, std::string_view detail) {
  return InputError::At(file, 0, "", fmt::format("{} (SQLite: {})", Explain(rc), detail));
}

Statement& Statement::Bind(int index, std::int64_t value) {
  if (int rc = sqlite3_bind_int64(statement_.get(), index, value); rc != SQLITE_OK)
    Fail(rc);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  if (int rc = sqlite3_bind_double(statement_.get(), index, value); rc != SQLITE_OK)
    Fail(rc);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text64(statement_.get(), index, text.data(), text.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK)
    Fail(rc);
  return *this;
}

Statement& Statement::BindBlob(int index, std::span<const std::byte> bytes) {
  // A zero-length blob must still be a blob, not NULL: SQLite wants a non-null pointer.
  static const std::byte kEmpty{};
  const int rc =
      sqlite3_bind_blob64(statement_.get(), index, bytes.empty() ? &kEmpty : bytes.data(),
                          bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK)
    Fail(rc);
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (int rc = sqlite3_bind_null(statement_.get(), index); rc != SQLITE_OK)
    Fail(rc);
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  Fail(rc);
}

void Statement::Run() {
  Step();
  Reset();
}

void Statement::Reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

double Statement::Real(int column) const {
  return sqlite3_column_double(statement_.get(), column);
}

std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(statement_.get(), column);
  const int n = sqlite3_column_bytes(statement_.get(), column);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), n);
}

std::span<const std::byte> Statement::Blob(int column) const {
  const void* data = sqlite3_column_blob(statement_.get(), column);
  const int n = sqlite3_column_bytes(statement_.get(), column);
  if (data == nullptr)
    return {};
  return {static_cast<const std::byte*>(data), static_cast<std::size_t>(n)};
}

void Statement::Fail(int rc) const {
  const std::string detail = Detail(db_, rc, sqlite3_errmsg(db_));
  sqlite3_reset(statement_.get());
  throw SqliteError(*file_, rc, detail);
}

Database Database::Open(const std::filesystem::path& path, Mode mode) {
  const std::string file = path.string();
  // NOMUTEX: a connection is used by one thread (see the header), so
  // SQLite's per-call locking would only cost time.
  const int flags =
      (mode == kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  const bool immutable = mode == kReadOnly && InReadOnlyFolder(path);
  const std::string name = FileUri(path, immutable ? "immutable=1" : "");
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  SqlitePtr db(raw);
  if (rc != SQLITE_OK) {
    throw SqliteError(file, rc,
                      db ? Detail(db.get(), rc, sqlite3_errmsg(db.get())) : sqlite3_errstr(rc));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  Database database(std::move(db), file, mode);
  // Reading through a memory map saves copying every page out of the kernel.
  database.Execute(fmt::format("PRAGMA foreign_keys = ON; PRAGMA mmap_size = {}", kMmapBytes));
  return database;
}

bool Database::TryLeaveWal() {
  // A reader would make SQLite wait for it; the next writer can do this instead.
  sqlite3_busy_timeout(db_.get(), 0);
  bool left = false;
  try {
    Execute("PRAGMA wal_checkpoint(TRUNCATE)");
    Statement mode = Prepare("PRAGMA journal_mode = DELETE");
    left = mode.Step() && mode.Text(0) == "delete";
  } catch (const InputError&) {
    left = false;
  }
  sqlite3_busy_timeout(db_.get(), kBusyTimeoutMs);
  return left;
}

void Database::Execute(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string detail =
        Detail(db_.get(), rc, message != nullptr ? message : sqlite3_errstr(rc));
    sqlite3_free(message);
    throw SqliteError(*file_, rc, detail);
  }
}

Statement Database::Prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc =
      sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  StatementPtr statement(raw);
  if (rc != SQLITE_OK)
    throw SqliteError(*file_, rc, sqlite3_errmsg(db_.get()));
  return Statement(db_.get(), std::move(statement), file_.get());
}

std::int64_t Database::QueryInt(std::string_view sql) {
  Statement statement = Prepare(sql);
  if (!statement.Step())
    throw SqliteError(*file_, SQLITE_ERROR, fmt::format("no result from {}", sql));
  return statement.Int(0);
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.Execute("SAVEPOINT llmcal");
}

Transaction::~Transaction() {
  if (!open_)
    return;
  try {
    db_.Execute("ROLLBACK TO llmcal; RELEASE llmcal");
  } catch (const InputError&) {
    // SQLite already rolled back (e.g. after an I/O error); nothing is left to undo.
  }
}

void Transaction::Commit() {
  db_.Execute("RELEASE llmcal");
  open_ = false;
}

}  // namespace llmcal::store
