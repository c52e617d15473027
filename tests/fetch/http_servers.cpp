#include "http_servers.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/test_data.h"

namespace llmcal::testing {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Fail(const std::string& message) {
  ADD_FAILURE() << message;
  throw std::runtime_error(message);
}

// A socket bound to 127.0.0.1 at a port the kernel chose.
int BoundSocket(int& port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    Fail(std::string("cannot bind a socket on 127.0.0.1: ") + std::strerror(errno));
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

fs::path LighttpdProgram() {
  for (const char* candidate : {"/usr/sbin/lighttpd", "/usr/bin/lighttpd"}) {
    if (access(candidate, X_OK) == 0)
      return candidate;
  }
  Fail("lighttpd not found: scripts/setup.sh installs it (Debian package lighttpd)");
}

// lighttpd's configuration: the folder, the port, the access log, and per
// URL a throttle and extra headers.
std::string Config(const fs::path& root, const fs::path& dir, int port,
                   const std::vector<UrlRule>& rules) {
  std::string config = fmt::format(
      "server.document-root = \"{}\"\n"
      "server.port = {}\n"
      "server.bind = \"127.0.0.1\"\n"
      "server.errorlog = \"{}\"\n"
      "server.modules += (\"mod_accesslog\", \"mod_setenv\")\n"
      "accesslog.filename = \"{}\"\n"
      "accesslog.format = \"%s %b \\\"%r\\\" \\\"%{{Range}}i\\\" \\\"%{{Authorization}}i\\\"\"\n"
      "mimetype.assign = (\"\" => \"application/octet-stream\")\n",
      root.string(), port, (dir / "error.log").string(), (dir / "access.log").string());
  for (const UrlRule& rule : rules) {
    config += fmt::format("$HTTP[\"url\"] == \"{}\" {{\n", rule.path);
    if (rule.kbytes_per_second > 0)
      config += fmt::format("  connection.kbytes-per-second = {}\n", rule.kbytes_per_second);
    if (!rule.headers.empty()) {
      config += "  setenv.add-response-header = (";
      bool first = true;
      for (const auto& [name, value] : rule.headers) {
        config += fmt::format("{}\"{}\" => \"{}\"", first ? "" : ", ", name, value);
        first = false;
      }
      config += ")\n";
    }
    config += "}\n";
  }
  return config;
}

// Reaps `pid`, waiting at most `limit`; returns true when it ended.
bool ReapWithin(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid || done < 0)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

LighttpdServer::LighttpdServer(fs::path root, std::vector<UrlRule> rules)
    : root_(std::move(root)), dir_(FreshTempDir("llmcal-lighttpd")), rules_(std::move(rules)) {
  Start();
}

LighttpdServer::~LighttpdServer() {
  Stop(SIGTERM);
}

std::string LighttpdServer::endpoint() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

void LighttpdServer::Kill() {
  Stop(SIGKILL);
}

void LighttpdServer::Restart(std::vector<UrlRule> rules) {
  Stop(SIGTERM);
  rules_ = std::move(rules);
  Start();
}

void LighttpdServer::Start() {
  const fs::path program = LighttpdProgram();
  // The port is free when chosen; should another process take it before
  // lighttpd binds it, lighttpd exits and the next attempt picks another.
  const bool keep_port = port_ != 0;
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (!keep_port) {
      const int probe = BoundSocket(port_);
      close(probe);
    }
    const fs::path config = dir_ / "lighttpd.conf";
    std::ofstream(config) << Config(root_, dir_, port_, rules_);
    pid_ = fork();
    if (pid_ < 0)
      Fail("fork failed");
    if (pid_ == 0) {
      execl(program.c_str(), program.c_str(), "-D", "-f", config.c_str(), nullptr);
      _exit(127);
    }
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
      if (Accepts(port_))
        return;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;  // it exited: the port was taken, or the configuration is wrong
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Stop(SIGKILL);
  }
  std::stringstream log;
  log << std::ifstream(dir_ / "error.log").rdbuf();
  Fail(fmt::format("lighttpd did not start on port {}: {}", port_, log.str()));
}

void LighttpdServer::Stop(int signal) {
  if (pid_ <= 0)
    return;
  kill(pid_, signal);
  if (!ReapWithin(pid_, std::chrono::seconds(5))) {
    kill(pid_, SIGKILL);
    ReapWithin(pid_, std::chrono::seconds(5));
  }
  pid_ = -1;
}

namespace {

// The lines of `path` holding `text`.
std::size_t CountLines(const fs::path& path, const std::string& text) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);)
    n += line.find(text) != std::string::npos;
  return n;
}

}  // namespace

