// Whether the files a manifest lists are in a data folder and unchanged:
// what `llmcal data list` shows and `llmcal data verify` enforces.
//
//   for (const data::FileCheck& c : data::CheckFiles(manifest, dir))
//     if (data::IsProblem(c)) ... c.file->path, data::StateName(c.state) ...
//
// A check reads the file's size first and hashes it (SHA-256) only when the
// size is the manifest's, so a truncated copy is reported without reading it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "data/manifest.h"

namespace llmcal::data {

enum class FileState {
  kIntact,      // present, size and SHA-256 as the manifest says
  kMissing,     // a shipped file that is not there
  kChanged,     // present, but its size or SHA-256 differs
  kNotFetched,  // a fetch-only file that is not there (not a problem)
  kUnpinned,    // present, but the manifest has no SHA-256 to check it against
};

struct FileCheck {
  const ManifestFile* file = nullptr;  // points into the Manifest checked
  FileState state = FileState::kMissing;
  std::uint64_t bytes = 0;  // the file's size, when present
  std::string sha256;       // the file's SHA-256, when it was read
};

// Returns "intact", "missing", "changed", "not fetched" or "unpinned".
std::string_view StateName(FileState state);

// True for a missing shipped file and for a changed file: what `data verify` refuses.
bool IsProblem(const FileCheck& check);

// Checks one entry against `data_dir`. Throws InputError naming the file
// when it is present but cannot be read.
FileCheck CheckFile(const ManifestFile& file, const std::filesystem::path& data_dir);

// CheckFile for every entry of `files`, in order.
std::vector<FileCheck> CheckFiles(const std::vector<const ManifestFile*>& files,
                                  const std::filesystem::path& data_dir);

// One line for a problem: "arc_easy/ARC-Easy-Test.jsonl: changed (SHA-256 ab12...,
// the manifest's 1d47...)". REQUIRES: IsProblem(check).
std::string DescribeProblem(const FileCheck& check, const std::filesystem::path& data_dir);

}  // namespace llmcal::data
