// Members taken out of archives that libarchive's own writer made, in the
// formats data sources ship (tar.gz, zip).
#include "fetch/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "common/error.h"
#include "support/test_data.h"

namespace llmcal::fetch {
namespace {

namespace fs = std::filesystem;

// Writes `files` (name -> bytes) into an archive at `path` in `format`
// (ARCHIVE_FORMAT_TAR_USTAR with gzip, or ARCHIVE_FORMAT_ZIP).
void WriteArchive(const fs::path& path, bool zip, const std::map<std::string, std::string>& files) {
  archive* writer = archive_write_new();
  if (zip) {
    archive_write_set_format_zip(writer);
  } else {
    archive_write_set_format_ustar(writer);
    archive_write_add_filter_gzip(writer);
  }
  ASSERT_EQ(archive_write_open_filename(writer, path.c_str()), ARCHIVE_OK);
  for (const auto& [name, bytes] : files) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_write_header(writer, entry);
    archive_write_data(writer, bytes.data(), bytes.size());
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ArchiveTest : public ::testing::TestWithParam<bool> {
 protected:
  fs::path dir_ = testing::FreshTempDir("llmcal-archive");
  fs::path archive_ = dir_ / (GetParam() ? "data.zip" : "data.tar.gz");
  std::string big_ = std::string(3'000'000, 'x') + "end";

  void SetUp() override {
    WriteArchive(archive_, GetParam(),
                 {{"./data/test/a.csv", "a,b\n1,2\n"}, {"data/dev/b.csv", big_}, {"README", "r"}});
  }
};

TEST_P(ArchiveTest, ExtractsTheWantedMembersOnly) {
  ExtractMembers(archive_, {{"data/test/a.csv", dir_ / "a.csv"}, {"data/dev/b.csv", dir_ / "b"}});
  EXPECT_EQ(ReadFile(dir_ / "a.csv"), "a,b\n1,2\n");
  EXPECT_EQ(ReadFile(dir_ / "b"), big_);
  EXPECT_FALSE(fs::exists(dir_ / "README"));
}

TEST_P(ArchiveTest, AMissingMemberIsNamed) {
  try {
    ExtractMembers(archive_, {{"data/test/absent.csv", dir_ / "x"}});
    FAIL() << "a missing member was not noticed";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(archive_.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("has no member data/test/absent.csv"), std::string::npos)
        << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(TarGzAndZip, ArchiveTest, ::testing::Bool());

TEST(Archive, AFileThatIsNoArchiveIsNamed) {
  const fs::path dir = testing::FreshTempDir("llmcal-archive");
  std::ofstream(dir / "x.tar") << "this is not an archive";
  EXPECT_THROW(ExtractMembers(dir / "x.tar", {{"a", dir / "a"}}), InputError);
}

}  // namespace
}  // namespace llmcal::fetch
