// SHA-256 of bytes and of files (OpenSSL's EVP interface), as 64 lowercase
// hex digits: the one digest llmcal uses to identify a file's content (the
// store's provenance, the data manifest, downloads).
//
//   Sha256 digest;
//   digest.Update(block.data(), block.size());   // as often as needed
//   const std::string hex = digest.Finish();     // "e3b0c442..."
//
// A Sha256 owns its OpenSSL context; it is movable, not copyable, and not
// thread-safe (one per stream of bytes).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace llmcal {

class Sha256 {
 public:
  // Throws std::runtime_error when OpenSSL cannot start a digest.
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // Adds `size` bytes at `bytes`. REQUIRES: Finish() not yet called.
  void Update(const void* bytes, std::size_t size);

  // Returns the digest of every byte added, as 64 lowercase hex digits.
  // REQUIRES: called once.
  std::string Finish();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

// Returns the SHA-256 of the file's bytes as 64 lowercase hex digits, read
// in large blocks (a 140 GB model hashes at disk speed).
// Throws InputError naming the file when it cannot be read.
std::string Sha256OfFile(const std::filesystem::path& path);

// True when `text` is 64 lowercase hex digits, the form Sha256 returns.
bool IsSha256Hex(const std::string& text);

}  // namespace llmcal
