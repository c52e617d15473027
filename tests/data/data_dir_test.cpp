// The data folder lookup's order (data/data_dir.h) on folders laid out as a
// repository with a build tree and as an install prefix: --data, then
// $LLMCAL_DATA, then the repository's data/ above the executable, then the
// install prefix.
#include <gtest/gtest.h>

#include <fstream>

#include "common/error.h"
#include "data/data_dir.h"
#include "support/test_data.h"

namespace llmcal::data {
namespace {

namespace fs = std::filesystem;

// A data folder: any folder holding manifest.toml.
fs::path MakeDataFolder(const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream(dir / "manifest.toml") << "schema = 1\n";
  return dir;
}

// A lookup; empty strings and paths are "not given".
DataDirLookup Lookup(const fs::path& flag, const fs::path& environment, const fs::path& executable,
                     const fs::path& install_dir) {
  DataDirLookup lookup;
  lookup.flag = flag.string();
  lookup.environment = environment.string();
  lookup.executable = executable;
  lookup.install_dir = install_dir;
  return lookup;
}

struct Layout {
  fs::path root = llmcal::testing::FreshTempDir("llmcal-data-dir");
  fs::path repo_data = MakeDataFolder(root / "repo" / "data");
  fs::path exe = root / "repo" / "build" / "llmcal";
  fs::path test_exe = root / "repo" / "build" / "tests" / "data" / "data_test";
  fs::path prefix_data = MakeDataFolder(root / "prefix" / "share" / "llmcal" / "data");
  fs::path installed_exe = root / "prefix" / "bin" / "llmcal";
  fs::path env_data = MakeDataFolder(root / "env-data");
  fs::path flag_data = MakeDataFolder(root / "flag-data");
};

TEST(DataDir, FlagWinsOverEverything) {
  const Layout l;
  const auto found = FindDataDir(Lookup(l.flag_data, l.env_data, l.exe, l.prefix_data));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->dir, l.flag_data);
  EXPECT_EQ(found->how, "--data");
}

TEST(DataDir, EnvironmentWinsOverTheExecutablesRepository) {
  const Layout l;
  const auto found = FindDataDir(Lookup("", l.env_data, l.exe, l.prefix_data));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->dir, l.env_data);
  EXPECT_EQ(found->how, "LLMCAL_DATA");
}

TEST(DataDir, BuildTreeProgramsFindTheRepositorysData) {
  const Layout l;
  for (const fs::path& exe : {l.exe, l.test_exe}) {
    const auto found = FindDataDir(Lookup("", "", exe, l.prefix_data));
    ASSERT_TRUE(found) << exe;
    EXPECT_EQ(found->dir, l.repo_data) << exe;
    EXPECT_EQ(found->how, "beside the executable");
  }
}

TEST(DataDir, InstalledProgramFindsItsPrefixsShareFolder) {
  const Layout l;
  const auto relative = FindDataDir(Lookup("", "", l.installed_exe, ""));
  ASSERT_TRUE(relative);
  EXPECT_EQ(relative->dir, l.prefix_data);
  EXPECT_EQ(relative->how, "install prefix");
  // Moved away from its prefix, it still finds the configured one.
  const auto configured =
      FindDataDir(Lookup("", "", l.root / "elsewhere" / "llmcal", l.prefix_data));
  ASSERT_TRUE(configured);
  EXPECT_EQ(configured->dir, l.prefix_data);
}

TEST(DataDir, AFolderWithoutAManifestIsNotTheDataFolder) {
  const Layout l;
  fs::remove(l.repo_data / "manifest.toml");
  const auto found = FindDataDir(Lookup("", "", l.exe, ""));
  EXPECT_FALSE(found);
}

TEST(DataDir, NamedFolderThatIsMissingIsAnErrorNotAFallback) {
  const Layout l;
  try {
    FindDataDir(Lookup(l.root / "typo", "", l.exe, ""));
    FAIL() << "fell back";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "--data " + (l.root / "typo").string() + ": no such folder");
  }
  try {
    FindDataDir(Lookup("", l.root / "typo", l.exe, ""));
    FAIL() << "fell back";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "LLMCAL_DATA=" + (l.root / "typo").string() + ": no such folder");
  }
}

}  // namespace
}  // namespace llmcal::data
