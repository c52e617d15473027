// Where do the numbers come from? The provenance a report prints, read from a
// study store: the models analysed (file, size, SHA-256, architecture,
// parameters), every task's files, every run's settings, and the versions of
// llmcal and llama.cpp that wrote the store.
#pragma once

#include <string>
#include <vector>

#include "analysis/results.h"
#include "store/store.h"

namespace llmcal::analysis {

// The provenance of `runs` (the store's runs) for the models named in
// `models`; date is now (UTC). Throws as the store's readers do.
Provenance ReadProvenance(store::Store& store, const std::vector<store::RunRecord>& runs,
                          const std::vector<std::string>& models);

}  // namespace llmcal::analysis
