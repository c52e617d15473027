// The store's SQLite schema and how a file becomes a usable store: the
// application id that marks an SQLite file as an llmcal store, the schema
// version, and the migrations that bring an older store up to date
// (docs/store.md, "Versions and migrations").
#pragma once

#include <cstdint>
#include <filesystem>

#include "store/sqlite_db.h"
#include "store/writer_lock.h"

namespace llmcal::store {

// PRAGMA application_id of every llmcal store: "LLMC" in ASCII.
inline constexpr std::int64_t kApplicationId = 0x4C4C4D43;

// The schema version this binary writes (PRAGMA user_version).
inline constexpr std::int64_t kSchemaVersion = 4;

// Opens the store at `path`. kReadWrite creates a missing or empty file as a
// new store, upgrades an older schema in one transaction, and sets WAL
// journaling with full synchronous commits (a committed chunk survives a
// power cut). Throws InputError naming the file when it is missing
// (kReadOnly), not an SQLite file, an SQLite file of another application,
// corrupt, of a newer schema version than kSchemaVersion, or (kReadOnly) of
// an older one, or of version 0 with tables in it (not a file llmcal wrote:
// refused in both modes). With `lock` (a writer's), throws when the file
// SQLite opened is not the locked one (the path was replaced in between),
// before anything is read or written.
Database OpenStoreDatabase(const std::filesystem::path& path, Database::Mode mode,
                           const WriterLock* lock = nullptr);

}  // namespace llmcal::store
