// The data manifest (data/manifest.toml): what llmcal ships in its data
// folder and what it can fetch, one entry per file. It is the one source of
// truth for `llmcal data list|verify|fetch`, data/README.md's table and the
// tests; docs/data.md describes every key.
//
//   const data::Manifest manifest = data::ReadManifest(dir / "manifest.toml");
//   for (const data::ManifestFile& f : manifest.files)
//     if (f.shipped) ... Sha256OfFile(dir / f.path) == f.sha256 ...
//
// Reading checks everything a user of an entry relies on (types, required
// keys, relative paths inside the folder, digest form, no key it does not
// know) and throws InputError naming the manifest file, the line and the key
// ("data/manifest.toml:23: field 'file[2].sha256': ..."). A Manifest is a
// plain value; it owns its strings.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmcal::data {

// The manifest's file name inside a data folder.
inline constexpr std::string_view kManifestName = "manifest.toml";

// The manifest format this reader understands (the top-level `schema` key).
inline constexpr std::int64_t kManifestSchema = 1;

// One [[file]] table.
struct ManifestFile {
  std::string path;                    // relative to the data folder, '/'-separated, no '..'
  std::string task;                    // llmcal task name, or "models" for a model file
  std::string split;                   // test | validation | dev; empty where none
  std::optional<std::int64_t> items;   // benchmark items; absent where not a benchmark
  std::string format;                  // arc-jsonl, hellaswag-text, mmlu-csv, gguf, ...
  std::optional<std::uint64_t> bytes;  // absent only for an unpinned fetch-only file
  std::string sha256;                  // 64 lowercase hex; empty only when unpinned
  std::string licence;                 // SPDX identifier
  std::string licence_file;            // the licence's text, relative; empty where none
  std::string source;                  // human text: repository@commit:path or URL, changes
  std::string url;                     // pinned download URL; empty where none
  std::string archive_member;          // when `url` is an archive: the member; else empty
  std::string git_blob_sha1;           // upstream git blob of an unpinned file; else empty
  bool shipped = false;                // true: in the repository; false: fetch-only
  std::int64_t line = 0;               // where the [[file]] table starts in the manifest

  // True when a SHA-256 is recorded (every shipped file; fetch-only ones may lack it).
  bool pinned() const { return !sha256.empty(); }
};

struct Manifest {
  std::string file;                 // the manifest's path, as given (for messages)
  std::vector<ManifestFile> files;  // in the manifest's order
};

// Reads and checks the manifest at `path`.
// Throws InputError naming `path`, the line and the key on any mistake, or
// naming `path` when it cannot be read.
Manifest ReadManifest(const std::filesystem::path& path);

// Parses manifest text; `file_name` is used in messages. Same checks and
// errors as ReadManifest.
Manifest ParseManifest(std::string_view text, const std::string& file_name);

// Returns the entries whose task is in `tasks` (all entries when `tasks` is
// empty), in manifest order. Throws InputError for a task that no entry has,
// listing the manifest's tasks.
std::vector<const ManifestFile*> SelectTasks(const Manifest& manifest,
                                             const std::vector<std::string>& tasks);

}  // namespace llmcal::data
