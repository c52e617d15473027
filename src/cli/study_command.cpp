// `llmcal study FILE.toml`: the whole study a file describes — scores what
// the store lacks (resumable), then every table and the report, and prints
// per pair how often each metric changed significantly (without intervals,
// that significance is undefined). The file's keys:
// docs/study.md; examples/paper.toml, examples/demo.toml.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/study_session.h"
#include "report/result_tables.h"
#include "report/table.h"
#include "report/verdict.h"
#include "study/study_file.h"

namespace llmcal::cli {

namespace {

struct StudyFlags {
  std::string file;
  std::string db;
  std::string out;
  std::string data;
  bool quiet = false;
  std::string summary;
};

void RunStudyCommand(const StudyFlags& flags) {
  const study::StudySpec spec =
      study::ReadStudyFile(flags.file, {.db = flags.db, .out = flags.out, .data = flags.data});
  const study::StudyOutcome outcome = RunStudyInSession(spec, flags.quiet, flags.summary);
  const analysis::StudyResults& results = outcome.analysis.results;
  if (!results.pairs.empty() && !results.analysis.intervals()) {
    fmt::print("\n{}\n", report::kNoIntervalsSentence);  // the counts would all be empty
  } else if (!results.pairs.empty()) {
    const analysis::ResultIndex index(results);
    fmt::print("\n{}",
               report::RenderTable(report::SummaryTable(index), report::TableFormat::kText));
  }
  PrintStudyFiles(spec, outcome);
}

}  // namespace

void AddStudyCommand(CLI::App& app) {
  auto flags = std::make_shared<StudyFlags>();
  CLI::App* cmd = app.add_subcommand(
      "study", "Run a whole study from a TOML file: scores (resumable), tables, report");
  cmd->add_option("file", flags->file, "the study file (TOML; docs/study.md)")->required();
  cmd->add_option("--db", flags->db, "the store instead of the file's `db`");
  cmd->add_option("--out", flags->out, "the output folder instead of the file's `out`");
  cmd->add_option("--data", flags->data, "the benchmark folder instead of the file's `data`");
  cmd->add_flag("--quiet,-q", flags->quiet, "no progress on stderr (warnings are still shown)");
  cmd->add_option("--summary", flags->summary, "also write the run summary as JSON to FILE");
  cmd->callback([flags] { RunStudyCommand(*flags); });
}

}  // namespace llmcal::cli
