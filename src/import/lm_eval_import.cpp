#include "import/lm_eval_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "common/error.h"
#include "common/sha256.h"
#include "common/unicode_text.h"
#include "import/lm_eval_samples.h"
#include "import/lm_eval_tasks.h"
#include "store/file_digest.h"
#include "store/store.h"
#include "study/build_info.h"
#include "study/plan.h"

namespace llmcal::import {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kContinuationStyle = "continuation";
constexpr std::string_view kChoiceStyle = "choice";
// What an imported run records where a scored run has its prompt template
// version and engine settings.
constexpr std::string_view kImportedTemplate = "lm-evaluation-harness prompts (imported)";
constexpr std::string_view kUnknownSetting = "unknown (imported)";
constexpr std::int64_t kBlockItems = 64;

// One samples file, read, converted and ready to store.
struct ConvertedFile {
  fs::path path;
  std::string sha256;
  std::uint64_t size = 0;
  std::string harness_task;
  SamplesFormat format = SamplesFormat::kJsonLines;
  std::string harness_version;
  TaskDestination destination;
  std::string style;
  std::vector<store::ImportedItem> items;  // ascending by index
  std::int64_t unconditional_skipped = 0;
};

std::string FileName(const fs::path& path) {
  return path.filename().string();
}

// The name without ".jsonl" or ".json".
std::string Stem(const fs::path& path) {
  std::string name = FileName(path);
  for (std::string_view ext : {".jsonl", ".json"}) {
    if (name.ends_with(ext))
      return name.substr(0, name.size() - ext.size());
  }
  return name;
}

bool IsSamplesName(const fs::path& path) {
  const std::string name = FileName(path);
  return name.starts_with("samples_") && (name.ends_with(".jsonl") || name.ends_with(".json"));
}

// Every samples file under `folder`: samples_*.json[l] (v0.4.3 on, in a
// folder per model), and each *.jsonl beside a results.json (v0.4.0-v0.4.2).
std::vector<fs::path> SamplesFilesIn(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    if (!it->is_regular_file(ec))
      continue;
    const bool old_layout = path.extension() == ".jsonl" &&
                            fs::is_regular_file(path.parent_path() / "results.json", ec);
    if (IsSamplesName(path) || old_layout)
      files.push_back(path);
  }
  if (ec)
    throw InputError::At(folder.string(), 0, "", "cannot list the folder: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> ExpandPaths(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      const std::vector<fs::path> found = SamplesFilesIn(path);
      if (found.empty()) {
        throw InputError::At(path.string(), 0, "",
                             "no lm-evaluation-harness samples file in this folder "
                             "(samples_<task>_<date>.jsonl, or *.jsonl beside results.json)");
      }
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      throw InputError::At(path.string(), 0, "", "no such file or folder");
    }
  }
  return files;
}

