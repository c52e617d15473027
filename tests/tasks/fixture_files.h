// Small helpers for the tasks suites: writing fixture files into a fresh
// temporary folder, loading them as a task, and catching load errors.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.h"
#include "tasks/task_loader.h"

namespace llmcal::tasks::testing {

// Writes `content` to dir/relative (creating folders) and returns the path.
inline std::filesystem::path WriteFile(const std::filesystem::path& dir,
                                       const std::string& relative, const std::string& content) {
  const std::filesystem::path path = dir / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  return path;
}

// Loads built-in task `name` (or "custom") from one file or folder.
inline Task LoadFrom(const std::string& name, const std::filesystem::path& path,
                     const LoadOptions& options = {}) {
  const std::string arg = name == "custom" ? "custom:" + path.string() : name + "=" + path.string();
  return LoadTask(ParseTaskRef(arg), std::nullopt, options);
}

// Returns the message of the InputError that loading throws; fails the test
// (and returns "") when it loads or throws something else.
inline std::string LoadError(const std::string& name, const std::filesystem::path& path,
                             const LoadOptions& options = {}) {
  try {
    LoadFrom(name, path, options);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "loading " << path << " as " << name << " did not fail";
  return "";
}

}  // namespace llmcal::tasks::testing
