#include "store/file_digest.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/sha256.h"

namespace llmcal::store {

namespace {

InputError FileError(const std::filesystem::path& path, const std::string& what) {
  return InputError::At(path.string(), 0, "", what);
}

}  // namespace

FileFingerprint StatFile(const std::filesystem::path& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0)
    throw FileError(path, std::string("cannot read: ") + std::strerror(errno));
  if (!S_ISREG(info.st_mode))
    throw FileError(path, "not a regular file");
  FileFingerprint print;
  print.path = std::filesystem::absolute(path).lexically_normal().string();
  print.size = static_cast<std::uint64_t>(info.st_size);
  print.mtime_ns =
      static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
  return print;
}

bool FillDigest(FileFingerprint& print, const std::optional<FileFingerprint>& known,
                const std::filesystem::path& contents) {
  if (known && known->path == print.path && known->size == print.size &&
      known->mtime_ns == print.mtime_ns && !known->sha256.empty()) {
    print.sha256 = known->sha256;
    return false;
  }
  print.sha256 = Sha256OfFile(contents.empty() ? std::filesystem::path(print.path) : contents);
  return true;
}

FileFingerprint FingerprintFile(const std::filesystem::path& path,
                                const std::optional<FileFingerprint>& known) {
  FileFingerprint print = StatFile(path);
  FillDigest(print, known);
  return print;
}

}  // namespace llmcal::store
