#include "report/text_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/output_file.h"

namespace llmcal::report {

void WriteTextFile(const std::filesystem::path& path, std::string_view text) {
  WriteOutputFile(path, text);
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
