#include "study/verify_stored.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "common/error.h"

namespace llmcal::study {

void VerifyStored(store::Store& store, const StoredClaim& claim, std::string_view remedy) {
  std::vector<std::int64_t> claimed = claim.items;
  std::sort(claimed.begin(), claimed.end());
  const std::vector<std::int64_t> stored = store.StoredItemIndices(claim.run_id);  // ascending
  std::vector<std::int64_t> present;
  std::set_intersection(claimed.begin(), claimed.end(), stored.begin(), stored.end(),
                        std::back_inserter(present));
  if (static_cast<std::int64_t>(present.size()) == claim.stored)
    return;
  throw InputError::At(
      store.file(), 0, "",
      fmt::format("{}: {} of its planned items should be stored, but the store holds {}; another "
                  "process wrote this store behind the writer lock (see docs/store.md, \"Stops, "
                  "crashes and two writers\"); {}",
                  claim.run, claim.stored, present.size(), remedy));
}

}  // namespace llmcal::study
