#include "store/writer_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace llmcal::store {

namespace {

// Returns "pid N" of the process holding a flock on (device, inode), read
// from /proc/locks, or "" when the system does not say (not Linux, or the
// holder is in another pid namespace).
std::string FindHolder(dev_t device, ino_t inode) {
  std::ifstream locks("/proc/locks");
  const std::string id = fmt::format("{:02x}:{:02x}:{}", major(device), minor(device),
                                     static_cast<unsigned long long>(inode));
  for (std::string line; std::getline(locks, line);) {
    // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"
    std::istringstream fields(line);
    std::string number, kind, advisory, access, pid, file;
    fields >> number >> kind >> advisory >> access >> pid >> file;
    if (kind == "FLOCK" && file == id)
      return "pid " + pid;
  }
  return "";
}

[[noreturn]] void Fail(const std::filesystem::path& path, const std::string& what, int error) {
  throw InputError::At(path.string(), 0, "", fmt::format("{}: {}", what, std::strerror(error)));
}

// Opens the existing file at `path` (following a link to an existing file:
// the lock is on what it reaches), or creates it, never through a link.
int OpenOrCreate(const std::filesystem::path& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat refuses it next.
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0 || errno != ENOENT)
    return fd;
  const int made = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (made < 0 && errno == EEXIST) {
    std::error_code ec;
    if (std::filesystem::is_symlink(path, ec)) {
      throw InputError::At(path.string(), 0, "",
                           "a symbolic link to a missing file; llmcal creates a new store only "
                           "as a plain file, never through a link");
    }
    return open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);  // created in between
  }
  return made;
}

}  // namespace

WriterLock::WriterLock(const std::filesystem::path& store_path) {
  fd_ = OpenOrCreate(store_path);
  if (fd_ < 0)
    Fail(store_path, "cannot open the store for writing", errno);
  struct stat info {};
  if (fstat(fd_, &info) != 0) {
    const int error = errno;
    close(fd_);
    Fail(store_path, "cannot read the store's file status", error);
  }
  device_ = info.st_dev;
  inode_ = info.st_ino;
  if (!S_ISREG(info.st_mode)) {
    close(fd_);
    throw InputError::At(store_path.string(), 0, "", "not a regular file, so not an llmcal store");
  }
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    close(fd_);
    if (error != EWOULDBLOCK)
      Fail(store_path, "cannot lock the store", error);
    const std::string holder = FindHolder(device_, inode_);
    throw InputError::At(
        store_path.string(), 0, "",
        fmt::format("another llmcal process is writing this store ({}), perhaps through "
                    "another path to the same file (a link); wait for it to finish, or stop it "
                    "(Ctrl-C keeps what it has stored)",
                    holder.empty() ? "holder unknown" : holder));
  }
}

WriterLock::~WriterLock() {
  if (fd_ >= 0)
    close(fd_);  // releases the flock
}

bool WriterLock::Holds(const std::filesystem::path& path) const {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && info.st_dev == device_ && info.st_ino == inode_;
}

}  // namespace llmcal::store
