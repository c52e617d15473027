// What identifies a file's content for provenance: its size, modification
// time and SHA-256 (common/sha256.h). FileFingerprint reuses a previous
// digest when the path, size and modification time are unchanged, so a
// resumed run does not re-hash a model it has already hashed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace llmcal::store {

struct FileFingerprint {
  std::string path;           // absolute, as found
  std::uint64_t size = 0;     // bytes
  std::int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
  std::string sha256;         // 64 lowercase hex digits

  bool operator==(const FileFingerprint&) const = default;
};

// Returns the path (absolute), size and mtime of `path`, without a digest.
// Throws InputError naming the file when it is missing or not a regular file.
FileFingerprint StatFile(const std::filesystem::path& path);

// Sets print.sha256: `known`'s digest when it has the same path, size and
// mtime as `print`, else the digest of the bytes of `contents` (default: the
// file at print.path; an hf: model's print.path is its reference, and its
// bytes are the cached file). Returns true when the file was read. Throws
// InputError naming the file when it cannot be read.
bool FillDigest(FileFingerprint& print, const std::optional<FileFingerprint>& known,
                const std::filesystem::path& contents = {});

// StatFile, then FillDigest.
FileFingerprint FingerprintFile(const std::filesystem::path& path,
                                const std::optional<FileFingerprint>& known = std::nullopt);

}  // namespace llmcal::store
