// `llmcal status`: items stored of items planned per (model, task, style),
// read from the store alone (safe while `llmcal run` writes it).
#include <fmt/format.h>

#include <memory>
#include <string>

#include "cli/commands.h"
#include "study/status.h"

namespace llmcal::cli {

namespace {

struct StatusFlags {
  std::string db;
  std::string format = "table";
};

}  // namespace

void AddStatusCommand(CLI::App& app) {
  auto flags = std::make_shared<StatusFlags>();
  CLI::App* cmd =
      app.add_subcommand("status", "Items stored of items planned per model, task and style");
  cmd->add_option("--db", flags->db, "the study's store")->required();
  cmd->add_option("--format", flags->format, "output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->callback([flags] {
    const auto format =
        flags->format == "json" ? study::StatusFormat::kJson : study::StatusFormat::kTable;
    fmt::print("{}", study::RenderStatus(study::ReadStatus(flags->db), format));
  });
}

}  // namespace llmcal::cli
