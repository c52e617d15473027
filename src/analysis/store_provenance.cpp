#include "analysis/store_provenance.h"

#include <fmt/format.h>

#include <algorithm>

namespace llmcal::analysis {

namespace {

RunProvenance RunProvenanceOf(const store::RunRecord& run) {
  RunProvenance r{.model = run.model,
                  .task = run.task,
                  .style = run.style,
                  .template_version = run.settings.template_version,
                  .settings = {{"bos", run.settings.bos_mode},
                               {"split", run.settings.token_split},
                               {"ctx_size", std::to_string(run.settings.ctx_size)},
                               {"num_fewshot", std::to_string(run.settings.num_fewshot)}}};
  if (run.effective) {
    r.settings.push_back({"window", std::to_string(run.effective->window)});
    r.settings.push_back({"bos_token", run.effective->bos ? "yes" : "no"});
  }
  return r;
}

// An imported run's provenance: each file it was read from, its SHA-256 and
// the harness version.
RunProvenance ImportedRunProvenance(const store::RunRecord& run,
                                    const std::vector<store::ImportRecord>& imports) {
  RunProvenance r{.model = run.model,
                  .task = run.task,
                  .style = run.style,
                  .template_version = run.settings.template_version,
                  .settings = {{"source", "lm-evaluation-harness samples (imported)"}}};
  for (const store::ImportRecord& i : imports) {
    if (i.run_id != run.id)
      continue;
    r.settings.push_back(
        {"file", fmt::format("{} ({}, {} items, sha256 {}, harness {})", i.path, i.source_task,
                             i.items, i.sha256, i.harness_version)});
  }
  return r;
}

void AddOnce(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end())
    names.push_back(name);
}

}  // namespace

Provenance ReadProvenance(store::Store& store, const std::vector<store::RunRecord>& runs,
                          const std::vector<std::string>& models) {
  Provenance p;
  for (const store::ModelRecord& m : store.ListModels()) {
    if (std::find(models.begin(), models.end(), m.name) == models.end())
      continue;
    p.models.push_back(
        {.name = m.name,
         .path = m.file.path,
         .size_bytes = m.file.size,
         .sha256 = m.file.sha256,
         .architecture = m.details ? m.details->architecture : "",
         .parameters = m.details ? static_cast<std::int64_t>(m.details->n_params) : 0});
  }
  for (const store::TaskRecord& t : store.ListTasks()) {
    TaskProvenance& task = p.tasks.emplace_back();
    task.name = t.name;
    task.items = t.item_count;
    for (const store::TaskFile& f : t.files)
      task.files.push_back({.path = f.path, .size_bytes = f.size, .sha256 = f.sha256});
  }
  const std::vector<store::ImportRecord> imports = store.ListImports();
  for (const store::RunRecord& run : runs)
    p.runs.push_back(run.imported() ? ImportedRunProvenance(run, imports) : RunProvenanceOf(run));
  std::vector<std::string> llmcal, llama;
  for (const store::SessionRecord& s : store.ListSessions()) {
    AddOnce(llmcal, s.llmcal_version);
    AddOnce(llama, s.llama_version);
  }
  p.llmcal_version = fmt::format("{}", fmt::join(llmcal, "; "));
  p.llama_cpp_version = fmt::format("{}", fmt::join(llama, "; "));
  p.date = store::UtcTimestamp();
  return p;
}

}  // namespace llmcal::analysis
