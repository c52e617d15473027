// StudyResults as JSON, both ways: the report writes the data it drew
// (study_results.json beside report.html) and `llmcal report --from-json`
// draws a report from such a file. docs/report.md gives the layout.
//
// A number is a JSON number, null (NaN: undefined or missing), or the string
// "inf" / "-inf". An interval is [lo, hi] or null (none). Members that are
// optional in the data model may be left out; unknown members are ignored.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/results.h"

namespace llmcal::report {

// Returns `results` as one JSON object. Reading it back with
// StudyResultsFromJson gives the same results.
nlohmann::ordered_json StudyResultsToJson(const analysis::StudyResults& results);

// Returns the results held by `json`, validated (Validate). `source` names
// where the JSON came from in error messages.
// Throws InputError naming source and the field ("estimates[2].ci") on a
// missing required member, a value of the wrong type or a name not declared.
analysis::StudyResults StudyResultsFromJson(const nlohmann::json& json, const std::string& source);

// Reads and validates a StudyResults JSON file.
// Throws InputError naming the file on a missing or unreadable file,
// malformed JSON, or any error of StudyResultsFromJson.
analysis::StudyResults ReadStudyResults(const std::filesystem::path& path);

}  // namespace llmcal::report
