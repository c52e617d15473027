// `llmcal data fetch`: brings a data folder's files in from their upstream
// sources as the manifest (data/manifest.h) pins them. For each entry of the
// chosen tasks that is missing or does not match its SHA-256, the pinned URL
// is downloaded (download.h: resumed, verified, moved into place whole); an
// archive (a zip or tarball release) is downloaded once into
// DIR/.llmcal-fetch/ and the entries' members are taken out of it
// (archive.h), each checked before it is moved into place. An endpoint
// replaces the scheme and host of every URL (url.h), for mirrors and
// clusters without internet.
//
// An entry without a SHA-256 (an "unpinned" fetch-only file, of which no
// faithful copy could be checked when the manifest was written) is checked
// against its upstream git blob (git_blob_sha1) when the manifest has one,
// and otherwise fetched unverified and reported so, with the SHA-256 it had.
//
//   DataFetchOptions options;
//   options.endpoint = "http://mirror.local";
//   const DataFetchReport report = FetchDataFiles(data::SelectTasks(m, {"sciq"}), dir, options);
//   for (const FetchedFile& f : report.files)
//     fmt::print("{}: {}\n", f.file->path, FetchOutcomeName(f.outcome));
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "data/manifest.h"
#include "fetch/download.h"

namespace llmcal::fetch {

// Where archives wait while their members are taken out, inside the data folder.
inline constexpr std::string_view kStagingFolder = ".llmcal-fetch";

struct DataFetchOptions {
  std::string endpoint;  // replaces scheme and host of every URL; empty: the URLs as pinned
  DownloadOptions download;
};

enum class FetchOutcome {
  kAlreadyThere,  // present and matching: no request
  kFetched,       // downloaded and verified (SHA-256, or the upstream git blob)
  kUnverified,    // downloaded; the manifest has nothing to check it against
};

struct FetchedFile {
  const data::ManifestFile* file = nullptr;  // points into the caller's manifest
  FetchOutcome outcome = FetchOutcome::kAlreadyThere;
  std::string sha256;  // of the file now in place (empty for kAlreadyThere of an unpinned file)
};

// "already there", "fetched", "fetched, unverified".
std::string_view FetchOutcomeName(FetchOutcome outcome);

struct DataFetchReport {
  std::vector<FetchedFile> files;     // the entries now in place, in manifest order
  std::vector<std::string> failures;  // one line per entry that could not be fetched
};

// Fetches into `dir` (created when missing) every entry of `files` that is
// missing or does not match, as above. Every entry is tried: one that fails
// (unreachable, HTTP error, digest mismatch, no URL, no such archive member)
// becomes a failure line naming its file and why, and the others go on.
// Throws InputError for a bad endpoint or a folder that cannot be created,
// before any request.
DataFetchReport FetchDataFiles(const std::vector<const data::ManifestFile*>& files,
                               const std::filesystem::path& dir, const DataFetchOptions& options);

// The git blob id of a file's bytes: SHA-1 of "blob SIZE\0" followed by the
// bytes, as 40 lowercase hex digits (what `git hash-object FILE` prints).
// Throws InputError naming the file when it cannot be read.
std::string GitBlobSha1OfFile(const std::filesystem::path& path);

}  // namespace llmcal::fetch
