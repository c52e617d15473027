// A data folder fetched by its manifest from lighttpd standing in for the
// upstream hosts (the endpoint replaces their scheme and host): direct
// files, members of a zip release, an unpinned file checked by its git blob,
// one with nothing to check it against, and every kind of failure.
#include "fetch/data_fetch.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "common/sha256.h"
#include "data/file_check.h"
#include "http_servers.h"
#include "support/archive_writer.h"
#include "support/files.h"
#include "support/test_data.h"

namespace llmcal::fetch {
namespace {

namespace fs = std::filesystem;
using testing::ArchiveFormat;
using testing::LighttpdServer;
using testing::ReadFile;
using testing::WriteArchive;
using testing::WriteFile;

std::string Sha256Of(const std::string& bytes) {
  Sha256 digest;
  digest.Update(bytes.data(), bytes.size());
  return digest.Finish();
}

// A [[file]] table; `pin` adds bytes and sha256 of `bytes`.
std::string Entry(const std::string& path, const std::string& url, const std::string& bytes,
                  bool pin, const std::string& extra = "") {
  std::string entry = fmt::format(
      "[[file]]\npath = \"{}\"\ntask = \"{}\"\nformat = \"jsonl\"\nlicence = \"MIT\"\n"
      "source = \"test\"\nurl = \"{}\"\nshipped = false\n{}",
      path, path.substr(0, path.find('/')), url, extra);
  if (pin)
    entry += fmt::format("bytes = {}\nsha256 = \"{}\"\n", bytes.size(), Sha256Of(bytes));
  return entry + "\n";
}

class DataFetchTest : public ::testing::Test {
 protected:
  fs::path upstream_ = testing::FreshTempDir("llmcal-upstream");
  fs::path dir_ = testing::FreshTempDir("llmcal-data");
  const std::string a_ = "{\"q\": 1}\n";
  const std::string x_ = "[{\"question\": \"x\"}]";
  const std::string y_ = "[{\"question\": \"y\"}]";
  const std::string blob_ = "hello\n";
  const std::string free_ = "unpinned\n";
  std::string manifest_text_;
  data::Manifest manifest_;

  void SetUp() override {
    WriteFile(upstream_ / "o/r/c1/a.jsonl", a_);
    WriteArchive(upstream_ / "rel/Bundle.zip", ArchiveFormat::kZip,
                 {{"Bundle 1/x.json", x_}, {"Bundle 1/y.json", y_}});
    WriteFile(upstream_ / "o/r/c1/blob.jsonl", blob_);
    WriteFile(upstream_ / "o/r/c1/free.jsonl", free_);
    manifest_text_ = "schema = 1\n\n" +
                     Entry("arc/a.jsonl", "https://up.example/o/r/c1/a.jsonl", a_, true) +
                     Entry("sciq/x.json", "https://s3.example/rel/Bundle.zip", x_, true,
                           "archive_member = \"Bundle 1/x.json\"\n") +
                     Entry("sciq/y.json", "https://s3.example/rel/Bundle.zip", y_, true,
                           "archive_member = \"Bundle 1/y.json\"\n") +
                     // git hash-object of "hello\n"
                     Entry("hs/blob.jsonl", "https://up.example/o/r/c1/blob.jsonl", blob_, false,
                           "git_blob_sha1 = \"ce013625030ba8dba906f756967f9e9ca394464a\"\n") +
                     Entry("hs/free.jsonl", "https://up.example/o/r/c1/free.jsonl", free_, false);
    manifest_ = data::ParseManifest(manifest_text_, "manifest.toml");
  }

  DataFetchOptions Options(const LighttpdServer& server) const {
    DataFetchOptions options;
    options.endpoint = server.endpoint();
    options.download.progress = ProgressMode::kQuiet;
    options.download.stall_timeout = std::chrono::seconds(2);
    return options;
  }

