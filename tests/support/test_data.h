// Where tests find the shared, read-only fixtures (../shared/data beside the
// checkout, or $LLMCAL_TEST_DATA) and the programs the build made.
#pragma once

#include <filesystem>
#include <string>

namespace llmcal::testing {

// Returns the fixture folder: $LLMCAL_TEST_DATA when set, else
// <source>/../shared/data. Fails the calling test with a clear message, and
// throws, when the folder is missing.
std::filesystem::path TestDataDir();

// Returns the build directory (where build/llmcal and the tools are).
std::filesystem::path BuildDir();

// Returns a fresh empty directory under the system temp dir, removed at exit.
std::filesystem::path FreshTempDir(const std::string& prefix);

}  // namespace llmcal::testing
