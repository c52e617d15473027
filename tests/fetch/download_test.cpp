// Downloads against real servers on 127.0.0.1: lighttpd for what servers do
// (whole files, Range, 404, headers, a crash mid-transfer) and a scripted
// server for what they should not (ignore Range, never answer).
#include "fetch/download.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <random>
#include <thread>

#include "common/error.h"
#include "common/sha256.h"
#include "http_servers.h"
#include "support/files.h"
#include "support/test_data.h"

namespace llmcal::fetch {
namespace {

namespace fs = std::filesystem;
using testing::LighttpdServer;
using testing::ReadFile;
using testing::ScriptedServer;
using testing::WriteFile;

std::string RandomBytes(std::size_t n, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(n, '\0');
  for (char& c : bytes)
    c = static_cast<char>(random() & 0xff);
  return bytes;
}

std::uint64_t SizeOf(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

// Fast, quiet options: a test never waits a minute for a stall.
DownloadOptions TestOptions() {
  DownloadOptions options;
  options.progress = ProgressMode::kQuiet;
  options.connect_timeout = std::chrono::seconds(5);
  options.stall_timeout = std::chrono::seconds(2);
  return options;
}

// A folder served over HTTP, with the files the tests download.
class DownloadTest : public ::testing::Test {
 protected:
  fs::path served_ = testing::FreshTempDir("llmcal-served");
  fs::path out_ = testing::FreshTempDir("llmcal-downloads");
  std::string content_ = RandomBytes(300'000, 7);
  std::string content_sha_;

  void SetUp() override {
    WriteFile(served_ / "files" / "model.gguf", content_);
    content_sha_ = Sha256OfFile(served_ / "files" / "model.gguf");
  }
};

TEST_F(DownloadTest, DownloadsTheWholeFileAndChecksItsDigest) {
  LighttpdServer server(served_);
  const fs::path dest = out_ / "sub" / "model.gguf";
  const DownloadResult result =
      Download(server.endpoint() + "/files/model.gguf", dest, content_sha_, TestOptions());
  EXPECT_TRUE(result.downloaded);
  EXPECT_EQ(result.sha256, content_sha_);
  EXPECT_EQ(result.bytes, content_.size());
  EXPECT_EQ(result.resumed_from, 0u);
  EXPECT_EQ(ReadFile(dest), content_);
  EXPECT_FALSE(fs::exists(PartialPath(dest)));
  ASSERT_EQ(server.AccessLog().size(), 1u);
  EXPECT_EQ(server.AccessLog()[0].status, 200);
  EXPECT_EQ(server.AccessLog()[0].range, "-");
}

TEST_F(DownloadTest, KeepsAFileThatIsAlreadyThereAndRight) {
  LighttpdServer server(served_);
  const fs::path dest = out_ / "model.gguf";
  WriteFile(dest, content_);
  const DownloadResult result =
      Download(server.endpoint() + "/files/model.gguf", dest, content_sha_, TestOptions());
  EXPECT_FALSE(result.downloaded);
  EXPECT_TRUE(server.AccessLog().empty());
}

TEST_F(DownloadTest, ReplacesAFileWhoseDigestIsWrong) {
  LighttpdServer server(served_);
  const fs::path dest = out_ / "model.gguf";
  WriteFile(dest, "stale");
  const DownloadResult result =
      Download(server.endpoint() + "/files/model.gguf", dest, content_sha_, TestOptions());
  EXPECT_TRUE(result.downloaded);
  EXPECT_EQ(ReadFile(dest), content_);
}

TEST_F(DownloadTest, ResumesAfterTheServerDiedMidTransfer) {
  const std::string big = RandomBytes(2'000'000, 11);
  WriteFile(served_ / "files" / "big.gguf", big);
  const std::string big_sha = Sha256OfFile(served_ / "files" / "big.gguf");
  const fs::path dest = out_ / "big.gguf";
  const std::string path = "/files/big.gguf";
  // 64 kB/s: about 31 s for the whole file, so the kill lands mid-transfer.
  LighttpdServer server(served_, {testing::Throttled(path, 64)});
  const std::string url = server.endpoint() + path;
  auto first =
      std::async(std::launch::async, [&] { return Download(url, dest, big_sha, TestOptions()); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (SizeOf(PartialPath(dest)) < 100'000 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  server.Kill();
  try {
    first.get();
    FAIL() << "the download survived its server";
  } catch (const FetchError& e) {
    EXPECT_NE(std::string(e.what()).find(url), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("next try resumes"), std::string::npos) << e.what();
  }
  const std::uint64_t kept = SizeOf(PartialPath(dest));
  ASSERT_GE(kept, 100'000u);
  ASSERT_LT(kept, big.size());
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_EQ(ReadFile(PartialPath(dest)), big.substr(0, kept));

  server.Restart({});
  const DownloadResult second = Download(url, dest, big_sha, TestOptions());
  EXPECT_EQ(second.resumed_from, kept);
  EXPECT_EQ(ReadFile(dest), big);
  EXPECT_FALSE(fs::exists(PartialPath(dest)));
  const auto log = server.AccessLog();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back().status, 206);
  EXPECT_EQ(log.back().range, "bytes=" + std::to_string(kept) + "-");
  EXPECT_EQ(log.back().bytes, std::to_string(big.size() - kept));
}

TEST_F(DownloadTest, AWholePartialFileIsFinishedWithoutItsBytesAgain) {
  // Stopped between the last byte and the rename: the server answers 416
  // (lighttpd without the total), and the expected digest shows the bytes whole.
  LighttpdServer server(served_);
  const fs::path dest = out_ / "model.gguf";
  WriteFile(PartialPath(dest), content_);
  const DownloadResult result =
      Download(server.endpoint() + "/files/model.gguf", dest, content_sha_, TestOptions());
  EXPECT_EQ(result.resumed_from, content_.size());
  EXPECT_EQ(ReadFile(dest), content_);
  ASSERT_EQ(server.AccessLog().size(), 1u);
  EXPECT_EQ(server.AccessLog()[0].status, 416);
}

TEST_F(DownloadTest, APartialFileLongerThanTheFileIsDropped) {
  LighttpdServer server(served_);
  const fs::path dest = out_ / "model.gguf";
  WriteFile(PartialPath(dest), content_ + "trailing bytes of another file");
  const DownloadResult result =
      Download(server.endpoint() + "/files/model.gguf", dest, content_sha_, TestOptions());
  EXPECT_EQ(result.resumed_from, 0u);
  EXPECT_EQ(ReadFile(dest), content_);
}

TEST_F(DownloadTest, AServerIgnoringRangeReplacesThePartialFile) {
  ScriptedServer server(ScriptedServer::Behaviour::kIgnoreRange, content_);
  const fs::path dest = out_ / "model.gguf";
  WriteFile(PartialPath(dest), std::string(1000, 'x'));  // not the file's first bytes
  const DownloadResult result =
      Download(server.endpoint() + "/model.gguf", dest, content_sha_, TestOptions());
  EXPECT_EQ(result.resumed_from, 0u);
  EXPECT_EQ(ReadFile(dest), content_);
  ASSERT_EQ(server.Requests().size(), 1u);
  EXPECT_NE(server.Requests()[0].find("Range: bytes=1000-"), std::string::npos)
      << server.Requests()[0];
}

TEST_F(DownloadTest, ADigestMismatchNamesBothAndLeavesNothing) {
  LighttpdServer server(served_);
  const fs::path dest = out_ / "model.gguf";
  const std::string wrong(64, '0');
  try {
    Download(server.endpoint() + "/files/model.gguf", dest, wrong, TestOptions());
    FAIL() << "a wrong digest was accepted";
  } catch (const FetchError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(dest.string()), std::string::npos) << message;
    EXPECT_NE(message.find(wrong), std::string::npos) << message;
    EXPECT_NE(message.find(content_sha_), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_FALSE(fs::exists(PartialPath(dest)));
}

TEST_F(DownloadTest, TheServersDigestHeaderIsChecked) {
  const std::string wrong(64, 'a');
  LighttpdServer server(served_, {testing::WithHeader("/files/model.gguf", "X-Linked-Etag",
                                                      "\\\"" + wrong + "\\\"")});
  DownloadOptions options = TestOptions();
  options.sha256_header = "X-Linked-Etag";
  const fs::path dest = out_ / "model.gguf";
  try {
    Download(server.endpoint() + "/files/model.gguf", dest, "", options);
    FAIL() << "the digest the server sent was not checked";
  } catch (const FetchError& e) {
    EXPECT_NE(std::string(e.what()).find(wrong), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("X-Linked-Etag"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dest));

  server.Restart(
      {testing::WithHeader("/files/model.gguf", "X-Linked-Etag", "\\\"" + content_sha_ + "\\\"")});
  EXPECT_EQ(Download(server.endpoint() + "/files/model.gguf", dest, "", options).sha256,
            content_sha_);
}

TEST_F(DownloadTest, AnHttpErrorNamesItsStatusAndTheUrl) {
  LighttpdServer server(served_);
  const std::string url = server.endpoint() + "/files/missing.gguf";
  try {
    Download(url, out_ / "missing.gguf", "", TestOptions());
    FAIL() << "a 404 was taken for a file";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_NE(std::string(e.what()).find(url + ": HTTP 404"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(out_ / "missing.gguf"));
  EXPECT_FALSE(fs::exists(PartialPath(out_ / "missing.gguf")));
}

TEST_F(DownloadTest, AServerThatNeverAnswersIsAnErrorNotAHang) {
  ScriptedServer server(ScriptedServer::Behaviour::kHang);
  DownloadOptions options = TestOptions();
  options.stall_timeout = std::chrono::seconds(1);
  try {
    Download(server.endpoint() + "/model.gguf", out_ / "model.gguf", "", options);
    FAIL() << "a silent server was waited for without end";
  } catch (const FetchError& e) {
    EXPECT_NE(std::string(e.what()).find("sent nothing for 1 s"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(out_ / "model.gguf"));
}

TEST_F(DownloadTest, ATokenIsSentAsBearerAuthorization) {
  LighttpdServer server(served_);
  DownloadOptions options = TestOptions();
  options.bearer_token = "hf_secret";
  Download(server.endpoint() + "/files/model.gguf", out_ / "model.gguf", "", options);
  ASSERT_EQ(server.AccessLog().size(), 1u);
  EXPECT_EQ(server.AccessLog()[0].authorization, "Bearer hf_secret");
}

TEST_F(DownloadTest, NoTokenNoAuthorization) {
  LighttpdServer server(served_);
  Download(server.endpoint() + "/files/model.gguf", out_ / "model.gguf", "", TestOptions());
  ASSERT_EQ(server.AccessLog().size(), 1u);
  EXPECT_EQ(server.AccessLog()[0].authorization, "-");
}

TEST_F(DownloadTest, AStopRequestEndsTheTransferAndKeepsItsBytes) {
  const std::string big = RandomBytes(2'000'000, 13);
  WriteFile(served_ / "files" / "big.gguf", big);
  LighttpdServer server(served_, {testing::Throttled("/files/big.gguf", 64)});
  const fs::path dest = out_ / "big.gguf";
  DownloadOptions options = TestOptions();
  options.stop_requested = [&] { return SizeOf(PartialPath(dest)) >= 100'000; };
  EXPECT_THROW(Download(server.endpoint() + "/files/big.gguf", dest, "", options), Interrupted);
  EXPECT_GE(SizeOf(PartialPath(dest)), 100'000u);
  EXPECT_FALSE(fs::exists(dest));
}

TEST(DownloadProgressText, SaysBytesShareAndRate) {
  EXPECT_EQ(DescribeDownload("m.gguf", 1'100'000, 4'200'000, 3'000'000),
            "m.gguf: 1.1 MB of 4.2 MB (26.2%), 3.0 MB/s");
  EXPECT_EQ(DescribeDownload("m.gguf", 512, std::nullopt, -1), "m.gguf: 512 B");
  EXPECT_EQ(DescribeDownload("m.gguf", 2'500'000'000, 5'000'000'000, 1500),
            "m.gguf: 2.50 GB of 5.00 GB (50.0%), 1.5 kB/s");
}

}  // namespace
}  // namespace llmcal::fetch
