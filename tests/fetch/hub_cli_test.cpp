// The issue's end-to-end check, as a user runs it: HF_ENDPOINT pointing at a
// local server laid out as the hub, `llmcal run --model s=hf:...` downloads
// stories260K into the cache, scores it, and records the reference and the
// file's SHA-256; a second run with the server gone uses the cache; a
// resumed run whose cached file changed is refused, and so is a downloaded
// file that is not a model; `score`, `study` and `demo` take the same
// references.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <optional>

#include "common/sha256.h"
#include "http_servers.h"
#include "store/store.h"
#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kReference = "hf:ggml-org/models/tinyllamas/stories260K.gguf";
constexpr const char* kHubPath = "ggml-org/models/resolve/main/tinyllamas/stories260K.gguf";

// Sets an environment variable for the test's lifetime (children inherit it).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name))
      old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class HubCliTest : public ::testing::Test {
 protected:
  fs::path dir_ = FreshTempDir("llmcal-hub-cli");
  fs::path hub_ = dir_ / "hub";
  fs::path cache_ = dir_ / "cache";
  fs::path stories_ = TestDataDir() / "models" / "stories260K.gguf";
  std::string stories_sha_ = Sha256OfFile(stories_);
  fs::path cached_ = cache_ / "hf/ggml-org/models/main/tinyllamas/stories260K.gguf";
  ScopedEnv cache_env_{"LLMCAL_CACHE", cache_.string()};
  ScopedEnv token_env_{"HF_TOKEN", "hf_cli_token"};

  void SetUp() override {
    fs::create_directories((hub_ / kHubPath).parent_path());
    fs::copy_file(stories_, hub_ / kHubPath);
  }

  // The hub sends an LFS file's SHA-256 as X-Linked-Etag; so does this one.
  std::vector<UrlRule> HubRules() const {
    return {
        WithHeader(std::string("/") + kHubPath, "X-Linked-Etag", "\\\"" + stories_sha_ + "\\\"")};
  }

  CommandResult Run(const fs::path& db, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"run",
                                     "--model",
                                     std::string("s=") + kReference,
                                     "--task",
                                     "arc_easy",
                                     "--limit",
                                     "4",
                                     "--style",
                                     "choice",
                                     "--db",
                                     db.string(),
                                     "--data",
                                     TestDataDir().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunLlmcal(args);
  }
};

TEST_F(HubCliTest, RunDownloadsCachesAndScoresThenReusesTheCache) {
  std::optional<LighttpdServer> server(std::in_place, hub_, HubRules());
  const ScopedEnv endpoint("HF_ENDPOINT", server->endpoint());

  const CommandResult first = Run(dir_ / "a.sqlite");
  ASSERT_EQ(first.exit_code, 0) << first.stderr_text;
  EXPECT_NE(first.stderr_text.find(std::string("llmcal: downloading ") + kReference + "@main"),
            std::string::npos)
      << first.stderr_text;
  EXPECT_NE(first.stdout_text.find("scored 4 items"), std::string::npos) << first.stdout_text;
  EXPECT_EQ(Sha256OfFile(cached_), stories_sha_);
  ASSERT_EQ(server->AccessLog().size(), 1u);
  EXPECT_EQ(server->AccessLog()[0].request, std::string("GET /") + kHubPath + " HTTP/1.1");
  EXPECT_EQ(server->AccessLog()[0].authorization, "Bearer hf_cli_token");

  {
    store::Store store = store::Store::Open(dir_ / "a.sqlite", store::Database::kReadOnly);
    const std::optional<store::ModelRecord> model = store.FindModel("s");
    ASSERT_TRUE(model.has_value());
    EXPECT_EQ(model->file.path, std::string(kReference) + "@main");
    EXPECT_EQ(model->file.sha256, stories_sha_);
    EXPECT_EQ(model->file.size, fs::file_size(stories_));
  }

  server.reset();  // no hub any more: the cache must do, with no request
  const CommandResult second = Run(dir_ / "b.sqlite", {"--quiet"});
  ASSERT_EQ(second.exit_code, 0) << second.stderr_text;
  EXPECT_EQ(second.stderr_text.find("downloading"), std::string::npos) << second.stderr_text;

  const CommandResult score =
      RunLlmcal({"score", "--model", kReference},
                R"({"id": "q", "context": "Once upon a time", "continuations": [" there"]})");
  ASSERT_EQ(score.exit_code, 0) << score.stderr_text;
  EXPECT_NE(score.stdout_text.find("\"logprobs\""), std::string::npos) << score.stdout_text;
}

