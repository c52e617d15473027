#include "report/text_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace llmcal::report {

void WriteTextFile(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out)
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out)
    throw InputError::At(path.string(), 0, "",
                         std::string("cannot write: ") + std::strerror(errno));
}

std::string ReadTextFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in)
    text << in.rdbuf();
  if (!in || in.bad())
    throw InputError::At(path.string(), 0, "", std::string("cannot read: ") + std::strerror(errno));
  return text.str();
}

}  // namespace llmcal::report
