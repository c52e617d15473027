#include "fetch/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <set>
#include <string_view>

#include "common/error.h"

namespace llmcal::fetch {

namespace {

namespace fs = std::filesystem;

// 1 MiB blocks: a multi-gigabyte archive reads at disk speed.
constexpr std::size_t kReadBlock = 1 << 20;

struct ArchiveFree {
  void operator()(archive* reader) const { archive_read_free(reader); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveFree>;

InputError ArchiveError(const fs::path& path, const std::string& what) {
  return InputError::At(path.string(), 0, "", what);
}

std::string Normalized(std::string_view member) {
  while (member.starts_with("./"))
    member.remove_prefix(2);
  return std::string(member);
}

ArchiveReader OpenArchive(const fs::path& path) {
  ArchiveReader reader(archive_read_new());
  if (!reader)
    throw ArchiveError(path, "libarchive could not start");
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_all(reader.get());
  if (archive_read_open_filename(reader.get(), path.c_str(), kReadBlock) != ARCHIVE_OK) {
    throw ArchiveError(
        path, fmt::format("not a readable archive: {}", archive_error_string(reader.get())));
  }
  return reader;
}

// Copies the current entry's data to `dest`.
void CopyEntry(archive* reader, const fs::path& archive_path, const std::string& member,
               const fs::path& dest) {
  std::ofstream out(dest, std::ios::binary | std::ios::trunc);
  if (!out)
    throw ArchiveError(dest, "cannot write");
  const void* block = nullptr;
  std::size_t size = 0;
  la_int64_t offset = 0;
  for (;;) {
    const int status = archive_read_data_block(reader, &block, &size, &offset);
    if (status == ARCHIVE_EOF)
      break;
    if (status < ARCHIVE_WARN) {
      throw ArchiveError(archive_path,
                         fmt::format("member {}: {}", member, archive_error_string(reader)));
    }
    out.seekp(static_cast<std::streamoff>(offset));  // sparse members leave holes
    out.write(static_cast<const char*>(block), static_cast<std::streamsize>(size));
  }
  out.close();
  if (!out)
    throw ArchiveError(dest, "write failed");
}

}  // namespace

void ExtractMembers(const fs::path& archive_path, const std::map<std::string, fs::path>& wanted) {
  std::map<std::string, fs::path> pending;
  for (const auto& [member, dest] : wanted)
    pending[Normalized(member)] = dest;
  ArchiveReader reader = OpenArchive(archive_path);
  archive_entry* entry = nullptr;
  for (;;) {
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF || pending.empty())
      break;
    if (status < ARCHIVE_WARN) {
      throw ArchiveError(archive_path,
                         fmt::format("cannot read: {}", archive_error_string(reader.get())));
    }
    const auto found = pending.find(Normalized(archive_entry_pathname(entry)));
    if (found == pending.end())
      continue;
    if (archive_entry_filetype(entry) != AE_IFREG) {
      throw ArchiveError(archive_path,
                         fmt::format("member {} is not a regular file", found->first));
    }
    CopyEntry(reader.get(), archive_path, found->first, found->second);
    pending.erase(found);
  }
  if (!pending.empty()) {
    throw ArchiveError(archive_path, fmt::format("has no member {}", pending.begin()->first));
  }
}

}  // namespace llmcal::fetch
