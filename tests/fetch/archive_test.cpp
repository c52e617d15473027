// Members taken out of archives that libarchive's own writer made, in the
// formats data sources ship (tar.gz, zip).
#include "fetch/archive.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "support/archive_writer.h"
#include "support/files.h"
#include "support/test_data.h"

namespace llmcal::fetch {
namespace {

namespace fs = std::filesystem;
using testing::ArchiveFormat;
using testing::ReadFile;
using testing::WriteArchive;
using testing::WriteFile;

class ArchiveTest : public ::testing::TestWithParam<bool> {
 protected:
  fs::path dir_ = testing::FreshTempDir("llmcal-archive");
  fs::path archive_ = dir_ / (GetParam() ? "data.zip" : "data.tar.gz");
  std::string big_ = std::string(3'000'000, 'x') + "end";

  void SetUp() override {
    WriteArchive(archive_, GetParam() ? ArchiveFormat::kZip : ArchiveFormat::kTarGz,
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
  WriteFile(dir / "x.tar", "this is not an archive");
  EXPECT_THROW(ExtractMembers(dir / "x.tar", {{"a", dir / "a"}}), InputError);
}

}  // namespace
}  // namespace llmcal::fetch
