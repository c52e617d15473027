#include "data/data_dir.h"

#include <fmt/format.h>

#include <cstdlib>

#include "common/error.h"
#include "data/manifest.h"

namespace llmcal::data {
namespace {

namespace fs = std::filesystem;

bool IsDataFolder(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / kManifestName, ec);
}

// A folder named by the user (flag or environment) must exist: a typo must
// not silently fall back to another folder.
fs::path NamedFolder(const std::string& value, const std::string& what) {
  std::error_code ec;
  if (!fs::is_directory(value, ec))
    throw InputError(fmt::format("{}{}: no such folder", what, value));
  return fs::path(value);
}

// The nearest ancestor of the executable's folder that holds data/manifest.toml.
std::optional<fs::path> RepositoryData(const fs::path& executable) {
  if (executable.empty())
    return std::nullopt;
  for (fs::path dir = executable.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (IsDataFolder(dir / "data"))
      return dir / "data";
    if (dir == dir.root_path())
      break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<FoundDataDir> FindDataDir(const DataDirLookup& lookup) {
  if (!lookup.flag.empty())
    return FoundDataDir{NamedFolder(lookup.flag, "--data "), "--data"};
  if (!lookup.environment.empty())
    return FoundDataDir{
        NamedFolder(lookup.environment, std::string(kDataEnvironmentVariable) + "="),
        kDataEnvironmentVariable};
  if (std::optional<fs::path> repo = RepositoryData(lookup.executable))
    return FoundDataDir{*repo, "beside the executable"};
  if (!lookup.executable.empty()) {
    const fs::path prefix_relative =
        (lookup.executable.parent_path() / ".." / "share" / "llmcal" / "data").lexically_normal();
    if (IsDataFolder(prefix_relative))
      return FoundDataDir{prefix_relative, "install prefix"};
  }
  if (!lookup.install_dir.empty() && IsDataFolder(lookup.install_dir))
    return FoundDataDir{lookup.install_dir, "install prefix"};
  return std::nullopt;
}

DataDirLookup CurrentLookup(const std::string& flag) {
  DataDirLookup lookup;
  lookup.flag = flag;
  if (const char* env = std::getenv(kDataEnvironmentVariable); env != nullptr)
    lookup.environment = env;
  std::error_code ec;
  lookup.executable = fs::read_symlink("/proc/self/exe", ec);
  lookup.install_dir = LLMCAL_INSTALL_DATA_DIR;
  return lookup;
}

std::filesystem::path RequireDataDir(const std::string& flag) {
  const DataDirLookup lookup = CurrentLookup(flag);
  if (std::optional<FoundDataDir> found = FindDataDir(lookup))
    return found->dir;
  throw InputError(fmt::format(
      "no data folder: give --data DIR or set {} (looked for data/{} above {}, and in {})",
      kDataEnvironmentVariable, kManifestName, lookup.executable.parent_path().string(),
      lookup.install_dir.string()));
}

std::optional<std::filesystem::path> DefaultDataDir(const std::string& flag) {
  if (std::optional<FoundDataDir> found = FindDataDir(CurrentLookup(flag)))
    return found->dir;
  return std::nullopt;
}

}  // namespace llmcal::data
