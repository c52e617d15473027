// `llmcal merge`: combines stores written with --shard I/N on several
// machines into one. Shards must agree on provenance: a model name's file
// (size, SHA-256), a task's files and loader options, a run's template
// version, score-affecting settings and block size; the first disagreement
// is refused, naming the shard, the run (or model, task) and the field. An
// item stored in two shards with bit-identical content is kept once; with
// different content it is an error. Planned items are the union of the
// shards' plans, so the merged store's status shows the whole selection.
// Sessions (who scored what, where) are copied and keep their identity.
//
// All shards are checked before anything is written, and the output is
// written in one transaction: a refused or failed merge leaves it as it was
// (and removes it when this merge created it). At the end every item the
// merge accounts for (each merged run's items before and added) must be in
// the output (verify_stored.h), else the merge fails naming the run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace llmcal::study {

struct MergeSummary {
  std::int64_t shards = 0;
  std::int64_t runs = 0;             // runs in the merged store
  std::int64_t items_added = 0;      // items copied into the output
  std::int64_t items_duplicate = 0;  // items already there with identical content
};

// Merges the stores at `shards` into the store at `out` (created when
// missing; an existing one is merged into, under its writer lock).
// Throws InputError: a shard that is missing, not a readable store, the
// output itself, or that disagrees (see above); an output that lacks, after
// the commit, items the merge wrote or found there (another writer behind
// the lock).
MergeSummary MergeStores(const std::filesystem::path& out,
                         std::span<const std::filesystem::path> shards);

// "merged 2 shards into out.sqlite: 4 runs, 640 items added, 0 duplicates"
std::string MergeSummaryText(const MergeSummary& summary, const std::filesystem::path& out);

}  // namespace llmcal::study
