// Files in tests: the bytes a test puts where the code under test reads
// them, and the bytes that code (or a child process) wrote. Bytes both
// ways: nothing is translated.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace llmcal::testing {

// Writes `bytes` to `path`, replacing the file, after creating its folders.
// Fails the calling test and throws std::runtime_error when it cannot.
void WriteFile(const std::filesystem::path& path, std::string_view bytes);

// Returns the bytes of the file at `path`; "" when it is missing or cannot
// be read (a child's stderr it has not written yet reads as nothing).
std::string ReadFile(const std::filesystem::path& path);

}  // namespace llmcal::testing
