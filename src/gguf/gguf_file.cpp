#include "gguf/gguf_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "common/error.h"

namespace llmcal::gguf {

PartialFile::PartialFile(const std::filesystem::path& out)
    : out_(out), partial_(out.string() + ".partial") {
  file_ = std::fopen(partial_.string().c_str(), "wb");
  if (file_ == nullptr) {
    throw InputError(fmt::format("{}: cannot write: {}", out.string(), std::strerror(errno)));
  }
}

PartialFile::~PartialFile() {
  if (file_ != nullptr) {
    std::fclose(file_);
  }
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(partial_, ignored);
  }
}

void PartialFile::Write(const void* data, std::size_t size) {
  if (std::fwrite(data, 1, size, file_) != size) {
    throw InputError(fmt::format("{}: write failed: {}", out_.string(), std::strerror(errno)));
  }
}

void PartialFile::Pad(std::size_t tensor_bytes, std::size_t alignment) {
  static constexpr char kZeros[64] = {};
  for (std::size_t left = (alignment - tensor_bytes % alignment) % alignment; left > 0;) {
    const std::size_t n = std::min(left, sizeof(kZeros));
    Write(kZeros, n);
    left -= n;
  }
}

void PartialFile::Commit() {
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) {
    throw InputError(fmt::format("{}: write failed: {}", out_.string(), std::strerror(errno)));
  }
  std::error_code error;
  std::filesystem::rename(partial_, out_, error);
  if (error) {
    throw InputError(fmt::format("{}: cannot write: {}", out_.string(), error.message()));
  }
  committed_ = true;
}

void WriteGgufHeader(const gguf_context* gguf, PartialFile& file) {
  std::vector<std::uint8_t> header(gguf_get_meta_size(gguf));
  gguf_get_meta_data(gguf, header.data());
  file.Write(header.data(), header.size());
}

}  // namespace llmcal::gguf
