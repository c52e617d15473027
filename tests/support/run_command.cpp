#include "support/run_command.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "support/test_data.h"

namespace llmcal::testing {

namespace {

void CheckSyscall(int rc, const char* what) {
  if (rc < 0)
    throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

// Feeds `input` to `in_fd` while draining `out_fd` and `err_fd`, so that a
// child writing more than a pipe buffer never deadlocks against us.
void Pump(int in_fd, const std::string& input, int out_fd, int err_fd, CommandResult& result) {
  size_t written = 0;
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    pollfd fds[3] = {{out_open ? out_fd : -1, POLLIN, 0},
                     {err_open ? err_fd : -1, POLLIN, 0},
                     {in_fd, POLLOUT, 0}};
    CheckSyscall(poll(fds, 3, -1), "poll");
    if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
      ssize_t n = write(in_fd, input.data() + written, input.size() - written);
      if (n > 0)
        written += static_cast<size_t>(n);
      if (n < 0 || written == input.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
      } else {
        (i == 0 ? result.stdout_text : result.stderr_text).append(buf, static_cast<size_t>(n));
      }
    }
  }
  if (in_fd >= 0)
    close(in_fd);
}

}  // namespace

CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdin_text) {
  int in[2], out[2], err[2];
  CheckSyscall(pipe(in), "pipe");
  CheckSyscall(pipe(out), "pipe");
  CheckSyscall(pipe(err), "pipe");
  pid_t pid = fork();
  CheckSyscall(pid, "fork");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]})
      close(fd);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  signal(SIGPIPE, SIG_IGN);
  CommandResult result;
  Pump(in[1], stdin_text, out[0], err[0], result);
  close(out[0]);
  close(err[0]);
  int status = 0;
  CheckSyscall(waitpid(pid, &status, 0), "waitpid");
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

CommandResult RunLlmcal(const std::vector<std::string>& args, const std::string& stdin_text) {
  return RunCommand((BuildDir() / "llmcal").string(), args, stdin_text);
}

}  // namespace llmcal::testing
