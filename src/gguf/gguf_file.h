// Reading and writing GGUF files with ggml's gguf API: owning handles for the
// gguf and ggml contexts, and PartialFile, the output that appears complete
// or not at all. (The cheap check that a file is GGUF at all, made before
// anything is created for a model, is the engine's: engine/model_file.h.)
//
// PartialFile writes beside the final path (PATH.partial) and renames into
// place on Commit(); destroyed without Commit(), it removes what it wrote.
// Not thread-safe.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>

#include "ggml.h"
#include "gguf.h"

namespace llmcal::gguf {

struct GgufDeleter {
  void operator()(gguf_context* ctx) const { gguf_free(ctx); }
};
struct GgmlDeleter {
  void operator()(ggml_context* ctx) const { ggml_free(ctx); }
};
using GgufPtr = std::unique_ptr<gguf_context, GgufDeleter>;
using GgmlPtr = std::unique_ptr<ggml_context, GgmlDeleter>;

class PartialFile {
 public:
  // Opens `out`.partial for writing.
  // Throws InputError naming `out` when it cannot be created.
  explicit PartialFile(const std::filesystem::path& out);
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  ~PartialFile();

  // Appends `size` bytes. REQUIRES: Commit() not called.
  // Throws InputError naming the output when the write fails.
  void Write(const void* data, std::size_t size);

  // Appends the zero bytes GGUF puts after a tensor's data of `tensor_bytes`
  // bytes: up to the next multiple of `alignment`.
  // REQUIRES: alignment > 0.
  void Pad(std::size_t tensor_bytes, std::size_t alignment);

  // Closes the file and renames it to the final path.
  // REQUIRES: called once. Throws InputError when closing or renaming fails.
  void Commit();

 private:
  std::filesystem::path out_;
  std::filesystem::path partial_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

// Writes the GGUF header and tensor infos of `gguf` (everything before the
// tensor data) to `file`.
void WriteGgufHeader(const gguf_context* gguf, PartialFile& file);

}  // namespace llmcal::gguf
