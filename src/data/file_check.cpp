#include "data/file_check.h"

#include <fmt/format.h>

#include "common/sha256.h"

namespace llmcal::data {

std::string_view StateName(FileState state) {
  switch (state) {
    case FileState::kIntact:
      return "intact";
    case FileState::kMissing:
      return "missing";
    case FileState::kChanged:
      return "changed";
    case FileState::kNotFetched:
      return "not fetched";
    case FileState::kUnpinned:
      return "unpinned";
  }
  return "unknown";
}

bool IsProblem(const FileCheck& check) {
  return check.state == FileState::kMissing || check.state == FileState::kChanged;
}

FileCheck CheckFile(const ManifestFile& file, const std::filesystem::path& data_dir) {
  FileCheck check;
  check.file = &file;
  const std::filesystem::path path = data_dir / file.path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    check.state = file.shipped ? FileState::kMissing : FileState::kNotFetched;
    return check;
  }
  check.bytes = std::filesystem::file_size(path, ec);
  if (!file.pinned()) {
    check.state = FileState::kUnpinned;
    return check;
  }
  if (check.bytes != *file.bytes) {
    check.state = FileState::kChanged;
    return check;
  }
  check.sha256 = Sha256OfFile(path);
  check.state = check.sha256 == file.sha256 ? FileState::kIntact : FileState::kChanged;
  return check;
}

std::vector<FileCheck> CheckFiles(const std::vector<const ManifestFile*>& files,
                                  const std::filesystem::path& data_dir) {
  std::vector<FileCheck> checks;
  checks.reserve(files.size());
  for (const ManifestFile* file : files)
    checks.push_back(CheckFile(*file, data_dir));
  return checks;
}

std::string DescribeProblem(const FileCheck& check, const std::filesystem::path& data_dir) {
  const ManifestFile& f = *check.file;
  const std::string where = (data_dir / f.path).string();
  if (check.state == FileState::kMissing)
    return fmt::format("{}: missing", where);
  if (check.bytes != *f.bytes)
    return fmt::format("{}: changed ({} bytes, the manifest's {})", where, check.bytes, *f.bytes);
  return fmt::format("{}: changed (SHA-256 {}, the manifest's {})", where, check.sha256, f.sha256);
}

}  // namespace llmcal::data
