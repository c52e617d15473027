#include "store/file_digest.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "common/error.h"

namespace llmcal::store {

namespace {

// Large reads keep a multi-gigabyte model at disk speed.
constexpr std::size_t kReadBlock = 8 << 20;

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

// Closes a file descriptor on scope exit.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0)
      close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

InputError FileError(const std::filesystem::path& path, const std::string& what) {
  return InputError::At(path.string(), 0, "", what);
}

std::string Hex(const unsigned char* bytes, unsigned int n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(2 * n, '0');
  for (unsigned int i = 0; i < n; ++i) {
    hex[2 * i] = kDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return hex;
}

}  // namespace

std::string Sha256OfFile(const std::filesystem::path& path) {
  FileDescriptor fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    throw FileError(path, std::string("cannot open: ") + std::strerror(errno));
  posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  std::unique_ptr<EVP_MD_CTX, DigestContextFree> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
    throw FileError(path, "OpenSSL could not start a SHA-256 digest");
  std::vector<unsigned char> block(kReadBlock);
  for (;;) {
    const ssize_t n = read(fd.get(), block.data(), block.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      throw FileError(path, std::string("read error: ") + std::strerror(errno));
    if (n == 0)
      break;
    EVP_DigestUpdate(context.get(), block.data(), static_cast<std::size_t>(n));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context.get(), digest, &length) != 1)
    throw FileError(path, "OpenSSL could not finish the SHA-256 digest");
  return Hex(digest, length);
}

FileFingerprint StatFile(const std::filesystem::path& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0)
    throw FileError(path, std::string("cannot read: ") + std::strerror(errno));
  if (!S_ISREG(info.st_mode))
    throw FileError(path, "not a regular file");
  FileFingerprint print;
  print.path = std::filesystem::absolute(path).lexically_normal().string();
  print.size = static_cast<std::uint64_t>(info.st_size);
  print.mtime_ns =
      static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
  return print;
}

bool FillDigest(FileFingerprint& print, const std::optional<FileFingerprint>& known) {
  if (known && known->path == print.path && known->size == print.size &&
      known->mtime_ns == print.mtime_ns && !known->sha256.empty()) {
    print.sha256 = known->sha256;
    return false;
  }
  print.sha256 = Sha256OfFile(print.path);
  return true;
}

FileFingerprint FingerprintFile(const std::filesystem::path& path,
                                const std::optional<FileFingerprint>& known) {
  FileFingerprint print = StatFile(path);
  FillDigest(print, known);
  return print;
}

}  // namespace llmcal::store
