// HTTP servers for the download tests, started and stopped by the tests
// themselves on 127.0.0.1 at a free port; every wait is bounded.
//
// LighttpdServer is a real server (Debian's lighttpd, which honours Range)
// serving a folder laid out as the hub and as data sources, with an access
// log of status, bytes, request line, Range and Authorization per request,
// optional throttling and extra response headers per URL, and Kill() to stop
// it mid-transfer. ScriptedServer plays what no real server should do:
// answer a Range request with the whole file, or accept and never answer.
#pragma once

#include <sys/types.h>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace llmcal::testing {

// What lighttpd does differently for one URL path ("/a/b.gguf").
struct UrlRule {
  std::string path;
  int kbytes_per_second = 0;                   // 0: no throttle
  std::map<std::string, std::string> headers;  // added to the response
};

// A rule that throttles `path` to `kbytes_per_second`.
inline UrlRule Throttled(std::string path, int kbytes_per_second) {
  UrlRule rule;
  rule.path = std::move(path);
  rule.kbytes_per_second = kbytes_per_second;
  return rule;
}

// A rule that adds the header `name: value` to the responses for `path`
// (a value in lighttpd's configuration syntax: \" for a quote).
inline UrlRule WithHeader(std::string path, std::string name, std::string value) {
  UrlRule rule;
  rule.path = std::move(path);
  rule.headers[std::move(name)] = std::move(value);
  return rule;
}

// One request as lighttpd logged it.
struct AccessLogLine {
  int status = 0;
  std::string bytes;          // "-" when none
  std::string request;        // "GET /x HTTP/1.1"
  std::string range;          // "-" when none
  std::string authorization;  // "-" when none
};

class LighttpdServer {
 public:
  // Starts lighttpd serving `root` (fails the test and throws when it does
  // not answer within 10 s).
  explicit LighttpdServer(std::filesystem::path root, std::vector<UrlRule> rules = {});
  ~LighttpdServer();  // stops it (SIGTERM, SIGKILL after 5 s) and reaps it
  LighttpdServer(const LighttpdServer&) = delete;
  LighttpdServer& operator=(const LighttpdServer&) = delete;

  // "http://127.0.0.1:PORT"
  std::string endpoint() const;
  // Kills the server at once (SIGKILL), as a crash or a pulled cable would.
  void Kill();
  // Starts it again on the same port with `rules`.
  void Restart(std::vector<UrlRule> rules);
  // Every request logged so far, oldest first.
  std::vector<AccessLogLine> AccessLog() const;

 private:
  void Start();
  void Stop(int signal);
  // Makes a running lighttpd write out its buffered access log.
  void FlushAccessLog() const;

  std::filesystem::path root_;
  std::filesystem::path dir_;  // config and logs
  std::vector<UrlRule> rules_;
  int port_ = 0;
  pid_t pid_ = -1;
};

class ScriptedServer {
 public:
  enum class Behaviour {
    kIgnoreRange,  // every request: 200 and the whole body, whatever its Range
    kHang,         // connections are never accepted, so no request is answered
  };

  ScriptedServer(Behaviour behaviour, std::string body = "");
  ~ScriptedServer();  // stops the thread (within 100 ms) and closes the socket
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::string endpoint() const;
  // The head (request line and headers) of each request answered.
  std::vector<std::string> Requests() const;

 private:
  void Serve();

  Behaviour behaviour_;
  std::string body_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace llmcal::testing
