#include "report/gnuplot.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <thread>

#include "report/escape.h"
#include "report/text_file.h"

extern char** environ;

namespace llmcal::report {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kLogTail = 1500;  // characters of gnuplot's output quoted in an error

bool IsExecutableFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && access(path.c_str(), X_OK) == 0;
}

// posix_spawn's attribute and file-action objects, destroyed on every path.
class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attr_);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attr_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  posix_spawn_file_actions_t* actions() { return &actions_; }
  posix_spawnattr_t* attr() { return &attr_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attr_;
};

std::string LogTail(const fs::path& log) {
  std::string text;
  try {
    text = ReadTextFile(log);
  } catch (const std::exception&) {
    return "";
  }
  if (text.size() > kLogTail)
    text = "..." + text.substr(text.size() - kLogTail);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return text.empty() ? "" : fmt::format(":\n{}", text);
}

// Waits for `pid` until `deadline`; returns its wait status, or nullopt
// when the deadline passed first.
std::optional<int> WaitUntil(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid)
      return status;
    if (done < 0 && errno != EINTR)
      return status;
    if (std::chrono::steady_clock::now() >= deadline)
      return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// The process group of the gnuplot being waited for (0: none), for
// KillChildAndStop. A pid fits in sig_atomic_t (an int) on Linux.
volatile std::sig_atomic_t g_child_group = 0;

// The report itself is being stopped (Ctrl-C, SIGTERM, SIGHUP): take the
// figure's process group down first, so that no gnuplot outlives it, then
// stop as the signal asks.
extern "C" void KillChildAndStop(int signal) {
  if (g_child_group > 0)
    kill(-static_cast<pid_t>(g_child_group), SIGKILL);
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigaction(signal, &fallback, nullptr);
  raise(signal);
}

// While one lives, a signal that stops the report kills `group` first.
class ChildGroupGuard {
 public:
  explicit ChildGroupGuard(pid_t group) {
    g_child_group = group;
    struct sigaction action {};
    action.sa_handler = KillChildAndStop;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
      sigaction(kSignals[i], &action, &previous_[i]);
  }
  ~ChildGroupGuard() {
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
      sigaction(kSignals[i], &previous_[i], nullptr);
    g_child_group = 0;
  }
  ChildGroupGuard(const ChildGroupGuard&) = delete;
  ChildGroupGuard& operator=(const ChildGroupGuard&) = delete;

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction previous_[std::size(kSignals)]{};
};

}  // namespace

std::optional<fs::path> FindProgram(const std::string& program) {
  if (program.empty())
    return std::nullopt;
  if (program.find('/') != std::string::npos) {
    if (IsExecutableFile(program))
      return fs::path(program);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    const std::size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    const fs::path candidate = fs::path(dir.empty() ? "." : std::string(dir)) / program;
    if (IsExecutableFile(candidate))
      return candidate;
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
  }
  return std::nullopt;
}

std::vector<fs::path> WriteFigureFiles(const fs::path& dir, const Figure& figure) {
  // A drawing left by an earlier report would pass for this one's.
  for (const char* stale : {".svg", ".pdf", ".log"}) {
    std::error_code ignored;
    fs::remove(dir / (figure.name + stale), ignored);
  }
  std::vector<fs::path> written = {dir / (figure.name + ".gp")};
  WriteTextFile(written.back(), figure.script);
  for (const DataFile& data : figure.data) {
    written.push_back(dir / data.file_name());
    WriteTextFile(written.back(), data.text());
  }
  return written;
}

Gnuplot::Gnuplot(fs::path executable, std::chrono::milliseconds timeout)
    : executable_(std::move(executable)), timeout_(timeout) {}

std::vector<fs::path> Gnuplot::Draw(const fs::path& dir, const Figure& figure) const {
  const fs::path absolute_dir = fs::absolute(dir);
  const fs::path script = absolute_dir / (figure.name + ".gp");
  const fs::path log = absolute_dir / (figure.name + ".log");
  const std::string program = executable_.string();
  const std::string cd = "cd " + GnuplotString(absolute_dir.string());
  const std::string script_arg = script.string();
  std::vector<char*> argv = {const_cast<char*>(program.c_str()), const_cast<char*>("-e"),
                             const_cast<char*>(cd.c_str()), const_cast<char*>(script_arg.c_str()),
                             nullptr};
  SpawnSetup setup;
  posix_spawn_file_actions_addopen(setup.actions(), 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(setup.actions(), 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(setup.actions(), 1, 2);
  posix_spawnattr_setflags(setup.attr(), POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(setup.attr(), 0);
  pid_t pid = 0;
  const int spawn_error =
      posix_spawn(&pid, program.c_str(), setup.actions(), setup.attr(), argv.data(), environ);
  if (spawn_error != 0) {
    throw FigureError(fmt::format("figure '{}': cannot start {}: {}", figure.name, program,
                                  std::strerror(spawn_error)));
  }
  const ChildGroupGuard guard(pid);
  const std::optional<int> status = WaitUntil(pid, std::chrono::steady_clock::now() + timeout_);
  if (!status) {
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    throw FigureError(fmt::format(
        "figure '{}': gnuplot ran past the time limit of {} s per figure; {} and every process "
        "it started were killed (raise the limit with --gnuplot-timeout){}",
        figure.name, std::chrono::duration<double>(timeout_).count(), program, LogTail(log)));
  }
  if (WIFSIGNALED(*status)) {
    throw FigureError(fmt::format("figure '{}': gnuplot was killed by signal {}{}", figure.name,
                                  WTERMSIG(*status), LogTail(log)));
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    throw FigureError(fmt::format("figure '{}': gnuplot exited with status {} (script {}){}",
                                  figure.name, WEXITSTATUS(*status), script.string(),
                                  LogTail(log)));
  }
  const std::vector<fs::path> drawn = {absolute_dir / (figure.name + ".svg"),
                                       absolute_dir / (figure.name + ".pdf")};
  for (const fs::path& out : drawn) {
    std::error_code ec;
    if (!fs::is_regular_file(out, ec) || fs::file_size(out, ec) == 0) {
      throw FigureError(fmt::format("figure '{}': gnuplot wrote no {}{}", figure.name,
                                    out.filename().string(), LogTail(log)));
    }
  }
  std::error_code ignored;
  fs::remove(log, ignored);
  return drawn;
}

}  // namespace llmcal::report
