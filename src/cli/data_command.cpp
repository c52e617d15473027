// `llmcal data`: the data folder and its manifest (src/data/).
//
//   llmcal data list [--data DIR] [--format table|json|md]   what the manifest lists, and its state
//   llmcal data verify [--data DIR]                          SHA-256 of every file; exit 1 naming
//   each bad one
//
// A third sub-command, `data fetch` (data_fetch_command.cpp), downloads what
// is missing or changed: it is registered in AddDataCommand beside these two.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/error.h"
#include "data/data_dir.h"
#include "data/file_check.h"
#include "data/manifest.h"
#include "report/table.h"

namespace llmcal::cli {

namespace {

namespace fs = std::filesystem;

struct DataFlags {
  std::string data;
  std::string format = "table";
};

report::Cell TextOrEmpty(const std::string& text) {
  return text.empty() ? report::Cell{} : report::Cell{text};
}

report::Cell CountOrEmpty(const std::optional<std::int64_t>& count) {
  return count ? report::Cell{*count} : report::Cell{};
}

report::Cell BytesOrEmpty(const std::optional<std::uint64_t>& bytes) {
  return bytes ? report::Cell{static_cast<std::int64_t>(*bytes)} : report::Cell{};
}

// The terminal listing: one row per file, its state in this data folder.
report::Table ListingTable(const std::vector<data::FileCheck>& checks, const fs::path& dir) {
  using report::Column;
  report::Table table("llmcal data: " + dir.string(),
                      {Column::Text("task", "task"), Column::Text("split", "split"),
                       Column::Integer("items", "items"), Column::Integer("bytes", "bytes"),
                       Column::Text("licence", "licence"), Column::Text("kind", "kind"),
                       Column::Text("state", "state"), Column::Text("path", "path")});
  for (const data::FileCheck& c : checks) {
    const data::ManifestFile& f = *c.file;
    table.AddRow({f.task, TextOrEmpty(f.split), CountOrEmpty(f.items), BytesOrEmpty(f.bytes),
                  f.licence, std::string(f.shipped ? "shipped" : "fetch-only"),
                  std::string(data::StateName(c.state)), f.path});
  }
  return table;
}

// Every manifest field and the state, one JSON object per file; a key the
// manifest leaves out is null.
nlohmann::json ListingJson(const std::vector<data::FileCheck>& checks) {
  const auto text_or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
  };
  nlohmann::json rows = nlohmann::json::array();
  for (const data::FileCheck& c : checks) {
    const data::ManifestFile& f = *c.file;
    rows.push_back({{"path", f.path},
                    {"task", f.task},
                    {"split", text_or_null(f.split)},
                    {"items", f.items ? nlohmann::json(*f.items) : nlohmann::json(nullptr)},
                    {"format", f.format},
                    {"bytes", f.bytes ? nlohmann::json(*f.bytes) : nlohmann::json(nullptr)},
                    {"sha256", text_or_null(f.sha256)},
                    {"licence", f.licence},
                    {"licence_file", text_or_null(f.licence_file)},
                    {"source", f.source},
                    {"url", text_or_null(f.url)},
                    {"archive_member", text_or_null(f.archive_member)},
                    {"shipped", f.shipped},
                    {"state", std::string(data::StateName(c.state))}});
  }
  return rows;
}

// data/README.md's table: the manifest's facts, no state (the README is
// checked against this output by the tests).
report::Table ReadmeTable(const data::Manifest& manifest) {
  using report::Column;
  report::Table table("", {Column::Text("path", "file"), Column::Text("task", "task"),
                           Column::Text("split", "split"), Column::Integer("items", "items"),
                           Column::Text("format", "format"), Column::Text("source", "source"),
                           Column::Text("sha256", "SHA-256"), Column::Text("licence", "licence")});
  for (const data::ManifestFile& f : manifest.files) {
    const std::string path = f.shipped ? f.path : f.path + " (fetch-only)";
    const std::string sha256 = f.pinned() ? f.sha256 : "(unpinned)";
    table.AddRow({path, f.task, TextOrEmpty(f.split), CountOrEmpty(f.items), f.format, f.source,
                  sha256, f.licence});
  }
  return table;
}

void ListData(const DataFlags& flags) {
  const fs::path dir = data::RequireDataDir(flags.data);
  const data::Manifest manifest = data::ReadManifest(dir / data::kManifestName);
  if (flags.format == "md") {
    fmt::print("{}", report::RenderTable(ReadmeTable(manifest), report::TableFormat::kMarkdown));
    return;
  }
  const std::vector<data::FileCheck> checks =
      data::CheckFiles(data::SelectTasks(manifest, {}), dir);
  if (flags.format == "json") {
    fmt::print("{}\n", ListingJson(checks).dump(2));
  } else {
    fmt::print("{}", report::RenderTable(ListingTable(checks, dir), report::TableFormat::kText));
  }
}

void VerifyData(const DataFlags& flags) {
  const fs::path dir = data::RequireDataDir(flags.data);
  const data::Manifest manifest = data::ReadManifest(dir / data::kManifestName);
  const std::vector<data::FileCheck> checks =
      data::CheckFiles(data::SelectTasks(manifest, {}), dir);
  std::size_t problems = 0, intact = 0, not_fetched = 0, unpinned = 0;
  for (const data::FileCheck& c : checks) {
    if (data::IsProblem(c)) {
      fmt::print(stderr, "llmcal: {}\n", data::DescribeProblem(c, dir));
      ++problems;
    }
    intact += c.state == data::FileState::kIntact;
    not_fetched += c.state == data::FileState::kNotFetched;
    unpinned += c.state == data::FileState::kUnpinned;
  }
  if (problems > 0) {
    throw InputError(fmt::format("{}: {} of {} files missing or changed", dir.string(), problems,
                                 checks.size()));
  }
  fmt::print(
      "{}: {} files intact ({} fetch-only not fetched, {} present without a SHA-256 to check)\n",
      dir.string(), intact, not_fetched, unpinned);
}

}  // namespace

void AddDataCommand(CLI::App& app) {
  auto flags = std::make_shared<DataFlags>();
  CLI::App* cmd = app.add_subcommand(
      "data", "The data folder: what its manifest lists, whether each file is intact");
  cmd->require_subcommand(1);

  CLI::App* list = cmd->add_subcommand(
      "list", "Every file of the manifest: task, split, items, size, licence, present and intact");
  list->add_option("--data", flags->data, "the data folder (default: see README, 'Data')");
  list->add_option("--format", flags->format, "table, json, or md (data/README.md's table)")
      ->check(CLI::IsMember({"table", "json", "md"}))
      ->capture_default_str();
  list->callback([flags] { ListData(*flags); });

  CLI::App* verify = cmd->add_subcommand(
      "verify",
      "SHA-256 of every file against the manifest; exit 1 naming each missing or changed one");
  verify->add_option("--data", flags->data, "the data folder (default: see README, 'Data')");
  verify->callback([flags] { VerifyData(*flags); });

  AddDataFetchCommand(*cmd);
}

}  // namespace llmcal::cli
