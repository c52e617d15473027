// Scoring through llama.cpp's RPC back-end (a model spread over rpc-server
// hosts) equals local scoring; an unreachable server is a clear error.
// The test starts build/rpc-server on 127.0.0.1 itself.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

// A port on 127.0.0.1 that nothing listened on a moment ago.
int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// rpc-server on 127.0.0.1:port for the lifetime of this object.
class RpcServer {
 public:
  explicit RpcServer(int port) {
    pid_ = fork();
    if (pid_ == 0) {
      const std::string exe = (BuildDir() / "rpc-server").string();
      const std::string p = std::to_string(port);
      execl(exe.c_str(), exe.c_str(), "-H", "127.0.0.1", "-p", p.c_str(), "-t", "2", nullptr);
      _exit(127);
    }
  }
  ~RpcServer() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }

 private:
  pid_t pid_;
};

std::vector<nlohmann::json> ParseLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    out.push_back(nlohmann::json::parse(line));
  return out;
}

const std::string kRequests =
    R"({"id": 0, "context": "Once upon a time, there was a", "continuations": [" little girl", " dog"]})"
    "\n"
    R"({"id": 1, "context": "Question: Which is a pet?\nAnswer:", "continuations": [" A", " B"]})"
    "\n";

TEST(RpcBackend, ScoresEqualLocalScoring) {
  const int port = FreeLoopbackPort();
  RpcServer server(port);
  for (int i = 0; i < 100 && !Accepts(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(Accepts(port)) << "rpc-server did not start on port " << port;

  const std::string model = (TestDataDir() / "models" / "stories260K.gguf").string();
  // Same attention kernel on both sides: with --rpc, "auto" lets llama.cpp pick.
  const auto local = RunLlmcal({"score", "-m", model, "-t", "2", "--flash-attn", "off"}, kRequests);
  const auto remote = RunLlmcal({"score", "-m", model, "-t", "2", "--flash-attn", "off", "--rpc",
                                 "127.0.0.1:" + std::to_string(port)},
                                kRequests);
  ASSERT_EQ(local.exit_code, 0) << local.stderr_text;
  ASSERT_EQ(remote.exit_code, 0) << remote.stderr_text;
  const auto a = ParseLines(local.stdout_text), b = ParseLines(remote.stdout_text);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t k = 0; k < a[i]["continuations"].size(); ++k) {
      const auto& x = a[i]["continuations"][k];
      const auto& y = b[i]["continuations"][k];
      EXPECT_EQ(x["tokens"], y["tokens"]);
      for (std::size_t j = 0; j < x["logprobs"].size(); ++j) {
        EXPECT_NEAR(x["logprobs"][j].get<double>(), y["logprobs"][j].get<double>(), 1e-4);
      }
    }
  }
}

TEST(RpcBackend, UnreachableServerIsAClearError) {
  const int port = FreeLoopbackPort();  // nothing listens there
  const std::string model = (TestDataDir() / "models" / "stories260K.gguf").string();
  const auto r =
      RunLlmcal({"score", "-m", model, "--rpc", "127.0.0.1:" + std::to_string(port)}, kRequests);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.stderr_text.find("RPC server 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << r.stderr_text;
  EXPECT_EQ(r.stdout_text, "");
}

TEST(RpcBackend, EndpointWithoutPortIsAnInputError) {
  const std::string model = (TestDataDir() / "models" / "stories260K.gguf").string();
  const auto r = RunLlmcal({"score", "-m", model, "--rpc", "localhost"}, kRequests);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.stderr_text.find("'localhost' is not host:port"), std::string::npos) << r.stderr_text;
}

}  // namespace
}  // namespace llmcal::testing
