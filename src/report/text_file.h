// Writing and reading the report's own files whole.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace llmcal::report {

// Writes `text` to `path`, replacing the file.
// Throws InputError naming the path when it cannot be written.
void WriteTextFile(const std::filesystem::path& path, std::string_view text);

// Returns the bytes of the file at `path` (which may be empty).
// Throws InputError naming the path when it cannot be read.
std::string ReadTextFile(const std::filesystem::path& path);

}  // namespace llmcal::report
