// Model files fetched from a local server laid out as the Hugging Face hub
// ({root}/{owner}/{repo}/resolve/{revision}/{path}) into a fresh cache.
#include "fetch/hub.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <optional>

#include "common/error.h"
#include "common/sha256.h"
#include "fetch/model_source.h"
#include "http_servers.h"
#include "support/files.h"
#include "support/test_data.h"

namespace llmcal::fetch {
namespace {

namespace fs = std::filesystem;
using testing::LighttpdServer;
using testing::ReadFile;
using testing::WriteFile;

class HubTest : public ::testing::Test {
 protected:
  fs::path hub_ = testing::FreshTempDir("llmcal-hub");
  fs::path cache_ = testing::FreshTempDir("llmcal-cache");

  // Puts `bytes` where the hub serves hf:OWNER/REPO/PATH@REVISION.
  void Publish(const std::string& reference, const std::string& bytes) {
    const HubFile file = ParseHubReference(reference);
    WriteFile(hub_ / file.owner / file.repo / "resolve" / file.revision / file.path, bytes);
  }

  HubSettings Settings(const LighttpdServer& server) const {
    HubSettings settings;
    settings.endpoint = server.endpoint();
    settings.cache_dir = cache_;
    settings.download.progress = ProgressMode::kQuiet;
    settings.download.stall_timeout = std::chrono::seconds(2);
    return settings;
  }
};

TEST_F(HubTest, FetchesIntoTheCacheThenReusesItWithNoRequest) {
  Publish("hf:ggml-org/models/tinyllamas/m.gguf", "weights v1");
  std::optional<LighttpdServer> server(hub_);
  const HubSettings settings = Settings(*server);
  const HubFile file = ParseHubReference("hf:ggml-org/models/tinyllamas/m.gguf");
  const fs::path local = FetchHubFile(file, settings);
  EXPECT_EQ(local, cache_ / "hf/ggml-org/models/main/tinyllamas/m.gguf");
  EXPECT_EQ(ReadFile(local), "weights v1");
  ASSERT_EQ(server->AccessLog().size(), 1u);
  EXPECT_EQ(server->AccessLog()[0].request,
            "GET /ggml-org/models/resolve/main/tinyllamas/m.gguf HTTP/1.1");

  server.reset();  // the hub is gone: the cache alone must do
  EXPECT_EQ(FetchHubFile(file, settings), local);
  const LocatedModel located = LocateModel("hf:ggml-org/models/tinyllamas/m.gguf", settings);
  EXPECT_EQ(located.file, local);
  EXPECT_EQ(located.reference, "hf:ggml-org/models/tinyllamas/m.gguf@main");
}

TEST_F(HubTest, RevisionsAreFetchedAndCachedApart) {
  Publish("hf:o/r/m.gguf@v1", "one");
  Publish("hf:o/r/m.gguf@v2", "two");
  LighttpdServer server(hub_);
  const HubSettings settings = Settings(server);
  EXPECT_EQ(ReadFile(FetchHubFile(ParseHubReference("hf:o/r/m.gguf@v1"), settings)), "one");
  EXPECT_EQ(ReadFile(FetchHubFile(ParseHubReference("hf:o/r/m.gguf@v2"), settings)), "two");
}

TEST_F(HubTest, SendsHfTokenAsBearer) {
  Publish("hf:o/gated/m.gguf", "secret weights");
  LighttpdServer server(hub_);
  HubSettings settings = Settings(server);
  settings.token = "hf_test_token";
  FetchHubFile(ParseHubReference("hf:o/gated/m.gguf"), settings);
  ASSERT_EQ(server.AccessLog().size(), 1u);
  EXPECT_EQ(server.AccessLog()[0].authorization, "Bearer hf_test_token");
}

TEST_F(HubTest, ASplitModelArrivesWholeBesideItsFirstPart) {
  for (int i = 1; i <= 3; ++i)
    Publish(fmt::format("hf:o/big/q8/m-0000{}-of-00003.gguf", i), fmt::format("part {}", i));
  LighttpdServer server(hub_);
  const fs::path first =
      FetchHubFile(ParseHubReference("hf:o/big/q8/m-00002-of-00003.gguf"), Settings(server));
  EXPECT_EQ(first, cache_ / "hf/o/big/main/q8/m-00001-of-00003.gguf");
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(ReadFile(first.parent_path() / fmt::format("m-0000{}-of-00003.gguf", i)),
              fmt::format("part {}", i));
  }
  EXPECT_EQ(server.AccessLog().size(), 3u);
}

TEST_F(HubTest, AMissingPartIsFetchedAloneNextTime) {
  for (int i = 1; i <= 2; ++i)
    Publish(fmt::format("hf:o/big/m-0000{}-of-00002.gguf", i), fmt::format("part {}", i));
  LighttpdServer server(hub_);
  const HubSettings settings = Settings(server);
  const fs::path first =
      FetchHubFile(ParseHubReference("hf:o/big/m-00001-of-00002.gguf"), settings);
  fs::remove(first.parent_path() / "m-00002-of-00002.gguf");
  FetchHubFile(ParseHubReference("hf:o/big/m-00001-of-00002.gguf"), settings);
  const auto log = server.AccessLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[2].request, "GET /o/big/resolve/main/m-00002-of-00002.gguf HTTP/1.1");
}

