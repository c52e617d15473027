// Where tests find their fixtures (the repository's data/ folder, the
// paper's published tables) and the programs the build made.
#pragma once

#include <filesystem>
#include <string>

namespace llmcal::testing {

// Returns the repository's data folder, <source>/data: the benchmark copies
// and stories260K that llmcal ships (data/manifest.toml lists them). Fails
// the calling test with a clear message, and throws, when it is missing.
std::filesystem::path TestDataDir();

// Returns <source>/tests/paper_results: the paper's published change tables.
std::filesystem::path PaperResultsDir();

// Returns the build directory (where build/llmcal and the tools are).
std::filesystem::path BuildDir();

// Returns a fresh empty directory under the system temp dir, removed at exit.
std::filesystem::path FreshTempDir(const std::string& prefix);

}  // namespace llmcal::testing
