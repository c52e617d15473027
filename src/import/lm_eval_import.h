// `llmcal import lm-eval`: lm-evaluation-harness samples files into a study
// store, as runs of one model name that `metrics`, `compare`, `rank` and
// `report` read like natively scored ones (docs/store.md, "Imported runs";
// docs/fidelity.md, "Importing lm-evaluation-harness samples").
//
// Each samples file is one harness task. Per document: the conditional
// requests are the choices (the unconditional half that acc_mutual_info adds
// is recognised and skipped), each choice's score is the logged
// log-likelihood (filtered_resps[i][0]), its text the request's continuation
// without the target delimiter (so the chars and bytes methods work), the
// gold the target (an index, or the text of a choice). A file whose every
// document's choices are the letters A, B, ... is the choice style, any other
// the continuation style. The task name maps as lm_eval_tasks.h says.
//
// Everything is read and checked before the store is opened, and written in
// one transaction: a refused import changes nothing. A file already imported
// into the same run (same SHA-256) adds nothing; importing over a natively
// scored run, or over items another file already gave, is refused.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace llmcal::import {

struct ImportRequest {
  std::vector<std::filesystem::path> paths;  // samples files, or folders searched for them
  std::filesystem::path db;
  std::string model;                              // the model name the runs get
  std::optional<std::filesystem::path> task_map;  // TOML (lm_eval_tasks.h)
};

// What happened to one file.
struct ImportedFile {
  std::string path;
  std::string harness_task;     // the task name in the harness
  std::string task;             // the llmcal task
  std::string subject;          // MMLU subject, or ""
  std::string style;            // "continuation" or "choice"
  std::string harness_version;  // as recorded
  std::int64_t items = 0;       // documents read
  std::int64_t failed = 0;      // of them, stored as failed (a non-finite log-likelihood)
  std::int64_t unconditional_skipped = 0;  // documents whose acc_mutual_info half was skipped
  bool already_imported = false;           // the same file was in the run: nothing added
};

struct ImportSummary {
  std::string store;
  std::string model;
  std::vector<ImportedFile> files;  // in the order read
};

// Imports every samples file of `request.paths` (a folder: every
// samples_*.json[l] below it, and the *.jsonl files beside a results.json,
// the v0.4.0-v0.4.2 layout). Throws InputError naming the file, line and
// field for bad input (lm_eval_samples.h), a target that is not a choice, a
// doc_id beyond its task's documents, two files giving the same items, an
// invalid model name, no samples file found; and naming the run for an
// import over a natively scored (model, task, style) or over items already
// imported from another file.
ImportSummary ImportLmEval(const ImportRequest& request);

// The summary as lines for the terminal: one per file, then notes.
std::string RenderImportSummary(const ImportSummary& summary);

}  // namespace llmcal::import
