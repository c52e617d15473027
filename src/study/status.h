// `llmcal status`: how far a study's runs are, read from its store alone
// (safe while a run is writing it).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "store/records.h"

namespace llmcal::study {

enum class StatusFormat { kTable, kJson };

// Returns items planned, stored and failed per run of the store at `path`.
// Throws InputError when it is missing or not a readable llmcal store.
std::vector<store::RunProgress> ReadStatus(const std::filesystem::path& path);

// Table: one aligned row per run (model, task, style, stored, total,
// failed, done %). JSON: a list of {"model", "task", "style",
// "items_stored", "items_total", "items_failed"}, one per run.
std::string RenderStatus(const std::vector<store::RunProgress>& rows, StatusFormat format);

}  // namespace llmcal::study
