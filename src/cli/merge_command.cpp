// `llmcal merge`: one store from the stores of several `llmcal run --shard`
// runs, refusing shards whose provenance disagrees (docs/store.md).
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "study/merge.h"

namespace llmcal::cli {

namespace {

struct MergeFlags {
  std::string out;
  std::vector<std::string> shards;
};

}  // namespace

void AddMergeCommand(CLI::App& app) {
  auto flags = std::make_shared<MergeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "Merge the stores of sharded runs (llmcal run --shard I/N) into one");
  cmd->add_option("--out,-o", flags->out, "the merged store (created, or merged into)")->required();
  cmd->add_option("shards", flags->shards, "the shard stores")->required();
  cmd->callback([flags] {
    const std::vector<std::filesystem::path> shards(flags->shards.begin(), flags->shards.end());
    fmt::print("{}", study::MergeSummaryText(study::MergeStores(flags->out, shards), flags->out));
  });
}

}  // namespace llmcal::cli
