// `llmcal import lm-eval`: lm-evaluation-harness samples files into a study
// store (import/lm_eval_import.h), so that their runs are analysed beside
// natively scored ones.
#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "import/lm_eval_import.h"

namespace llmcal::cli {

namespace {

struct ImportFlags {
  std::vector<std::string> paths;
  std::string db;
  std::string model;
  std::string task_map;
  bool quiet = false;
};

}  // namespace

void AddImportCommand(CLI::App& app) {
  CLI::App* import = app.add_subcommand("import", "Results of other tools into a study store");
  import->require_subcommand(1);
  auto flags = std::make_shared<ImportFlags>();
  CLI::App* cmd = import->add_subcommand(
      "lm-eval", "lm-evaluation-harness samples files (--log_samples) into a study store");
  cmd->add_option("paths", flags->paths,
                  "samples_<task>_<date>.jsonl files, or folders holding them")
      ->required();
  cmd->add_option("--db", flags->db, "the store; created when missing")->required();
  cmd->add_option("--model", flags->model, "the model name the imported runs get")->required();
  cmd->add_option("--task-map", flags->task_map,
                  "TOML file renaming harness tasks (docs/fidelity.md)");
  cmd->add_flag("--quiet", flags->quiet, "print only the last line");
  cmd->callback([flags] {
    import::ImportRequest request;
    request.paths.assign(flags->paths.begin(), flags->paths.end());
    request.db = flags->db;
    request.model = flags->model;
    if (!flags->task_map.empty())
      request.task_map = flags->task_map;
    const std::string text = import::RenderImportSummary(import::ImportLmEval(request));
    if (flags->quiet) {
      const std::size_t last = text.rfind('\n', text.size() - 2);
      fmt::print("{}", last == std::string::npos ? text : text.substr(last + 1));
    } else {
      fmt::print("{}", text);
    }
  });
}

}  // namespace llmcal::cli
