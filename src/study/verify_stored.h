// The last check of the commands that write items into a store (`run`,
// `merge`): what the command will report stored must really be in the store.
// A second writer that got past the writer lock (a network file system
// whose locks do not work, a copy swapped in) would otherwise go unnoticed,
// and the command would report work the store lacks.
//
//   VerifyStored(store, {"run base arc_easy/choice", run_id, planned, 120},
//                "rerun to score what is missing");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace llmcal::study {

// What a command claims about one run of a store.
struct StoredClaim {
  std::string run;                  // how messages name it: "run MODEL TASK/STYLE"
  std::int64_t run_id = 0;          // the run in the store
  std::vector<std::int64_t> items;  // the item indices the claim is about: distinct, any order
  std::int64_t stored = 0;          // how many of `items` the command reports stored
};

// Throws InputError naming the store's file and `claim.run` unless exactly
// `claim.stored` of `claim.items` are stored in the run, saying what happened
// and ending with `remedy` ("rerun to score what is missing").
void VerifyStored(store::Store& store, const StoredClaim& claim, std::string_view remedy);

}  // namespace llmcal::study
