// Where llmcal finds its data folder (benchmarks, data/manifest.toml, the
// demo's model), so that `build/llmcal` works from any working directory and
// an installed llmcal finds what `cmake --install` put beside it. The first
// of these wins:
//
//   1. --data DIR                      (the command line)
//   2. $LLMCAL_DATA                    (the environment)
//   3. <repo>/data                     the nearest folder above the executable
//                                      holding data/manifest.toml: build/llmcal
//                                      and test programs under build/ find
//                                      the repository's data/
//   4. <exe>/../share/llmcal/data, then the configured install prefix's
//      share/llmcal/data               (an installed llmcal)
//
//   const std::filesystem::path dir = data::RequireDataDir(flags.data);
//
// The lookup is a pure function of DataDirLookup, so tests give it any
// executable path and environment; CurrentLookup() fills it from the
// running process.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace llmcal::data {

// The environment variable that names the data folder.
inline constexpr const char* kDataEnvironmentVariable = "LLMCAL_DATA";

struct DataDirLookup {
  std::string flag;                   // --data as given; empty when not given
  std::string environment;            // $LLMCAL_DATA; empty when unset or empty
  std::filesystem::path executable;   // this program's path; empty when unknown
  std::filesystem::path install_dir;  // <prefix>/share/llmcal/data as configured; may be empty
};

struct FoundDataDir {
  std::filesystem::path dir;
  std::string how;  // "--data", "LLMCAL_DATA", "beside the executable", "install prefix"
};

// Returns the data folder by the order above, or nullopt when no step finds
// one. Throws InputError when --data or $LLMCAL_DATA names something that is
// not a folder (naming which), rather than silently looking further.
std::optional<FoundDataDir> FindDataDir(const DataDirLookup& lookup);

// Returns the lookup for the running process: `flag`, $LLMCAL_DATA,
// /proc/self/exe and the install prefix configured at build time.
DataDirLookup CurrentLookup(const std::string& flag);

// FindDataDir(CurrentLookup(flag)), or throws InputError saying where it
// looked and how to point llmcal at a data folder.
std::filesystem::path RequireDataDir(const std::string& flag);

// FindDataDir(CurrentLookup(flag)) as a plain path: nullopt when none is found.
std::optional<std::filesystem::path> DefaultDataDir(const std::string& flag);

}  // namespace llmcal::data
