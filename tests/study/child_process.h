// A program started in the background (fork + exec), for tests that act on
// a running `llmcal run`: poll it, signal it, kill it. Its stdout and stderr
// go to files. The destructor kills and reaps a child still running.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace llmcal::testing {

class ChildProcess {
 public:
  // Starts `program` with `args`; stdout and stderr go to `out` and `err`.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::filesystem::path& out, const std::filesystem::path& err);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signal) const;
  // Waits for the child; returns its exit status, or 128 + N when signal N killed it.
  int Wait();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

}  // namespace llmcal::testing
