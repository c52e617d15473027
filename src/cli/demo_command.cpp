// `llmcal demo`: the main job. A whole study end to end with a known answer:
// stories260K against its logit-scaled copy (or, with --base and --instruct,
// a real pair), then the findings and where the tables and report are.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/study_session.h"
#include "data/data_dir.h"
#include "study/demo.h"

namespace llmcal::cli {

namespace {

struct DemoFlags {
  study::DemoOptions options;
  std::string data;  // --data; empty: the data folder lookup (data/data_dir.h)
  bool quiet = false;
};

void RunDemo(const DemoFlags& flags) {
  study::DemoOptions options = flags.options;
  options.data = data::RequireDataDir(flags.data);
  fmt::print("{}\n", study::DemoIntroduction(options));
  std::fflush(stdout);
  const study::StudySpec spec = study::DemoStudy(options);
  const study::StudyOutcome outcome = RunStudyInSession(spec, flags.quiet, "");
  fmt::print("\n{}", study::DemoVerdict(outcome.analysis, study::DemoIsKnownAnswer(options)));
  PrintStudyFiles(spec, outcome);
}

}  // namespace

void AddDemoCommand(CLI::App& app) {
  auto flags = std::make_shared<DemoFlags>();
  flags->options.out = "demo";
  CLI::App* cmd =
      app.add_subcommand("demo",
                         "The main job: a known-answer study end to end (stories260K against its "
                         "logit-scaled copy), or one real pair");
  cmd->add_option("--data", flags->data,
                  "the data folder (arc_easy/, mmlu/, models/, ...); default: $LLMCAL_DATA, else "
                  "the repository's or installed data/");
  cmd->add_option("--out", flags->options.out, "where the store, tables and report go")
      ->capture_default_str();
  CLI::Option* base =
      cmd->add_option("--base", flags->options.base,
                      "a pretrained GGUF model, a file or hf:OWNER/REPO/PATH.gguf[@REVISION] "
                      "(default: DATA/models/stories260K.gguf)");
  cmd->add_option("--instruct", flags->options.instruct,
                  "its instruction-tuned sibling, a file or hf: reference (default: a copy of the "
                  "base with logits x2)")
      ->needs(base);
  cmd->add_option("--sample", flags->options.sample, "items per task, a seeded sample (0: all)")
      ->capture_default_str();
  cmd->add_option("--bootstrap", flags->options.bootstrap, "bootstrap resamples")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", flags->quiet, "no progress on stderr");
  cmd->callback([flags] { RunDemo(*flags); });
}

}  // namespace llmcal::cli
