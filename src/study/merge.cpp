#include "study/merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "common/error.h"
#include "store/provenance.h"
#include "store/store.h"
#include "study/build_info.h"
#include "study/verify_stored.h"

namespace llmcal::study {

namespace {

using store::Store;

using RunKey = std::tuple<std::string, std::string, std::string>;  // model, task, style

RunKey KeyOf(const store::RunRecord& run) {
  return {run.model, run.task, run.style};
}

std::string Label(const store::RunRecord& run) {
  return fmt::format("run {} {}/{}", run.model, run.task, run.style);
}

// The provenance met so far (the output's, then each checked shard's), each
// record with the file it came from, so a disagreement names both sides.
class ProvenanceCheck {
 public:
  void Check(Store& store) {
    source_ = store.file();
    for (const store::ModelRecord& model : store.ListModels())
      CheckModel(model);
    for (const store::TaskRecord& task : store.ListTasks())
      CheckTask(task);
    for (const store::RunRecord& run : store.ListRuns())
      CheckRun(run);
    for (const store::PairRecord& pair : store.ListPairs())
      CheckPair(pair);
  }

 private:
  template <typename Record>
  struct Seen {
    Record record;
    std::string source;
  };

  [[noreturn]] void Refuse(const std::string& what, const std::string& other,
                           const std::vector<std::string>& differences) const {
    throw InputError::At(source_, 0, "",
                         fmt::format("{} disagrees with {} ({}); stores merged together must "
                                     "come from the same files and settings",
                                     what, other, store::JoinDifferences(differences)));
  }

  store::Sides SidesWith(const std::string& other) {
    sides_[0] = "in " + other;
    sides_[1] = "in " + source_;
    return {sides_[0], sides_[1]};
  }

  void CheckModel(const store::ModelRecord& model) {
    const auto [it, added] =
        models_.try_emplace(model.name, Seen<store::ModelRecord>{model, source_});
    if (added)
      return;
    const store::Sides sides = SidesWith(it->second.source);
    auto differences = store::FileDifferences(it->second.record.file, model.file, sides);
    const auto details = store::DetailDifferences(it->second.record.details, model.details, sides);
    differences.insert(differences.end(), details.begin(), details.end());
    if (!differences.empty())
      Refuse(fmt::format("model '{}'", model.name), it->second.source, differences);
  }

  void CheckTask(const store::TaskRecord& task) {
    const auto [it, added] = tasks_.try_emplace(task.name, Seen<store::TaskRecord>{task, source_});
    if (added)
      return;
    const auto differences =
        store::TaskDifferences(it->second.record, task, SidesWith(it->second.source));
    if (!differences.empty())
      Refuse(fmt::format("task '{}'", task.name), it->second.source, differences);
  }

  void CheckRun(const store::RunRecord& run) {
    if (run.imported()) {
      throw InputError::At(source_, 0, "",
                           fmt::format("{} was imported from lm-evaluation-harness; merge copies "
                                       "scored runs only: import the samples files into the "
                                       "merged store instead (llmcal import lm-eval)",
                                       Label(run)));
    }
    const auto [it, added] = runs_.try_emplace(KeyOf(run), Seen<store::RunRecord>{run, source_});
    if (added)
      return;
    const store::RunRecord& seen = it->second.record;
    const store::Sides sides = SidesWith(it->second.source);
    auto differences = store::SettingsDifferences(seen.settings, run.settings, sides);
    const auto effective = store::EffectiveDifferences(seen.effective, run.effective, sides);
    differences.insert(differences.end(), effective.begin(), effective.end());
    if (seen.block_items != run.block_items) {
      differences.push_back(fmt::format("block_items: {} {}, {} {}", seen.block_items, sides.a,
                                        run.block_items, sides.b));
    }
    if (!differences.empty())
      Refuse(Label(run), it->second.source, differences);
  }

