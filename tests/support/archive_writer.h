// Archives as data sources ship them (a zip release, a gzipped tarball),
// written by libarchive's own writer, for the tests of the code that takes
// their members out. A library of its own (llmcal_test_archives), so that
// only the suites that write archives link libarchive.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace llmcal::testing {

enum class ArchiveFormat {
  kZip,
  kTarGz,  // ustar, gzip-compressed
};

// Writes `members` (name inside the archive -> bytes), in name order, as
// regular files (mode 0644) into a new archive at `path` in `format`, after
// creating its folder. Fails the calling test and throws std::runtime_error
// when libarchive cannot.
void WriteArchive(const std::filesystem::path& path, ArchiveFormat format,
                  const std::map<std::string, std::string>& members);

}  // namespace llmcal::testing
