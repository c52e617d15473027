// A study plan: which models score which tasks in which prompt styles, on
// which items, and (optionally) which shard of them this machine does. Pure
// data and pure functions: nothing here reads a file or loads a model.
//
// Items are selected per task (all, the first N, or a seeded sample of N,
// kept in task order), the selection is cut into consecutive blocks of a
// fixed number of items, and block j of a run goes to shard ((j + r) mod N)
// + 1, r being the run's rotation (ShardRotation). A block is
// the unit of scoring and of commit, so a resumed run, a shard and an
// uninterrupted run all score the same blocks with the same batch layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine_options.h"
#include "tasks/prompt_builder.h"
#include "tasks/task_loader.h"

namespace llmcal::study {

// A model as the user names it: --model NAME=PATH.
struct ModelRef {
  std::string name;
  // A GGUF file, or an hf:OWNER/REPO/PATH.gguf[@REVISION] reference that the
  // runner fetches (fetch/model_source.h).
  std::filesystem::path path;
};

// Returns true for a usable model name: 1 to 64 of A-Z a-z 0-9 . _ - (no
// ':' or ',', which pair and list arguments use).
bool IsValidModelName(std::string_view name);

// Parses "NAME=PATH", or "PATH" alone (the name is then the file's stem).
// Throws InputError for an empty path or an invalid name.
ModelRef ParseModelRef(const std::string& argument);

// Shard `index` of `count` (1-based): --shard I/N.
struct Shard {
  int index = 1;
  int count = 1;

  bool all() const { return count == 1; }
  // "I/N"
  std::string Name() const;
};

// Parses "I/N" with 1 <= I <= N. Throws InputError otherwise.
Shard ParseShard(std::string_view text);

struct ItemSelection {
  enum class Kind { kAll, kFirst, kSample };
  Kind kind = Kind::kAll;
  std::size_t n = 0;       // kFirst, kSample: how many
  std::uint64_t seed = 0;  // kSample: tasks::SampleItems' seed
};

// Returns the selected item indices of a task of `count` items, ascending
// (tasks::FirstItems / tasks::SampleItems).
std::vector<std::int64_t> SelectItems(std::size_t count, const ItemSelection& selection);

// Cuts `selected` into consecutive blocks of `block_items` (the last may be
// shorter) and returns, in order, the blocks of `shard`: block j belongs to
// shard ((j + rotation) mod shard.count) + 1. REQUIRES: block_items >= 1.
std::vector<std::vector<std::int64_t>> ShardBlocks(std::span<const std::int64_t> selected,
                                                   std::size_t block_items, const Shard& shard,
                                                   std::uint64_t rotation = 0);

// The rotation of a run's blocks over the shards: a hash of the model name,
// the prompt style and the task's file digests (not its paths, which may
// differ between machines), so that the extra blocks of different runs land
// on different shards instead of all on shard 1.
std::uint64_t ShardRotation(std::string_view model, std::string_view style,
                            std::span<const std::string> task_digests);

struct StudyPlan {
  std::vector<ModelRef> models;
  std::vector<tasks::TaskRef> tasks;
  std::optional<std::filesystem::path> data_dir;  // --data
  tasks::LoadOptions load_options;
  std::vector<tasks::PromptStyle> styles;
  ItemSelection selection;
  Shard shard;
  engine::EngineOptions engine;  // every setting but model_path, which each ModelRef gives
  // Few-shot examples before each item (tasks/fewshot.h): num_fewshot for
  // every task, except those named in num_fewshot_by_task (by TaskRef::name).
  std::size_t num_fewshot = 0;
  std::map<std::string, std::size_t> num_fewshot_by_task;

  // Returns the number of few-shot examples of task `name`.
  std::size_t NumFewShot(const std::string& name) const;
};

// Describes the loader options that change a task's items, for provenance:
// "skip_bad=0 medmcqa_cop_base=auto".
std::string DescribeLoadOptions(const tasks::LoadOptions& options);

}  // namespace llmcal::study
