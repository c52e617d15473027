#include "common/error.h"

#include <fmt/format.h>

namespace llmcal {

InputError InputError::At(const std::string& file, std::int64_t line, const std::string& field,
                          const std::string& what) {
  std::string where = file;
  if (line > 0)
    where += fmt::format(":{}", line);
  if (!field.empty())
    where += fmt::format(": field '{}'", field);
  return InputError(fmt::format("{}: {}", where, what));
}

}  // namespace llmcal
