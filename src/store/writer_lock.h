// The one-writer rule of a store: a process that writes a store (`llmcal
// run`, `llmcal merge`) first takes an exclusive advisory lock (flock) on the
// store file itself, so the lock belongs to the file's identity (device and
// inode), not to the name it was opened by: a hard link, a symbolic link or
// another spelling of the path reaches the same lock. A second writer is
// refused at once with a message naming the holder's pid; the operating
// system releases the lock when its holder exits for any reason, kill -9
// and power loss included, so a stale lock never blocks a resume. No lock
// file is created, so no link planted beside a store can make the tool write
// into another file. Readers (`llmcal status`) do not take the lock: SQLite
// lets them read while the writer commits.
//
// What it cannot do (docs/store.md): protect a store on a network file
// system (flock there is emulated or local to one machine), or a copy of the
// store (another file, another identity).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace llmcal::store {

class WriterLock {
 public:
  // Opens the store file at `store_path` and locks it; creates it (empty,
  // mode 0644) when missing, without following a symbolic link, so a
  // dangling link is refused rather than followed to a file the tool did
  // not create. Throws InputError naming the store when another process
  // holds the lock (with the holder's pid when the system says), when the
  // path is not a regular file, or when it cannot be opened or created.
  explicit WriterLock(const std::filesystem::path& store_path);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

  // True when `path` names the locked file (same device and inode): checked
  // after SQLite opened the store by its path, so a path replaced in between
  // is refused.
  bool Holds(const std::filesystem::path& path) const;

 private:
  int fd_ = -1;
  dev_t device_ = 0;
  ino_t inode_ = 0;
};

}  // namespace llmcal::store