// A JSON file beside the samples, or nullopt when absent or unreadable: it
// only informs the harness version, which the samples' layout then gives.
std::optional<nlohmann::json> ReadJsonBeside(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return std::nullopt;
  try {
    return nlohmann::json::parse(ReadWholeFile(path).text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The results file the harness wrote with `file`: results_<date>.json beside
// samples_<task>_<date>.jsonl (v0.4.3 on), results.json beside the older files.
fs::path ResultsFileOf(const fs::path& file) {
  const std::string stem = Stem(file);
  if (IsSamplesName(file))
    return file.parent_path() / ("results_" + stem.substr(stem.rfind('_') + 1) + ".json");
  return file.parent_path() / "results.json";
}

// The harness's task name: between the first and last '_' of
// samples_<task>_<date> (the harness's get_file_task_name), or, for the older
// <model_args>_<task>.jsonl, the longest known task name the file name ends
// with (llmcal's, the task map's, and those of the results.json beside it).
std::string HarnessTaskOf(const fs::path& file, const TaskMap& map) {
  const std::string stem = Stem(file);
  if (IsSamplesName(file)) {
    const std::size_t first = stem.find('_'), last = stem.rfind('_');
    if (last > first + 1)
      return stem.substr(first + 1, last - first - 1);
    throw InputError::At(file.string(), 0, "", "expected the name samples_<task>_<date>.jsonl");
  }
  std::vector<std::string> known = map.HarnessNames();
  for (std::string_view name :
       {"arc_easy", "arc_challenge", "hellaswag", "medmcqa", "piqa", "sciq"}) {
    known.emplace_back(name);
  }
  for (const auto& [subject, count] : MmluTestCounts()) {
    known.push_back("mmlu_" + subject);
    known.push_back("mmlu_continuation_" + subject);
  }
  if (const auto results = ReadJsonBeside(ResultsFileOf(file));
      results && results->contains("configs") && (*results)["configs"].is_object()) {
    for (const auto& [name, config] : (*results)["configs"].items())
      known.push_back(name);
  }
  std::string best;
  for (const std::string& name : known) {
    if ((stem == name || stem.ends_with("_" + name)) && name.size() > best.size())
      best = name;
  }
  if (best.empty()) {
    throw InputError::At(file.string(), 0, "",
                         "cannot tell the harness task from this file name: rename it "
                         "samples_<task>_<date>.jsonl, or name the task in --task-map");
  }
  return best;
}

// The harness version: from the results file beside the samples when it says
// (lm_eval_version from v0.4.9, else git_hash), and what the samples' own
// fields allow.
std::string HarnessVersionOf(const SamplesFile& samples) {
  const std::string inferred =
      samples.format == SamplesFormat::kJsonArray
          ? "v0.4.0-v0.4.2 by the file's format"
          : (samples.has_filter_field ? "v0.4.7 or later by the samples' fields"
                                      : "v0.4.3-v0.4.6 by the samples' fields");
  const fs::path results_path = ResultsFileOf(samples.path);
  const auto results = ReadJsonBeside(results_path);
  if (results && results->is_object()) {
    const std::string beside = FileName(results_path);
    if (const auto v = results->find("lm_eval_version"); v != results->end() && v->is_string())
      return fmt::format("{} ({})", v->get<std::string>(), beside);
    if (const auto h = results->find("git_hash"); h != results->end() && h->is_string())
      return fmt::format("git {} ({}); {}", h->get<std::string>(), beside, inferred);
  }
  return inferred;
}

bool IsDecimal(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The gold index of a document from its logged target (the harness's
// process_results: an int is the index, a str the position of that choice).
// Since v0.4.4 the harness logs str(target), so "2" may be an index or a
// choice's text: TargetReading decides, and kAuto refuses a real ambiguity.
std::int64_t GoldOf(const HarnessSample& sample, const std::vector<std::string>& texts,
                    TargetReading reading) {
  const nlohmann::json& target = sample.target;
  const auto error = [&](const std::string& what) { return sample.where.Error("target", what); };
  const auto checked_index = [&](std::int64_t index) {
    if (index < 0 || index >= static_cast<std::int64_t>(texts.size())) {
      throw error(fmt::format("{} is not the index of one of the {} choices", index, texts.size()));
    }
    return index;
  };
  if (target.is_number_integer() || target.is_number_unsigned())
    return checked_index(target.get<std::int64_t>());
  if (target.is_array())
    throw error("several gold answers (a multiple-target task) cannot be imported");
  if (!target.is_string())
    throw error(fmt::format("expected an index or a choice's text, found {}", target.type_name()));
  const std::string text = target.get<std::string>();
  const auto match = std::find(texts.begin(), texts.end(), text);
  const std::optional<std::int64_t> position =
      match == texts.end() ? std::nullopt : std::optional<std::int64_t>(match - texts.begin());
  std::optional<std::int64_t> index;
  if (IsDecimal(text) && text.size() < 10)
    std::from_chars(text.data(), text.data() + text.size(), index.emplace());
  switch (reading) {
    case TargetReading::kIndex:
      if (!index)
        throw error(
            fmt::format("\"{}\" is not an index (the task map says target = \"index\")", text));
      return checked_index(*index);
    case TargetReading::kText:
      if (!position)
        throw error(fmt::format("\"{}\" is not the text of a choice", text));
      return *position;
    case TargetReading::kAuto:
      break;
  }
  if (index && position && *index != *position) {
    throw error(
        fmt::format("\"{}\" is both an index and the text of choice {}; say which in --task-map "
                    "(target = \"index\" or \"text\")",
                    text, *position));
  }
  if (position)
    return *position;
  if (index)
    return checked_index(*index);
  throw error(fmt::format("\"{}\" is neither an index nor the text of a choice", text));
}

// The conditional requests of a document: the unconditional half that
// acc_mutual_info appends (context "", the same choices, with or without the
// delimiter) is dropped, and `skipped` counts the document.
std::vector<HarnessRequest> ConditionalRequests(const HarnessSample& sample,
                                                std::int64_t& skipped) {
  const std::vector<HarnessRequest>& all = sample.requests;
  const std::size_t half = all.size() / 2;
  if (all.size() % 2 != 0 || half == 0)
    return all;
  bool unconditional = true;
  for (std::size_t i = 0; i < half && unconditional; ++i) {
    const std::string& conditional = all[i].continuation;
    const std::string& bare = all[half + i].continuation;
    unconditional = !all[i].context.empty() && all[half + i].context.empty() &&
                    conditional.ends_with(bare) && conditional.size() - bare.size() <= 1;
  }
  if (!unconditional)
    return all;
  ++skipped;
  return {all.begin(), all.begin() + static_cast<std::ptrdiff_t>(half)};
}

// The choice texts: each continuation without the target delimiter (the
// task map's, or one space when every continuation starts with one).
std::vector<std::string> ChoiceTexts(const HarnessSample& sample,
                                     const std::vector<HarnessRequest>& requests,
                                     const TaskRule* rule) {
  std::string delimiter;
  if (rule != nullptr && rule->target_delimiter) {
    delimiter = *rule->target_delimiter;
  } else if (std::all_of(requests.begin(), requests.end(),
                         [](const HarnessRequest& r) { return r.continuation.starts_with(' '); })) {
    delimiter = " ";
  }
  std::vector<std::string> texts;
  for (std::size_t k = 0; k < requests.size(); ++k) {
    if (!requests[k].continuation.starts_with(delimiter)) {
      throw sample.where.Error("arguments",
                               fmt::format("request {}: the continuation does not start with "
                                           "the target delimiter \"{}\" of the task map",
                                           k, delimiter));
    }
    texts.push_back(requests[k].continuation.substr(delimiter.size()));
  }
  return texts;
}

bool AreLetters(const std::vector<std::string>& texts) {
  for (std::size_t k = 0; k < texts.size(); ++k) {
    if (texts[k] != std::string(1, static_cast<char>('A' + k)))
      return false;
  }
  return texts.size() <= 26;
}

std::string ItemIdOf(const HarnessSample& sample) {
  if (sample.doc.is_object()) {
    const auto id = sample.doc.find("id");
    if (id != sample.doc.end() && id->is_string())
      return id->get<std::string>();
    if (id != sample.doc.end() && id->is_number_integer())
      return id->dump();
  }
  return fmt::format("doc {}", sample.doc_id);
}

store::ImportedItem ConvertSample(const HarnessSample& sample, const TaskDestination& destination,
                                  const TaskRule* rule, std::int64_t& skipped, bool& letters) {
  if (destination.documents && sample.doc_id >= *destination.documents) {
    throw sample.where.Error(
        "doc_id", fmt::format("{} is beyond the {} documents of {}'s split: another split or "
                              "dataset? (--task-map can give the task another name)",
                              sample.doc_id, *destination.documents, destination.task));
  }
  const std::vector<HarnessRequest> requests = ConditionalRequests(sample, skipped);
  if (requests.size() < 2) {
    throw sample.where.Error("arguments", "fewer than two requests: not a multiple-choice task");
  }
  const std::vector<std::string> texts = ChoiceTexts(sample, requests, rule);
  letters = letters && AreLetters(texts);
  store::ImportedItem item;
  item.index = destination.index_offset + sample.doc_id;
  item.id = ItemIdOf(sample);
  item.subject = destination.subject;
  item.n_choices = static_cast<std::int64_t>(requests.size());
  item.gold = GoldOf(sample, texts, rule != nullptr ? rule->target : TargetReading::kAuto);
  for (std::size_t k = 0; k < requests.size(); ++k) {
    if (!std::isfinite(requests[k].loglikelihood)) {
      item.error = fmt::format("choice {}'s log-likelihood is {} in {}", k,
                               requests[k].loglikelihood, sample.where.FallbackId());
      item.choices.clear();
      return item;
    }
    item.choices.push_back({.sum = requests[k].loglikelihood,
                            .n_bytes = static_cast<std::int64_t>(texts[k].size()),
                            .n_chars = static_cast<std::int64_t>(CountCodePoints(texts[k])),
                            .is_greedy = requests[k].is_greedy});
  }
  return item;
}

ConvertedFile ConvertFile(const fs::path& path, const TaskMap& map) {
  ConvertedFile file;
  file.path = path;
  file.harness_task = HarnessTaskOf(path, map);
  const SamplesFile samples = ReadSamplesFile(path);
  file.format = samples.format;
  file.harness_version = HarnessVersionOf(samples);
  const TaskRule* rule = map.Find(file.harness_task);
  file.destination = DestinationOf(rule != nullptr ? rule->name : file.harness_task);
  bool letters = true;
  std::map<std::int64_t, const HarnessSample*> seen;
  for (const HarnessSample& sample : samples.samples) {
    if (const auto [it, inserted] = seen.emplace(sample.doc_id, &sample); !inserted) {
      throw sample.where.Error("doc_id", fmt::format("{} appears twice (also at {})", sample.doc_id,
                                                     it->second->where.FallbackId()));
    }
    file.items.push_back(
        ConvertSample(sample, file.destination, rule, file.unconditional_skipped, letters));
  }
  std::sort(file.items.begin(), file.items.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  file.style = std::string(letters ? kChoiceStyle : kContinuationStyle);
  const store::FileFingerprint print = store::StatFile(path);
  file.size = print.size;
  file.sha256 = Sha256OfFile(path);
  return file;
}

// The files of one run (model, task, style) in this import.
struct RunGroup {
  std::string task;
  std::string style;
  std::vector<const ConvertedFile*> files;
};

std::vector<RunGroup> GroupByRun(const std::vector<ConvertedFile>& files) {
  std::vector<RunGroup> groups;
  for (const ConvertedFile& file : files) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const RunGroup& g) {
      return g.task == file.destination.task && g.style == file.style;
    });
    if (it == groups.end())
      it = groups.insert(groups.end(), {file.destination.task, file.style, {}});
    it->files.push_back(&file);
  }
  return groups;
}

std::string RunLabel(const std::string& model, const RunGroup& group) {
  return fmt::format("{} {}/{}", model, group.task, group.style);
}

// Refuses two files that give the same item of one run.
void RefuseOverlaps(const RunGroup& group, const std::string& model) {
  std::map<std::int64_t, const ConvertedFile*> owner;
  for (const ConvertedFile* file : group.files) {
    for (const store::ImportedItem& item : file->items) {
      const auto [it, inserted] = owner.emplace(item.index, file);
      if (!inserted && it->second != file) {
        throw InputError::At(
            file->path.string(), 0, "",
            fmt::format("item {} of run {} is also in {}; import one evaluation per model name",
                        item.index, RunLabel(model, group), it->second->path.string()));
      }
    }
  }
}

class Importer {
 public:
  explicit Importer(const ImportRequest& request) : request_(request) {}

  ImportSummary Run() {
    if (!study::IsValidModelName(request_.model)) {
      throw InputError(fmt::format(
          "--model {}: not a usable model name (1 to 64 of A-Z a-z 0-9 . _ -)", request_.model));
    }
    ReadFiles();
    const std::vector<RunGroup> groups = GroupByRun(files_);
    for (const RunGroup& group : groups)
      RefuseOverlaps(group, request_.model);
    store::Store store = store::Store::Open(request_.db, store::Database::kReadWrite);
    store_ = &store;
    summary_.store = store.file();
    summary_.model = request_.model;
    store::Transaction transaction(store.database());
    const std::int64_t model_id = ModelId();
    for (const RunGroup& group : groups)
      ImportRun(group, model_id);
    if (session_id_ != 0)
      store.FinishSession(session_id_);
    transaction.Commit();
    return summary_;
  }

 private:
  // Everything is read and converted before the store is opened.
  void ReadFiles() {
    const TaskMap map = request_.task_map ? TaskMap::Read(*request_.task_map) : TaskMap();
    std::set<std::string> digests;
    for (const fs::path& path : ExpandPaths(request_.paths)) {
      ConvertedFile file = ConvertFile(path, map);
      if (digests.insert(file.sha256 + "\n" + file.destination.task + "\n" + file.style).second)
        files_.push_back(std::move(file));
    }
  }

  std::int64_t ModelId() {
    if (const std::optional<store::ModelRecord> model = store_->FindModel(request_.model))
      return model->id;
    // A model known only by its imported results: no file, no digest.
    return store_->PutModel(request_.model, {.path = "", .size = 0, .mtime_ns = 0, .sha256 = ""});
  }

  std::int64_t TaskId(const RunGroup& group) {
    std::int64_t max_index = -1;
    std::optional<std::int64_t> known;
    for (const ConvertedFile* file : group.files) {
      max_index = std::max(max_index, file->items.back().index);
      known = file->destination.task_items;
    }
    const std::optional<store::TaskRecord> stored = store_->FindTask(group.task);
    if (stored && !stored->imported_only()) {
      if (max_index >= stored->item_count) {
        throw InputError::At(
            group.files.front()->path.string(), 0, "",
            fmt::format("item {} is beyond the {} items of task '{}' as stored in {}", max_index,
                        stored->item_count, group.task, store_->file()));
      }
      return stored->id;
    }
    store::TaskRecord record;
    record.name = group.task;
    record.load_options = std::string(store::kImportedTaskOptions);
    record.item_count = known.value_or(std::max(max_index + 1, stored ? stored->item_count : 0));
    return store_->PutTask(record);
  }

  void ImportRun(const RunGroup& group, std::int64_t model_id) {
    const std::int64_t task_id = TaskId(group);
    std::optional<store::RunRecord> run = store_->FindRun(model_id, task_id, group.style);
    std::set<std::string> already;
    if (run && !run->imported()) {
      throw InputError::At(
          store_->file(), 0, "",
          fmt::format("run {} was scored by llmcal; importing lm-evaluation-harness results "
                      "over it is refused: import under another --model name, or into "
                      "another --db",
                      RunLabel(request_.model, group)));
    }
    if (run) {
      for (const store::ImportRecord& i : store_->ListImports()) {
        if (i.run_id == run->id)
          already.insert(i.sha256);
      }
    }
    const std::vector<std::int64_t> stored =
        run ? store_->StoredItemIndices(run->id) : std::vector<std::int64_t>{};
    for (const ConvertedFile* file : group.files) {
      ImportedFile& out = Summarize(*file, already.contains(file->sha256));
      if (out.already_imported)
        continue;
      for (const store::ImportedItem& item : file->items) {
        if (std::binary_search(stored.begin(), stored.end(), item.index)) {
          throw InputError::At(
              file->path.string(), 0, "",
              fmt::format("item {} of run {} is stored already from another file ({}); import "
                          "one evaluation per model name",
                          item.index, RunLabel(request_.model, group), ImportedFiles(run->id)));
        }
      }
      if (!run)
        run = CreateRun(model_id, task_id, group);
      Write(*run, *file);
    }
  }

  std::string ImportedFiles(std::int64_t run_id) {
    std::vector<std::string> paths;
    for (const store::ImportRecord& i : store_->ListImports()) {
      if (i.run_id == run_id)
        paths.push_back(i.path);
    }
    return fmt::format("{}", fmt::join(paths, ", "));
  }

  store::RunRecord CreateRun(std::int64_t model_id, std::int64_t task_id, const RunGroup& group) {
    store::RunRecord run;
    run.model_id = model_id;
    run.task_id = task_id;
    run.model = request_.model;
    run.task = group.task;
    run.style = group.style;
    run.settings = {.template_version = std::string(kImportedTemplate),
                    .bos_mode = std::string(kUnknownSetting),
                    .token_split = std::string(kUnknownSetting),
                    .ctx_size = 0,
                    .num_fewshot = 0,
                    .fewshot_sha256 = ""};
    run.block_items = kBlockItems;
    run.origin = std::string(store::kOriginLmEval);
    run.id = store_->CreateRun(run);
    return run;
  }

  void Write(const store::RunRecord& run, const ConvertedFile& file) {
    const std::int64_t session = SessionId();
    std::vector<store::ImportedItem> items = file.items;
    std::vector<std::int64_t> indices;
    for (store::ImportedItem& item : items) {
      item.session_id = session;
      indices.push_back(item.index);
    }
    store_->WriteImportedItems(run.id, items);
    store_->AddPlannedItems(run.id, indices);
    store_->PutImport({.run_id = run.id,
                       .sha256 = file.sha256,
                       .path = fs::absolute(file.path).string(),
                       .size = file.size,
                       .source_task = file.harness_task,
                       .source_format = SamplesFormatName(file.format),
                       .harness_version = file.harness_version,
                       .items = static_cast<std::int64_t>(file.items.size()),
                       .session_id = session});
  }

  std::int64_t SessionId() {
    if (session_id_ == 0) {
      store::SessionRecord session;
      session.key = store::NewSessionKey();
      session.kind = "import";
      session.llmcal_version = std::string(study::LlmcalVersion());
      session.llama_version = "not used (import)";
      session.host = "";
      session.gpu_layers = 0;
      session_id_ = store_->BeginSession(session);
    }
    return session_id_;
  }

  ImportedFile& Summarize(const ConvertedFile& file, bool already_imported) {
    ImportedFile& out = summary_.files.emplace_back();
    out.path = file.path.string();
    out.harness_task = file.harness_task;
    out.task = file.destination.task;
    out.subject = file.destination.subject;
    out.style = file.style;
    out.harness_version = file.harness_version;
    out.items = static_cast<std::int64_t>(file.items.size());
    out.failed = std::count_if(file.items.begin(), file.items.end(),
                               [](const store::ImportedItem& i) { return !i.ok(); });
    out.unconditional_skipped = file.unconditional_skipped;
    out.already_imported = already_imported;
    return out;
  }

  const ImportRequest& request_;
  std::vector<ConvertedFile> files_;
  store::Store* store_ = nullptr;
  std::int64_t session_id_ = 0;
  ImportSummary summary_;
};

}  // namespace

ImportSummary ImportLmEval(const ImportRequest& request) {
  return Importer(request).Run();
}

std::string RenderImportSummary(const ImportSummary& summary) {
  std::string text;
  std::int64_t added = 0;
  for (const ImportedFile& f : summary.files) {
    const std::string where =
        f.subject.empty() ? f.task : fmt::format("{} (subject {})", f.task, f.subject);
    if (f.already_imported) {
      text += fmt::format("{}: already imported into {} {}/{}; nothing added\n", f.path,
                          summary.model, where, f.style);
      continue;
    }
    added += f.items;
    text += fmt::format("{}: {} -> {} {}/{}: {} items (lm-evaluation-harness {})\n", f.path,
                        f.harness_task, summary.model, where, f.style, f.items, f.harness_version);
    if (f.failed > 0) {
      text += fmt::format(
          "  {} item(s) have a non-finite log-likelihood: stored as failed, left "
          "out of every metric\n",
          f.failed);
    }
    if (f.unconditional_skipped > 0) {
      text += fmt::format(
          "  the unconditional requests (acc_mutual_info) of {} document(s) were "
          "skipped\n",
          f.unconditional_skipped);
    }
  }
  text += fmt::format(
      "done: {} items imported into {} as model '{}'; min and mean are "
      "undefined for imported runs (no per-token log-probs)\n",
      added, summary.store, summary.model);
  return text;
}

}  // namespace llmcal::import
