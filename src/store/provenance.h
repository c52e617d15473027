// What must agree before results are mixed: the comparisons behind every
// refusal of `llmcal run` (a model or task file changed since its results
// were stored, a run continued under other settings) and of `llmcal merge`
// (shards that disagree). Each function returns one line per field that
// differs, naming the field and both values with the labels of their sides
// ("ctx_size: 0 in the store, 256 in this command"); an empty list means the
// records agree. Paths, mtimes and timestamps never count: the same content
// may live elsewhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace llmcal::store {

// The two sides of a comparison, e.g. {"in the store", "in this command"}.
struct Sides {
  std::string_view a;
  std::string_view b;
};

// Size and SHA-256.
std::vector<std::string> FileDifferences(const FileFingerprint& a, const FileFingerprint& b,
                                         Sides sides);
// Architecture, parameter count and description, when both are known.
std::vector<std::string> DetailDifferences(const std::optional<ModelDetails>& a,
                                           const std::optional<ModelDetails>& b, Sides sides);
// Item count, loader options, and each file's size and SHA-256.
std::vector<std::string> TaskDifferences(const TaskRecord& a, const TaskRecord& b, Sides sides);
// Template version, BOS mode, token split, context size.
std::vector<std::string> SettingsDifferences(const RunSettings& a, const RunSettings& b,
                                             Sides sides);
// Window and BOS decision, when both are known.
std::vector<std::string> EffectiveDifferences(const std::optional<RunEffective>& a,
                                              const std::optional<RunEffective>& b, Sides sides);

// Joins difference lines with "; ".
std::string JoinDifferences(const std::vector<std::string>& lines);

}  // namespace llmcal::store
