// The one-writer rule of a store: a process that writes a store (`llmcal
// run`, `llmcal merge`) first takes an exclusive advisory lock (flock) on
// "<store>.lock" beside it. A second writer is refused at once with a message
// naming the holder; the operating system releases the lock when its holder
// exits for any reason, kill -9 and power loss included, so a stale lock
// never blocks a resume. Readers (`llmcal status`) do not take it: SQLite's
// WAL lets them read while the writer commits.
#pragma once

#include <filesystem>
#include <string>

namespace llmcal::store {

class WriterLock {
 public:
  // Takes the lock of the store at `store_path`. Throws InputError naming the
  // store (and the holder's pid, host and start time, which the holder writes
  // into the lock file) when another process holds it, or when the lock file
  // cannot be created.
  explicit WriterLock(const std::filesystem::path& store_path);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

  // The lock file's path: the store's path with ".lock" appended.
  static std::filesystem::path LockPath(const std::filesystem::path& store_path);

 private:
  int fd_ = -1;
};

}  // namespace llmcal::store
