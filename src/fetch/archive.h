// Files taken out of a downloaded archive (tar, tar.gz, tar.bz2, tar.xz, zip,
// 7z and whatever else libarchive reads), without calling tar or unzip.
//
//   ExtractMembers("data.tar", {{"data/test/x.csv", "out/x.csv.part"}});
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace llmcal::fetch {

// Writes each wanted member of `archive` (key: its path inside the archive,
// a leading "./" ignored) to its file (value), replacing what is there.
// REQUIRES: the values' folders exist. Throws InputError naming the archive
// when it cannot be read, when a wanted member is missing (naming it) or is
// not a regular file, and naming the file when it cannot be written.
void ExtractMembers(const std::filesystem::path& archive,
                    const std::map<std::string, std::filesystem::path>& wanted);

}  // namespace llmcal::fetch