  void CheckPair(const store::PairRecord& pair) {
    const auto [it, added] = pairs_.try_emplace(pair.name, Seen<store::PairRecord>{pair, source_});
    if (added || it->second.record == pair)
      return;
    const store::PairRecord& seen = it->second.record;
    Refuse(fmt::format("pair '{}'", pair.name), it->second.source,
           {fmt::format("{} -> {} in {}, {} -> {} in {}", seen.base, seen.instruct,
                        it->second.source, pair.base, pair.instruct, source_)});
  }

  std::string source_;
  std::string sides_[2];
  std::map<std::string, Seen<store::ModelRecord>> models_;
  std::map<std::string, Seen<store::TaskRecord>> tasks_;
  std::map<RunKey, Seen<store::RunRecord>> runs_;
  std::map<std::string, Seen<store::PairRecord>> pairs_;
};

// What the merge will report merged, per run of the output (by its id): the
// items that run must hold afterwards, what it held before and what was added.
using MergedItems = std::map<std::int64_t, StoredClaim>;

// Copies one checked shard into the output. REQUIRES: inside a transaction.
class ShardCopy {
 public:
  ShardCopy(Store& out, Store& shard, MergeSummary& summary, MergedItems& merged)
      : out_(out), shard_(shard), summary_(summary), merged_(merged) {}

  void Run() {
    for (const store::SessionRecord& session : out_.ListSessions())
      session_ids_by_key_[session.key] = session.id;
    for (const store::SessionRecord& session : shard_.ListSessions())
      session_ids_[session.id] = CopySession(session);
    for (const store::RunRecord& run : shard_.ListRuns())
      CopyRun(run);
    for (const store::PairRecord& pair : shard_.ListPairs()) {
      ModelId(pair.base);
      ModelId(pair.instruct);
      out_.PutPair(pair);
    }
  }

 private:
  std::int64_t CopySession(store::SessionRecord session) {
    if (const auto it = session_ids_by_key_.find(session.key); it != session_ids_by_key_.end())
      return it->second;
    const std::int64_t id = out_.BeginSession(session);
    session_ids_by_key_[session.key] = id;
    return id;
  }

  std::int64_t ModelId(const std::string& name) {
    const store::ModelRecord model = *shard_.FindModel(name);
    const std::optional<store::ModelRecord> existing = out_.FindModel(name);
    const std::int64_t id = existing ? existing->id : out_.PutModel(name, model.file);
    if (model.details && !(existing && existing->details))
      out_.SetModelDetails(id, *model.details);
    return id;
  }

  std::int64_t TaskId(const std::string& name) {
    if (const auto existing = out_.FindTask(name))
      return existing->id;
    return out_.PutTask(*shard_.FindTask(name));
  }

  void CopyRun(const store::RunRecord& shard_run) {
    const std::int64_t model_id = ModelId(shard_run.model);
    const std::int64_t task_id = TaskId(shard_run.task);
    std::optional<store::RunRecord> run = out_.FindRun(model_id, task_id, shard_run.style);
    if (!run) {
      store::RunRecord copy = shard_run;
      copy.model_id = model_id;
      copy.task_id = task_id;
      copy.id = out_.CreateRun(copy);
      run = copy;
    } else if (!run->effective && shard_run.effective) {
      out_.SetRunEffective(run->id, *shard_run.effective);
    }
    out_.AddPlannedItems(run->id, shard_.PlannedItems(shard_run.id));

    std::map<std::int64_t, store::StoredItem> existing;
    for (store::StoredItem& item : out_.ReadItems(run->id))
      existing.emplace(item.index, std::move(item));
    std::vector<store::StoredItem> added;
    for (store::StoredItem& item : shard_.ReadItems(shard_run.id)) {
      item.session_id = session_ids_.at(item.session_id);
      const auto it = existing.find(item.index);
      if (it == existing.end()) {
        added.push_back(std::move(item));
      } else if (store::SameContent(it->second, item)) {
        ++summary_.items_duplicate;
      } else {
        throw InputError::At(
            shard_.file(), 0, "",
            fmt::format("{} item {} (id {}) is stored with different content in {}; the stores "
                        "were not scored alike, so they cannot be merged",
                        Label(shard_run), item.index, item.id, out_.file()));
      }
    }
    Claim(*run, existing, added);
    out_.WriteItems(run->id, added);
    summary_.items_added += static_cast<std::int64_t>(added.size());
  }

