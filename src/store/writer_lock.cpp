#include "store/writer_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "common/error.h"

namespace llmcal::store {

namespace {

std::string ReadHolder(int fd) {
  char text[512] = {};
  const ssize_t n = pread(fd, text, sizeof text - 1, 0);
  std::string holder = n > 0 ? std::string(text, static_cast<std::size_t>(n)) : "";
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' '))
    holder.pop_back();
  return holder;
}

// "pid 1234 on host since 2026-11-28T12:00:00Z": what a refused writer is told.
std::string DescribeSelf() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return fmt::format("pid {} on {} since {}\n", getpid(), host, when);
}

}  // namespace

std::filesystem::path WriterLock::LockPath(const std::filesystem::path& store_path) {
  std::filesystem::path lock = store_path;
  lock += ".lock";
  return lock;
}

WriterLock::WriterLock(const std::filesystem::path& store_path) {
  const std::filesystem::path path = LockPath(store_path);
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw InputError::At(
        path.string(), 0, "",
        std::string("cannot create the store's lock file: ") + std::strerror(errno));
  }
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = ReadHolder(fd_);
    close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      throw InputError::At(
          store_path.string(), 0, "",
          fmt::format("another llmcal process is writing this store ({}); wait for it to "
                      "finish, or stop it (Ctrl-C keeps what it has stored)",
                      holder.empty() ? "holder unknown" : holder));
    }
    throw InputError::At(path.string(), 0, "",
                         std::string("cannot lock the store: ") + std::strerror(error));
  }
  const std::string self = DescribeSelf();
  if (ftruncate(fd_, 0) == 0) {
    // Informative only: a failed write leaves a refused writer with a vaguer message.
    [[maybe_unused]] const ssize_t written = pwrite(fd_, self.data(), self.size(), 0);
  }
}

WriterLock::~WriterLock() {
  if (fd_ >= 0)
    close(fd_);  // releases the flock
}

}  // namespace llmcal::store
