#include "support/csv_rows.h"

#include <csv.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace llmcal::testing {

std::vector<CsvRow> ParseCsv(std::string_view text) {
  struct Collector {
    std::vector<CsvRow> rows;
    CsvRow row;
  } collector;
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT) != 0)
    throw std::runtime_error("csv_init failed");
  const auto on_field = [](void* field, std::size_t len, void* data) {
    static_cast<Collector*>(data)->row.emplace_back(static_cast<char*>(field), len);
  };
  const auto on_row = [](int, void* data) {
    auto* c = static_cast<Collector*>(data);
    c->rows.push_back(std::move(c->row));
    c->row.clear();
  };
  const bool parsed =
      csv_parse(&parser, text.data(), text.size(), on_field, on_row, &collector) == text.size() &&
      csv_fini(&parser, on_field, on_row, &collector) == 0;
  const std::string error = csv_strerror(csv_error(&parser));
  csv_free(&parser);
  if (!parsed)
    throw std::runtime_error("CSV parse error: " + error);
  return collector.rows;
}

std::vector<CsvRow> ReadCsvFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseCsv(buffer.str());
}

}  // namespace llmcal::testing
