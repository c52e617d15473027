// `llmcal data fetch`: the manifest's files of the named tasks (all by
// default) that are missing or do not match, downloaded from their pinned
// upstream URLs (or a mirror: --endpoint, LLMCAL_DATA_ENDPOINT), verified and
// moved into place; fetch::FetchDataFiles does the work.
//
//   llmcal data fetch [TASK...] [--dir DIR] [--endpoint URL] [--quiet]
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/setting_flags.h"
#include "common/error.h"
#include "common/progress.h"
#include "data/data_dir.h"
#include "data/manifest.h"
#include "fetch/data_fetch.h"
#include "fetch/url.h"
#include "settings/settings.h"

namespace llmcal::cli {

namespace {

namespace fs = std::filesystem;

// The environment variable that replaces scheme and host of every data URL.
constexpr const char* kDataEndpointVariable = "LLMCAL_DATA_ENDPOINT";

struct FetchFlags {
  std::vector<std::string> tasks;
  std::string dir;
  std::string endpoint;
  bool quiet = false;
};

// The manifest to fetch by: DIR's own, else the data folder's, which is then
// copied into DIR so that `data list|verify --data DIR` know what DIR holds.
data::Manifest ManifestFor(const fs::path& dir) {
  const fs::path own = dir / data::kManifestName;
  std::error_code ec;
  if (fs::is_regular_file(own, ec))
    return data::ReadManifest(own);
  const fs::path found = data::RequireDataDir("") / data::kManifestName;
  data::Manifest manifest = data::ReadManifest(found);
  fs::create_directories(dir, ec);
  fs::copy_file(found, own, ec);
  if (ec)
    throw InputError::At(own.string(), 0, "", "cannot copy the manifest here: " + ec.message());
  return manifest;
}

// The mirror: --endpoint (checked as the flag was parsed), else
// $LLMCAL_DATA_ENDPOINT, checked here and named in the error; "" for none.
std::string Endpoint(const FetchFlags& flags) {
  if (!flags.endpoint.empty())
    return flags.endpoint;
  const char* mirror = std::getenv(kDataEndpointVariable);
  if (mirror == nullptr || *mirror == '\0')
    return "";
  return fetch::CheckedEndpoint(mirror, kDataEndpointVariable);
}

void FetchData(const FetchFlags& flags) {
  fetch::DataFetchOptions options;
  options.endpoint = Endpoint(flags);
  const fs::path dir = flags.dir.empty() ? data::RequireDataDir("") : fs::path(flags.dir);
  const data::Manifest manifest = ManifestFor(dir);
  options.download.progress = ProgressModeFor(stderr, flags.quiet);
  const fetch::DataFetchReport report =
      fetch::FetchDataFiles(data::SelectTasks(manifest, flags.tasks), dir, options);

  std::size_t fetched = 0, unverified = 0, there = 0;
  for (const fetch::FetchedFile& f : report.files) {
    switch (f.outcome) {
      case fetch::FetchOutcome::kAlreadyThere:
        ++there;
        break;
      case fetch::FetchOutcome::kFetched:
        ++fetched;
        fmt::print("{}: fetched, verified\n", f.file->path);
        break;
      case fetch::FetchOutcome::kUnverified:
        ++unverified;
        fmt::print("{}: fetched, unverified (the manifest pins no digest for it); SHA-256 {}\n",
                   f.file->path, f.sha256);
        break;
    }
  }
  for (const std::string& failure : report.failures)
    fmt::print(stderr, "llmcal: {}\n", failure);
  fmt::print("{}: {} fetched, {} fetched unverified, {} already there, {} failed\n", dir.string(),
             fetched, unverified, there, report.failures.size());
  if (!report.failures.empty()) {
    throw FetchError(fmt::format("{} of {} files could not be fetched (see above); rerun to resume",
                                 report.failures.size(),
                                 report.files.size() + report.failures.size()));
  }
}

}  // namespace

void AddDataFetchCommand(CLI::App& data) {
  auto flags = std::make_shared<FetchFlags>();
  CLI::App* cmd = data.add_subcommand(
      "fetch",
      "Download the manifest's files of the named tasks (all by default) that are missing or "
      "changed, from their pinned sources; verified, resumable");
  cmd->add_option("tasks", flags->tasks, "tasks to fetch (default: every task of the manifest)");
  cmd->add_option("--dir", flags->dir,
                  "the data folder to fetch into (default: the data folder, as for --data)");
  AddFlag(*cmd, settings::kDataEndpoint, flags->endpoint);
  cmd->add_flag("--quiet,-q", flags->quiet, "no progress on stderr");
  cmd->callback([flags] { FetchData(*flags); });
}

}  // namespace llmcal::cli
