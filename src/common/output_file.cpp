#include "common/output_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "common/error.h"

namespace llmcal {

namespace {

// `error` is 0 when the failing write happened earlier (a buffer flushed
// while the output was written) and its errno is gone.
[[noreturn]] void Fail(const std::string& name, const char* what, int error) {
  throw InputError::At(name, 0, "",
                       fmt::format("{}: {}", what,
                                   error != 0 ? std::strerror(error)
                                              : "a write failed (a full disk, or a closed "
                                                "device or pipe)"));
}

}  // namespace

void WriteOutputFile(const std::filesystem::path& path, std::string_view text) {
  const std::string name = path.string();
  std::FILE* file = std::fopen(name.c_str(), "wb");
  if (file == nullptr)
    Fail(name, "cannot write", errno);
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size() &&
                       std::fflush(file) == 0 && !std::ferror(file);
  const int write_error = errno;
  const bool closed = std::fclose(file) == 0;
  if (!written)
    Fail(name, "cannot write", write_error);
  if (!closed)
    Fail(name, "cannot write (closing the file failed)", errno);
}

void FinishStandardOutput() {
  std::cout.flush();
  const bool stream_ok = !std::cout.fail();
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0 && !std::ferror(stdout);
  const int flush_error = errno;
  const bool closed = std::fclose(stdout) == 0;
  const int close_error = errno;
  if (!stream_ok || !flushed)
    Fail("standard output", "cannot write", flush_error);
  if (!closed)
    Fail("standard output", "cannot write (closing it failed)", close_error);
}

}  // namespace llmcal