TEST_F(HubCliTest, AResumedRunWhoseCachedFileChangedIsRefused) {
  {
    LighttpdServer server(hub_, HubRules());
    const ScopedEnv endpoint("HF_ENDPOINT", server.endpoint());
    ASSERT_EQ(Run(dir_ / "a.sqlite", {"--quiet"}).exit_code, 0);
  }
  {
    std::fstream cached(cached_, std::ios::in | std::ios::out | std::ios::binary);
    cached.seekp(100);
    cached.put('\x7f');
  }
  const CommandResult resumed = Run(dir_ / "a.sqlite", {"--quiet"});
  EXPECT_EQ(resumed.exit_code, 1) << resumed.stderr_text;
  EXPECT_NE(resumed.stderr_text.find(std::string("model 's' (") + kReference +
                                     "@main): the file behind this name changed"),
            std::string::npos)
      << resumed.stderr_text;
}

TEST_F(HubCliTest, AFailedDownloadExitsFourNamingTheUrl) {
  LighttpdServer server(hub_);
  const ScopedEnv endpoint("HF_ENDPOINT", server.endpoint());
  const CommandResult result = RunLlmcal(
      {"run", "--model", "s=hf:ggml-org/models/absent.gguf", "--task", "arc_easy", "--limit", "1",
       "--db", (dir_ / "x.sqlite").string(), "--data", TestDataDir().string(), "--quiet"});
  EXPECT_EQ(result.exit_code, 4) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find(server.endpoint() +
                                    "/ggml-org/models/resolve/main/absent.gguf: HTTP 404"),
            std::string::npos)
      << result.stderr_text;
  EXPECT_FALSE(fs::exists(dir_ / "x.sqlite"));  // a missing input creates no store
}

// A downloaded file that is not a GGUF model (a wrong PATH in the reference,
// a page instead of the weights) is refused like a local one: by model name,
// reference and cached path, before the store is created.
TEST_F(HubCliTest, ADownloadedFileThatIsNotAModelIsRefusedBeforeTheStore) {
  fs::create_directories(hub_ / "o/r/resolve/main");
  std::ofstream(hub_ / "o/r/resolve/main/notes.gguf") << "<html>not a model</html>\n";
  LighttpdServer server(hub_);
  const ScopedEnv endpoint("HF_ENDPOINT", server.endpoint());
  const CommandResult result = RunLlmcal(
      {"run", "--model", "s=hf:o/r/notes.gguf", "--task", "arc_easy", "--limit", "1", "--db",
       (dir_ / "x.sqlite").string(), "--data", TestDataDir().string(), "--quiet"});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_NE(
      result.stderr_text.find("model 's' (hf:o/r/notes.gguf@main, cached at " +
                              (cache_ / "hf/o/r/main/notes.gguf").string() + "): not a GGUF file"),
      std::string::npos)
      << result.stderr_text;
  EXPECT_EQ(server.AccessLog().size(), 1u);
  EXPECT_FALSE(fs::exists(dir_ / "x.sqlite"));
}

TEST_F(HubCliTest, AStudyFileNamesModelsByReference) {
  LighttpdServer server(hub_, HubRules());
  const ScopedEnv endpoint("HF_ENDPOINT", server.endpoint());
  const fs::path study = dir_ / "hub.toml";
  std::ofstream(study) << "data = \"" << TestDataDir().string() << "\"\n"
                       << "tasks = [\"arc_easy\"]\n"
                       << "[items]\nlimit = 8\n[analysis]\nbootstrap = 10\n"
                       << "[[pairs]]\nname = \"tiny\"\nbase = \"" << kReference << "\"\n"
                       << "instruct_logit_scale = 2\n";
  const CommandResult result = RunLlmcal({"study", study.string(), "--quiet"});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(Sha256OfFile(cached_), stories_sha_);
  EXPECT_TRUE(fs::exists(dir_ / "stories260K-logits-x2.gguf"));  // made from the cached base
  EXPECT_EQ(server.AccessLog().size(), 1u);
}

}  // namespace
}  // namespace llmcal::testing
