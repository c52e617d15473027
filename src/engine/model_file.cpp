#include "engine/model_file.h"

#include <gguf.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "common/error.h"

namespace llmcal::engine {

std::string ModelFileProblem(const std::filesystem::path& path) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    return "cannot read: " + ec.message();
  if (!std::filesystem::exists(status))
    return "no such model file";
  if (!std::filesystem::is_regular_file(status))
    return "not a regular file";
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::string("cannot read: ") + std::strerror(errno);
  std::array<char, 4> magic{};
  in.read(magic.data(), magic.size());
  if (in.gcount() < static_cast<std::streamsize>(magic.size()) ||
      std::memcmp(magic.data(), GGUF_MAGIC, magic.size()) != 0) {
    return "not a GGUF file (it does not start with the GGUF magic)";
  }
  return "";
}

void CheckModelFile(const std::filesystem::path& path) {
  if (const std::string problem = ModelFileProblem(path); !problem.empty())
    throw InputError::At(path.string(), 0, "", problem);
}

}  // namespace llmcal::engine