  void Claim(const store::RunRecord& run, const std::map<std::int64_t, store::StoredItem>& existing,
             const std::vector<store::StoredItem>& added) {
    StoredClaim& claim = merged_[run.id];
    claim.run = Label(run);
    claim.run_id = run.id;
    for (const auto& [index, item] : existing)
      claim.items.push_back(index);
    for (const store::StoredItem& item : added)
      claim.items.push_back(item.index);
  }

  Store& out_;
  Store& shard_;
  MergeSummary& summary_;
  MergedItems& merged_;
  std::map<std::string, std::int64_t> session_ids_by_key_;  // the output's sessions
  std::map<std::int64_t, std::int64_t> session_ids_;        // shard id -> output id
};

store::SessionRecord MergeSession() {
  store::SessionRecord s;
  s.key = store::NewSessionKey();
  s.kind = "merge";
  s.llmcal_version = LlmcalVersion();
  s.llama_version = LlamaCppVersion();
  return s;
}

MergeSummary MergeInto(const std::filesystem::path& out_path,
                       std::span<const std::filesystem::path> shard_paths, bool& opened_out) {
  Store out = Store::Open(out_path, store::Database::kReadWrite);
  opened_out = true;
  std::vector<Store> shards;
  for (const std::filesystem::path& path : shard_paths) {
    std::error_code ec;
    if (std::filesystem::equivalent(path, out_path, ec))
      throw InputError::At(path.string(), 0, "", "is the merge's output (--out) itself");
    shards.push_back(Store::Open(path, store::Database::kReadOnly));
  }
  ProvenanceCheck check;
  check.Check(out);
  for (Store& shard : shards)
    check.Check(shard);

  MergeSummary summary;
  summary.shards = static_cast<std::int64_t>(shards.size());
  MergedItems merged;
  store::Transaction transaction(out.database());
  for (Store& shard : shards)
    ShardCopy(out, shard, summary, merged).Run();
  store::SessionRecord session = MergeSession();
  session.finished_at = store::UtcTimestamp();
  out.BeginSession(session);
  transaction.Commit();
  for (auto& [run_id, claim] : merged) {
    std::sort(claim.items.begin(), claim.items.end());
    claim.items.erase(std::unique(claim.items.begin(), claim.items.end()), claim.items.end());
    claim.stored = static_cast<std::int64_t>(claim.items.size());
    VerifyStored(out, claim, "merge every shard again to copy what is missing");
  }
  summary.runs = static_cast<std::int64_t>(out.ListRuns().size());
  return summary;
}

}  // namespace

MergeSummary MergeStores(const std::filesystem::path& out,
                         std::span<const std::filesystem::path> shards) {
  std::error_code ec;
  const bool created = !std::filesystem::exists(out, ec);
  bool opened_out = false;
  try {
    return MergeInto(out, shards, opened_out);
  } catch (...) {
    // Only a merge that held the output's lock may remove the file it created.
    if (created && opened_out) {
      for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(out.string() + suffix, ec);
    }
    throw;
  }
}

std::string MergeSummaryText(const MergeSummary& summary, const std::filesystem::path& out) {
  return fmt::format("merged {} store(s) into {}: {} runs, {} items added, {} already there\n",
                     summary.shards, out.string(), summary.runs, summary.items_added,
                     summary.items_duplicate);
}

}  // namespace llmcal::study
