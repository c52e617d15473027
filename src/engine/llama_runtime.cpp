#include "engine/llama_runtime.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <ggml-backend.h>
#include <ggml-rpc.h>
#include <llama.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/error.h"

namespace llmcal::engine {

namespace {

struct LogState {
  std::mutex mutex;
  bool verbose = false;
  std::vector<std::string> errors;  // since the last TakeLlamaErrors()
};

LogState& Log() {
  static LogState state;
  return state;
}

void RouteLlamaLog(ggml_log_level level, const char* text, void* /*user*/) {
  LogState& log = Log();
  std::lock_guard lock(log.mutex);
  if (level == GGML_LOG_LEVEL_ERROR) {
    std::string line = text;
    while (!line.empty() && line.back() == '\n')
      line.pop_back();
    if (log.errors.size() < 16)
      log.errors.push_back(std::move(line));
  }
  if (log.verbose)
    std::fputs(text, stderr);
}

}  // namespace

void InitLlamaRuntime(bool verbose) {
  static std::once_flag once;
  {
    std::lock_guard lock(Log().mutex);
    Log().verbose = verbose;
  }
  std::call_once(once, [] {
    llama_log_set(RouteLlamaLog, nullptr);
    llama_backend_init();
  });
}

std::string TakeLlamaErrors() {
  std::lock_guard lock(Log().mutex);
  std::string joined;
  for (const auto& e : Log().errors)
    joined += (joined.empty() ? "" : "; ") + e;
  Log().errors.clear();
  return joined.empty() ? "no details logged" : joined;
}

std::string MetaString(const llama_model* model, const char* key) {
  char buf[256];
  return llama_model_meta_val_str(model, key, buf, sizeof buf) < 0 ? std::string() : buf;
}

namespace {

// Connects to `endpoint` in a child process, so that llama.cpp's abort on a
// bad server ends the child, not us. Returns an empty string or the reason.
std::string ProbeRpcServer(const std::string& endpoint) {
  const pid_t pid = fork();
  if (pid < 0)
    return fmt::format("fork failed: {}", std::strerror(errno));
  if (pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    setenv("GGML_NO_BACKTRACE", "1", 1);  // no gdb attach on the expected abort
    ggml_backend_reg_t reg = ggml_backend_rpc_add_server(endpoint.c_str());
    _exit(reg != nullptr && ggml_backend_reg_dev_count(reg) > 0 ? 0 : 1);
  }
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return "no answer within 30 s";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return "";
  return "cannot connect, or it is not a compatible llama.cpp rpc-server";
}

}  // namespace

void RegisterRpcServers(const std::vector<std::string>& endpoints) {
  static std::set<std::string> registered;
  for (const auto& endpoint : endpoints) {
    if (registered.count(endpoint))
      continue;
    const auto colon = endpoint.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.size()) {
      throw InputError(fmt::format("--rpc: '{}' is not host:port", endpoint));
    }
    if (const std::string why = ProbeRpcServer(endpoint); !why.empty()) {
      throw EngineError(fmt::format("RPC server {}: {}", endpoint, why));
    }
    ggml_backend_register(ggml_backend_rpc_add_server(endpoint.c_str()));
    registered.insert(endpoint);
  }
}

}  // namespace llmcal::engine