  std::map<std::string, FetchOutcome> Outcomes(const DataFetchReport& report) const {
    std::map<std::string, FetchOutcome> outcomes;
    for (const FetchedFile& f : report.files)
      outcomes[f.file->path] = f.outcome;
    return outcomes;
  }
};

TEST_F(DataFetchTest, FetchesFilesAndArchiveMembersThenFindsThemThere) {
  LighttpdServer server(upstream_);
  const DataFetchReport first =
      FetchDataFiles(data::SelectTasks(manifest_, {}), dir_, Options(server));
  EXPECT_TRUE(first.failures.empty()) << first.failures.front();
  const std::map<std::string, FetchOutcome> expected = {
      {"arc/a.jsonl", FetchOutcome::kFetched},
      {"sciq/x.json", FetchOutcome::kFetched},
      {"sciq/y.json", FetchOutcome::kFetched},
      {"hs/blob.jsonl", FetchOutcome::kFetched},
      {"hs/free.jsonl", FetchOutcome::kUnverified}};
  EXPECT_EQ(Outcomes(first), expected);
  EXPECT_EQ(ReadFile(dir_ / "arc/a.jsonl"), a_);
  EXPECT_EQ(ReadFile(dir_ / "sciq/x.json"), x_);
  EXPECT_EQ(ReadFile(dir_ / "sciq/y.json"), y_);
  EXPECT_EQ(ReadFile(dir_ / "hs/blob.jsonl"), blob_);
  EXPECT_EQ(ReadFile(dir_ / "hs/free.jsonl"), free_);
  EXPECT_FALSE(fs::exists(dir_ / kStagingFolder));
  // The zip went out once for both members, every URL with the endpoint's host.
  const auto log = server.AccessLog();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[1].request, "GET /rel/Bundle.zip HTTP/1.1");

