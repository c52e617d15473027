// `llmcal data fetch` on the repository's own manifest, as a user on a
// cluster without internet runs it: a local server stands in for the
// upstream hosts, laid out by the manifest's URL paths and holding the
// repository's own copies, and --endpoint (or LLMCAL_DATA_ENDPOINT) points
// every URL at it. The real manifest's pinned SHA-256s check what arrives.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <optional>

#include "common/sha256.h"
#include "data/manifest.h"
#include "http_servers.h"
#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;

// The path part of a URL: "https://host/a/b" -> "/a/b".
std::string UrlPath(const std::string& url) {
  const std::size_t host = url.find("://");
  return url.substr(url.find('/', host + 3));
}

class DataFetchCliTest : public ::testing::Test {
 protected:
  fs::path data_ = TestDataDir();
  fs::path served_ = FreshTempDir("llmcal-upstream");
  fs::path dir_ = FreshTempDir("llmcal-fetched") / "data";
  data::Manifest manifest_ = data::ReadManifest(data_ / data::kManifestName);

  // Serves the repository's copy of every shipped file of `task` at its URL's path.
  void Publish(const std::string& task) {
    for (const data::ManifestFile* file : data::SelectTasks(manifest_, {task})) {
      if (!file->shipped || file->url.empty() || !file->archive_member.empty())
        continue;
      const fs::path at = served_ / UrlPath(file->url).substr(1);
      fs::create_directories(at.parent_path());
      fs::copy_file(data_ / file->path, at, fs::copy_options::overwrite_existing);
    }
  }

  CommandResult Fetch(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"data", "fetch", "--dir", dir_.string(), "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    setenv("LLMCAL_DATA", data_.c_str(), 1);
    return RunLlmcal(args);
  }
};

TEST_F(DataFetchCliTest, FetchesThroughAnEndpointThenFindsEverythingThere) {
  Publish("piqa");
  std::optional<LighttpdServer> server(std::in_place, served_);
  const CommandResult first = Fetch({"piqa", "--endpoint", server->endpoint()});
  ASSERT_EQ(first.exit_code, 0) << first.stderr_text;
  for (const data::ManifestFile* file : data::SelectTasks(manifest_, {"piqa"})) {
    EXPECT_EQ(Sha256OfFile(dir_ / file->path), file->sha256) << file->path;
    EXPECT_NE(first.stdout_text.find(file->path + ": fetched, verified"), std::string::npos)
        << first.stdout_text;
  }
  EXPECT_TRUE(fs::exists(dir_ / data::kManifestName));  // so that `data verify --data DIR` works
  for (const AccessLogLine& line : server->AccessLog())
    EXPECT_EQ(line.status, 200) << line.request;

  server.reset();  // nothing to fetch: no request, and none possible
  setenv("LLMCAL_DATA_ENDPOINT", "http://127.0.0.1:1", 1);
  const CommandResult second = Fetch({"piqa"});
  unsetenv("LLMCAL_DATA_ENDPOINT");
  ASSERT_EQ(second.exit_code, 0) << second.stderr_text;
  EXPECT_NE(second.stdout_text.find("0 fetched, 0 fetched unverified, 2 already there, 0 failed"),
            std::string::npos)
      << second.stdout_text;
}

TEST_F(DataFetchCliTest, TheEnvironmentNamesTheMirrorAndAChangedFileIsFetchedAgain) {
  Publish("piqa");
  LighttpdServer server(served_);
  setenv("LLMCAL_DATA_ENDPOINT", server.endpoint().c_str(), 1);
  ASSERT_EQ(Fetch({"piqa"}).exit_code, 0);
  {
    std::fstream file(dir_ / "piqa/valid-labels.lst", std::ios::in | std::ios::out);
    file.seekp(0);
    file.put('7');
  }
  const CommandResult again = Fetch({"piqa"});
  unsetenv("LLMCAL_DATA_ENDPOINT");
  ASSERT_EQ(again.exit_code, 0) << again.stderr_text;
  EXPECT_NE(again.stdout_text.find("1 fetched, 0 fetched unverified, 1 already there"),
            std::string::npos)
      << again.stdout_text;
}

TEST_F(DataFetchCliTest, WrongBytesUpstreamExitFourNamingTheFileAndBothDigests) {
  Publish("piqa");
  const data::ManifestFile* labels = nullptr;
  for (const data::ManifestFile* file : data::SelectTasks(manifest_, {"piqa"})) {
    if (file->path == "piqa/valid-labels.lst")
      labels = file;
  }
  ASSERT_NE(labels, nullptr);
  std::ofstream(served_ / UrlPath(labels->url).substr(1)) << "0\n1\n";
  LighttpdServer server(served_);
  const CommandResult result = Fetch({"piqa", "--endpoint", server.endpoint()});
  EXPECT_EQ(result.exit_code, 4) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("piqa/valid-labels.lst: "), std::string::npos)
      << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("SHA-256 mismatch: expected " + labels->sha256),
            std::string::npos)
      << result.stderr_text;
  EXPECT_FALSE(fs::exists(dir_ / "piqa/valid-labels.lst"));
  EXPECT_TRUE(fs::exists(dir_ / "piqa/valid.jsonl"));  // the other file arrived
}

TEST_F(DataFetchCliTest, AnEndpointThatIsNoHttpUrlIsRefusedBeforeAnyRequest) {
  const CommandResult flag = Fetch({"piqa", "--endpoint", "ftp://mirror"});
  EXPECT_EQ(flag.exit_code, 2) << flag.stderr_text;
  EXPECT_NE(flag.stderr_text.find("--endpoint: 'ftp://mirror' is not an http:// or https:// URL"),
            std::string::npos)
      << flag.stderr_text;
  setenv("LLMCAL_DATA_ENDPOINT", "http://mirror/?x=1", 1);
  const CommandResult environment = Fetch({"piqa"});
  unsetenv("LLMCAL_DATA_ENDPOINT");
  EXPECT_EQ(environment.exit_code, 1) << environment.stderr_text;
  EXPECT_NE(environment.stderr_text.find("LLMCAL_DATA_ENDPOINT 'http://mirror/?x=1': an endpoint "
                                         "has no query or fragment"),
            std::string::npos)
      << environment.stderr_text;
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(DataFetchCliTest, AnUnknownTaskIsABadInput) {
  const CommandResult result = Fetch({"nosuchtask"});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("nosuchtask"), std::string::npos) << result.stderr_text;
}

}  // namespace
}  // namespace llmcal::testing
