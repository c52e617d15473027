#include "support/archive_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

namespace llmcal::testing {

namespace {

struct WriterFree {
  void operator()(archive* writer) const { archive_write_free(writer); }
};
struct EntryFree {
  void operator()(archive_entry* entry) const { archive_entry_free(entry); }
};

// Fails the calling test and throws, naming the archive and libarchive's reason.
[[noreturn]] void Fail(const std::filesystem::path& path, archive* writer) {
  const std::string message =
      "cannot write the test archive " + path.string() + ": " + archive_error_string(writer);
  ADD_FAILURE() << message;
  throw std::runtime_error(message);
}

}  // namespace

void WriteArchive(const std::filesystem::path& path, ArchiveFormat format,
                  const std::map<std::string, std::string>& members) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  const std::unique_ptr<archive, WriterFree> writer(archive_write_new());
  if (format == ArchiveFormat::kZip) {
    archive_write_set_format_zip(writer.get());
  } else {
    archive_write_set_format_ustar(writer.get());
    archive_write_add_filter_gzip(writer.get());
  }
  if (archive_write_open_filename(writer.get(), path.c_str()) != ARCHIVE_OK)
    Fail(path, writer.get());
  for (const auto& [name, bytes] : members) {
    const std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(bytes.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    if (archive_write_header(writer.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(writer.get(), bytes.data(), bytes.size()) !=
            static_cast<la_ssize_t>(bytes.size())) {
      Fail(path, writer.get());
    }
  }
  if (archive_write_close(writer.get()) != ARCHIVE_OK)
    Fail(path, writer.get());
}

}  // namespace llmcal::testing