  const DataFetchReport second =
      FetchDataFiles(data::SelectTasks(manifest_, {}), dir_, Options(server));
  for (const FetchedFile& f : second.files)
    EXPECT_EQ(f.outcome, FetchOutcome::kAlreadyThere) << f.file->path;
  EXPECT_EQ(server.AccessLog().size(), 4u);
}

TEST_F(DataFetchTest, OnlyTheNamedTasksAndOnlyWhatIsMissingOrChanged) {
  LighttpdServer server(upstream_);
  WriteFile(dir_ / "sciq/x.json", x_);         // intact: kept
  WriteFile(dir_ / "sciq/y.json", "changed");  // changed: fetched again
  const DataFetchReport report =
      FetchDataFiles(data::SelectTasks(manifest_, {"sciq"}), dir_, Options(server));
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(Outcomes(report),
            (std::map<std::string, FetchOutcome>{{"sciq/x.json", FetchOutcome::kAlreadyThere},
                                                 {"sciq/y.json", FetchOutcome::kFetched}}));
  EXPECT_EQ(ReadFile(dir_ / "sciq/y.json"), y_);
  EXPECT_FALSE(fs::exists(dir_ / "arc/a.jsonl"));
}

TEST_F(DataFetchTest, WhatIsThereIsJudgedAsDataVerifyJudgesIt) {
  LighttpdServer server(upstream_);
  std::string same_size = a_;
  same_size[2] = 'Q';
  WriteFile(dir_ / "arc/a.jsonl", same_size);       // size right, SHA-256 wrong: fetched again
  WriteFile(dir_ / "hs/blob.jsonl", "jello\n");     // unpinned, git blob wrong: fetched again
  WriteFile(dir_ / "hs/free.jsonl", "anything\n");  // nothing to check it against: kept
  const std::vector<const data::ManifestFile*> files = data::SelectTasks(manifest_, {"arc", "hs"});
  ASSERT_EQ(data::CheckFile(*files[0], dir_).state, data::FileState::kChanged);
  const DataFetchReport report = FetchDataFiles(files, dir_, Options(server));
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(Outcomes(report),
            (std::map<std::string, FetchOutcome>{{"arc/a.jsonl", FetchOutcome::kFetched},
                                                 {"hs/blob.jsonl", FetchOutcome::kFetched},
                                                 {"hs/free.jsonl", FetchOutcome::kAlreadyThere}}));
  EXPECT_EQ(ReadFile(dir_ / "arc/a.jsonl"), a_);
  EXPECT_EQ(ReadFile(dir_ / "hs/blob.jsonl"), blob_);
  EXPECT_EQ(ReadFile(dir_ / "hs/free.jsonl"), "anything\n");
  EXPECT_EQ(data::CheckFile(*files[0], dir_).state, data::FileState::kIntact);
}

TEST_F(DataFetchTest, EachFailureIsNamedAndTheOthersGoOn) {
  WriteFile(upstream_ / "o/r/c1/a.jsonl", "not the pinned bytes\n");
  WriteFile(upstream_ / "o/r/c1/blob.jsonl", "not hello\n");
  fs::remove(upstream_ / "o/r/c1/free.jsonl");
  LighttpdServer server(upstream_);
  const DataFetchReport report =
      FetchDataFiles(data::SelectTasks(manifest_, {}), dir_, Options(server));
  ASSERT_EQ(report.failures.size(), 3u);
  EXPECT_NE(report.failures[0].find("arc/a.jsonl: "), std::string::npos) << report.failures[0];
  EXPECT_NE(report.failures[0].find("SHA-256 mismatch: expected " + Sha256Of(a_)),
            std::string::npos)
      << report.failures[0];
  EXPECT_NE(report.failures[1].find("git blob mismatch"), std::string::npos) << report.failures[1];
  EXPECT_NE(report.failures[2].find("/o/r/c1/free.jsonl: HTTP 404"), std::string::npos)
      << report.failures[2];
  EXPECT_FALSE(fs::exists(dir_ / "arc/a.jsonl"));
  EXPECT_FALSE(fs::exists(dir_ / "hs/blob.jsonl"));
  EXPECT_EQ(ReadFile(dir_ / "sciq/x.json"), x_);  // the zip's members still arrived
}

TEST_F(DataFetchTest, AMissingArchiveMemberIsNamed) {
  WriteArchive(upstream_ / "rel/Bundle.zip", ArchiveFormat::kZip, {{"Bundle 1/x.json", x_}});
  LighttpdServer server(upstream_);
  const DataFetchReport report =
      FetchDataFiles(data::SelectTasks(manifest_, {"sciq"}), dir_, Options(server));
  ASSERT_EQ(report.failures.size(), 2u);
  EXPECT_NE(report.failures[0].find("has no member Bundle 1/y.json"), std::string::npos)
      << report.failures[0];
}

TEST_F(DataFetchTest, AMissingFileWithoutUrlIsAFailure) {
  const data::Manifest shipped = data::ParseManifest(
      "schema = 1\n[[file]]\npath = \"m/x.gguf\"\ntask = \"models\"\nformat = \"gguf\"\n"
      "licence = \"MIT\"\nsource = \"made here\"\nbytes = 1\nsha256 = \"" +
          std::string(64, 'a') + "\"\nshipped = true\n",
      "manifest.toml");
  const DataFetchReport report = FetchDataFiles(data::SelectTasks(shipped, {}), dir_, {});
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0],
            "m/x.gguf: missing or changed, and the manifest gives no URL to fetch it from");
}

TEST(GitBlob, IsGitsHashObject) {
  const fs::path dir = testing::FreshTempDir("llmcal-blob");
  WriteFile(dir / "hello", "hello\n");
  WriteFile(dir / "empty", "");
  EXPECT_EQ(GitBlobSha1OfFile(dir / "hello"), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(GitBlobSha1OfFile(dir / "empty"), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

}  // namespace
}  // namespace llmcal::fetch
