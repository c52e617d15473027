// Reading CSV in tests with libcsv, an implementation independent of the
// project's own CSV writer.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace llmcal::testing {

using CsvRow = std::vector<std::string>;

// Returns the records of `text` (RFC 4180). Throws std::runtime_error when
// libcsv reports an error.
std::vector<CsvRow> ParseCsv(std::string_view text);

// Returns the records of the CSV file at `path`.
std::vector<CsvRow> ReadCsvFile(const std::filesystem::path& path);

}  // namespace llmcal::testing
