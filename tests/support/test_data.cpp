#include "support/test_data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <random>
#include <stdexcept>

namespace llmcal::testing {

namespace {

// `dir`, canonical; fails the calling test and throws when it is missing.
std::filesystem::path ExistingFolder(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    const std::string msg = "test fixtures not found at " + dir.string();
    ADD_FAILURE() << msg;
    throw std::runtime_error(msg);
  }
  return std::filesystem::canonical(dir);
}

}  // namespace

std::filesystem::path TestDataDir() {
  return ExistingFolder(std::filesystem::path(LLMCAL_SOURCE_DIR) / "data");
}

std::filesystem::path PaperResultsDir() {
  return ExistingFolder(std::filesystem::path(LLMCAL_SOURCE_DIR) / "tests" / "paper_results");
}

std::filesystem::path BuildDir() {
  return LLMCAL_BINARY_DIR;
}

namespace {
// Removes the directories FreshTempDir made when the test program exits.
struct TempDirRegistry {
  std::vector<std::filesystem::path> dirs;
  ~TempDirRegistry() {
    for (const auto& d : dirs) {
      std::error_code ec;
      std::filesystem::remove_all(d, ec);
    }
  }
};
TempDirRegistry& Registry() {
  static TempDirRegistry registry;
  return registry;
}
}  // namespace

std::filesystem::path FreshTempDir(const std::string& prefix) {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto dir = std::filesystem::temp_directory_path() /
               (prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
    if (std::filesystem::create_directory(dir)) {
      Registry().dirs.push_back(dir);
      return dir;
    }
  }
  throw std::runtime_error("could not create a temporary directory");
}

}  // namespace llmcal::testing
