// The manifest reader: the repository's own data/manifest.toml, and every
// mistake in bad_manifests.cases, each refused with a message naming the
// manifest, the line and the key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "common/error.h"
#include "data/manifest.h"
#include "support/case_file.h"
#include "support/test_data.h"

namespace llmcal::data {
namespace {

namespace fs = std::filesystem;

// One case of bad_manifests.cases (its header explains the layout).
class BadManifest : public ::testing::TestWithParam<llmcal::testing::CaseSection> {};

TEST_P(BadManifest, NamesFileLineAndKey) {
  const llmcal::testing::CaseSection& section = GetParam();
  SCOPED_TRACE(section.where + " " + section.name);
  std::string content;
  std::vector<std::string> message_parts;
  for (const std::string& line : section.lines) {
    if (line.starts_with("error: "))
      message_parts.push_back(line.substr(7));
    else if (line == "|" || line.starts_with("| "))
      content += line.substr(std::min<std::size_t>(2, line.size())) + "\n";
    else
      ASSERT_TRUE(line.empty() || line.starts_with("#")) << "unexpected line: " << line;
  }
  ASSERT_FALSE(message_parts.empty()) << "a case needs error: lines";
  const fs::path file = llmcal::testing::FreshTempDir("llmcal-manifest") / "manifest.toml";
  std::ofstream(file) << content;
  try {
    ReadManifest(file);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    for (const std::string& part : message_parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "'" << part << "' not in: " << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, BadManifest,
                         ::testing::ValuesIn(llmcal::testing::ReadCaseSections(
                             LLMCAL_DATA_TEST_DIR "/bad_manifests.cases")),
                         llmcal::testing::SectionParamName);

TEST(Manifest, MissingFileIsNamed) {
  try {
    ReadManifest("/nonexistent/manifest.toml");
    FAIL() << "accepted a missing file";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/manifest.toml: cannot read the data manifest");
  }
}

TEST(Manifest, AcceptsOptionalKeysLeftOut) {
  const Manifest m = ParseManifest(R"(schema = 1
[[file]]
path = "x/a.jsonl"
task = "x"
format = "arc-jsonl"
licence = "MIT"
source = "somewhere"
url = "https://example.org/a.jsonl"
shipped = false
)",
                                   "m.toml");
  ASSERT_EQ(m.files.size(), 1u);
  EXPECT_FALSE(m.files[0].pinned());
  EXPECT_FALSE(m.files[0].items);
  EXPECT_EQ(m.files[0].split, "");
  EXPECT_EQ(m.files[0].line, 2);
}

// The repository's manifest: every shipped file is in data/ and every licence
// file it names exists; the paper's benchmark counts hold.
TEST(RepositoryManifest, ListsWhatDataHolds) {
  const fs::path dir = llmcal::testing::TestDataDir();
  const Manifest manifest = ReadManifest(dir / kManifestName);
  std::map<std::string, std::int64_t> items;  // task/split -> items
  for (const ManifestFile& f : manifest.files) {
    if (f.shipped) {
      EXPECT_TRUE(fs::is_regular_file(dir / f.path)) << f.path;
    }
    if (!f.licence_file.empty()) {
      EXPECT_TRUE(fs::is_regular_file(dir / f.licence_file)) << f.licence_file;
    }
    if (f.items && f.format != "piqa-labels")
      items[f.task + "/" + f.split + (f.format == "hellaswag-jsonl" ? "/jsonl" : "")] += *f.items;
  }
  EXPECT_EQ(items["arc_easy/test"], 2376);
  EXPECT_EQ(items["arc_challenge/test"], 1172);
  EXPECT_EQ(items["hellaswag/validation"], 10042);
  EXPECT_EQ(items["hellaswag/validation/jsonl"], 10042);
  EXPECT_EQ(items["medmcqa/validation"], 4183);
  EXPECT_EQ(items["mmlu/test"], 14042);
  EXPECT_EQ(items["mmlu/validation"], 1531);
  EXPECT_EQ(items["mmlu/dev"], 285);
  EXPECT_EQ(items["piqa/validation"], 1838);
  EXPECT_EQ(items["sciq/test"], 1000);
}

// Every file in data/ is the manifest itself, its README, a licence text, or
// listed: nothing ships without provenance.
TEST(RepositoryManifest, EveryFileInDataIsAccountedFor) {
  const fs::path dir = llmcal::testing::TestDataDir();
  const Manifest manifest = ReadManifest(dir / kManifestName);
  std::set<std::string> known = {std::string(kManifestName), "README.md"};
  for (const ManifestFile& f : manifest.files) {
    known.insert(f.path);
    if (!f.licence_file.empty())
      known.insert(f.licence_file);
  }
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file())
      continue;
    const std::string relative = fs::relative(entry.path(), dir).generic_string();
    const bool licence = entry.path().filename().string().rfind("LICENSE", 0) == 0;
    EXPECT_TRUE(known.contains(relative) || licence) << relative << " is not in the manifest";
  }
}

TEST(SelectTasks, PicksByTaskAndRefusesUnknown) {
  const Manifest manifest = ReadManifest(llmcal::testing::TestDataDir() / kManifestName);
  const auto piqa = SelectTasks(manifest, {"piqa"});
  ASSERT_EQ(piqa.size(), 2u);
  EXPECT_EQ(piqa[0]->path, "piqa/valid.jsonl");
  EXPECT_EQ(SelectTasks(manifest, {}).size(), manifest.files.size());
  try {
    SelectTasks(manifest, {"nosuch"});
    FAIL() << "accepted an unknown task";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no task 'nosuch' (the manifest has: arc_challenge, "),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace llmcal::data