void LighttpdServer::FlushAccessLog() const {
  if (pid_ <= 0)
    return;  // a server that stopped has written everything
  // lighttpd buffers its access log for up to 4 s; SIGHUP makes it flush
  // and reopen its logs, and then say so in the error log.
  constexpr const char* kCycled = "logfiles cycled";
  const fs::path errors = dir_ / "error.log";
  const std::size_t before = CountLines(errors, kCycled);
  kill(pid_, SIGHUP);
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (CountLines(errors, kCycled) == before && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

std::vector<AccessLogLine> LighttpdServer::AccessLog() const {
  FlushAccessLog();
  std::vector<AccessLogLine> lines;
  std::ifstream in(dir_ / "access.log");
  std::string text;
  while (std::getline(in, text)) {
    // STATUS BYTES "REQUEST" "RANGE" "AUTHORIZATION"
    AccessLogLine line;
    std::istringstream fields(text);
    fields >> line.status >> line.bytes;
    std::vector<std::string> quoted;
    for (std::size_t open = text.find('"'); open != std::string::npos;) {
      const std::size_t close = text.find('"', open + 1);
      if (close == std::string::npos)
        break;
      quoted.push_back(text.substr(open + 1, close - open - 1));
      open = text.find('"', close + 1);
    }
    if (quoted.size() == 3) {
      line.request = quoted[0];
      line.range = quoted[1];
      line.authorization = quoted[2];
    }
    lines.push_back(line);
  }
  return lines;
}

ScriptedServer::ScriptedServer(Behaviour behaviour, std::string body)
    : behaviour_(behaviour), body_(std::move(body)) {
  listener_ = BoundSocket(port_);
  if (listen(listener_, 16) != 0)
    Fail(std::string("listen failed: ") + std::strerror(errno));
  if (behaviour_ == Behaviour::kIgnoreRange)
    thread_ = std::thread([this] { Serve(); });
}

ScriptedServer::~ScriptedServer() {
  stop_ = true;
  if (thread_.joinable())
    thread_.join();
  close(listener_);
}

std::string ScriptedServer::endpoint() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

std::vector<std::string> ScriptedServer::Requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

void ScriptedServer::Serve() {
  while (!stop_) {
    pollfd ready{listener_, POLLIN, 0};
    if (poll(&ready, 1, 100) <= 0)
      continue;
    const int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0)
      continue;
    std::string head;
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (head.find("\r\n\r\n") == std::string::npos && Clock::now() < deadline) {
      pollfd readable{client, POLLIN, 0};
      if (poll(&readable, 1, 100) <= 0)
        continue;
      char buffer[4096];
      const ssize_t n = read(client, buffer, sizeof buffer);
      if (n <= 0)
        break;
      head.append(buffer, static_cast<std::size_t>(n));
    }
    {
      const std::lock_guard lock(mutex_);
      requests_.push_back(head);
    }
    const std::string response =
        fmt::format("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                    body_.size(), body_);
    for (std::size_t sent = 0; sent < response.size();) {
      const ssize_t n = send(client, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (n <= 0)
        break;
      sent += static_cast<std::size_t>(n);
    }
    close(client);
  }
}

}  // namespace llmcal::testing