TEST_F(HubTest, TheHubsDigestOfAnLfsFileIsVerified) {
  Publish("hf:o/r/m.gguf", "tampered");
  const std::string published_sha(64, 'b');
  LighttpdServer server(
      hub_, {testing::WithHeader("/o/r/resolve/main/m.gguf", "X-Linked-Etag", published_sha)});
  try {
    FetchHubFile(ParseHubReference("hf:o/r/m.gguf"), Settings(server));
    FAIL() << "a file unlike the hub's digest was kept";
  } catch (const FetchError& e) {
    EXPECT_NE(std::string(e.what()).find(published_sha), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(cache_ / "hf/o/r/main/m.gguf"));
}

TEST_F(HubTest, A404NamesTheFileAndRevision) {
  LighttpdServer server(hub_);
  try {
    FetchHubFile(ParseHubReference("hf:o/r/absent.gguf@v3"), Settings(server));
    FAIL() << "a missing hub file was found";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_NE(std::string(e.what()).find("is there a file absent.gguf in o/r at revision v3"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(HubTest, NoCacheFolderIsABadInputNamingTheVariable) {
  HubSettings settings;
  settings.cache_dir.clear();
  try {
    FetchHubFile(ParseHubReference("hf:o/r/m.gguf"), settings);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("LLMCAL_CACHE"), std::string::npos) << e.what();
  }
}

TEST(ModelSource, ALocalPathIsItself) {
  const LocatedModel located = LocateModel("/models/a.gguf", HubSettings{});
  EXPECT_EQ(located.file, "/models/a.gguf");
  EXPECT_TRUE(located.reference.empty());
}

TEST(CacheDir, FollowsLlmcalCacheThenXdgThenHome) {
  const auto set = [](const char* name, const char* value) {
    if (value == nullptr)
      unsetenv(name);
    else
      setenv(name, value, 1);
  };
  set("LLMCAL_CACHE", "/own");
  set("XDG_CACHE_HOME", "/xdg");
  set("HOME", "/home/u");
  EXPECT_EQ(DefaultCacheDir(), "/own");
  set("LLMCAL_CACHE", "");
  EXPECT_EQ(DefaultCacheDir(), "/xdg/llmcal");
  set("XDG_CACHE_HOME", nullptr);
  EXPECT_EQ(DefaultCacheDir(), "/home/u/.cache/llmcal");
  set("HOME", nullptr);
  EXPECT_EQ(DefaultCacheDir(), "");
}

}  // namespace
}  // namespace llmcal::fetch
