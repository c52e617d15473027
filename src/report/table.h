// A result table and its renderers: terminal text, CSV, JSON, Markdown,
// LaTeX and HTML.
//
// A Table is a title, typed columns and rows of cells. Cells keep full
// precision; only the renderer formats them: the display formats (text,
// Markdown, LaTeX, HTML) show a number with its column's `digits` decimals,
// CSV and JSON write the shortest text that reads back as the same double.
// A cell may be empty (std::monostate): undefined metric values, missing
// intervals. A NaN number is shown like an empty cell; an infinite one as
// "inf" / "-inf".
//
// Example:
//   Table t("ECE", {{.key = "model", .label = "model"},
//                   {.key = "ece", .label = "ECE", .type = ColumnType::kNumber, .digits = 3},
//                   {.key = "ci", .label = "95% CI", .type = ColumnType::kInterval}});
//   t.AddRow({std::string("llama_2"), 0.12345, Interval{0.1, 0.15}});
//   RenderTable(t, TableFormat::kText);
//   // ECE
//   //
//   // model     ECE  95% CI
//   // -------  -----  ----------------
//   // llama_2  0.123  [0.1000, 0.1500]
//
// Shapes per format:
//   text      title, header, dashes, rows (text left-aligned, numbers right), note
//   csv       header of column keys, then rows (RFC 4180); an interval column
//             is two columns KEY_lo, KEY_hi; title and note are not written
//   json      an array of row objects {key: value}; empty cell = null, an
//             interval = [lo, hi], inf = "inf"; title and note are not written
//   markdown  **title**, a GFM table with numbers right-aligned, the note
//   latex     a booktabs table environment, \caption{title}, the note below
//   html      <table> with <caption>, numeric cells class="num", the note in
//             <p class="table-note">
// The note is prose for readers (Kendall's W under the rank table); builders
// put every number of a note in a table of its own too, so CSV and JSON lose
// nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "analysis/results.h"

namespace llmcal::report {

using analysis::Interval;

enum class ColumnType { kText, kInteger, kNumber, kInterval };

struct Column {
  std::string key;    // CSV header, JSON member: "change_rate"
  std::string label;  // header in the display formats: "change %"
  ColumnType type = ColumnType::kText;
  int digits = 4;  // decimals of kNumber and kInterval cells in the display formats

  // A column of each type: Column::Number("ece", "ECE", 3).
  static Column Text(std::string key, std::string label) {
    return {std::move(key), std::move(label), ColumnType::kText, 4};
  }
  static Column Integer(std::string key, std::string label) {
    return {std::move(key), std::move(label), ColumnType::kInteger, 4};
  }
  static Column Number(std::string key, std::string label, int digits = 4) {
    return {std::move(key), std::move(label), ColumnType::kNumber, digits};
  }
  static Column Interval(std::string key, std::string label, int digits = 4) {
    return {std::move(key), std::move(label), ColumnType::kInterval, digits};
  }
};

// Cell alternatives by column type: kText std::string, kInteger std::int64_t,
// kNumber double, kInterval Interval; any column also std::monostate (empty).
using Cell = std::variant<std::monostate, std::string, std::int64_t, double, Interval>;

class Table {
 public:
  Table(std::string title, std::vector<Column> columns);

  // Appends a row. REQUIRES: one cell per column, each of its column's
  // alternative or empty. Throws std::invalid_argument otherwise.
  void AddRow(std::vector<Cell> row);

  void set_note(std::string note) { note_ = std::move(note); }

  const std::string& title() const { return title_; }
  const std::string& note() const { return note_; }
  const std::vector<Column>& columns() const { return columns_; }
  const std::vector<std::vector<Cell>>& rows() const { return rows_; }

 private:
  std::string title_;
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
  std::string note_;
};

enum class TableFormat { kText, kCsv, kJson, kMarkdown, kLatex, kHtml };

inline constexpr TableFormat kAllTableFormats[] = {TableFormat::kText,  TableFormat::kCsv,
                                                   TableFormat::kJson,  TableFormat::kMarkdown,
                                                   TableFormat::kLatex, TableFormat::kHtml};

// The format's name for --format: "table", "csv", "json", "md", "latex", "html".
std::string_view TableFormatName(TableFormat format);
// The file extension of a rendered table: "txt", "csv", "json", "md", "tex", "html".
std::string_view TableFormatExtension(TableFormat format);
// Returns the format named `name` (TableFormatName), or nullopt.
std::optional<TableFormat> ParseTableFormat(std::string_view name);

// Returns `table` rendered in `format`, ending with a line break.
std::string RenderTable(const Table& table, TableFormat format);

}  // namespace llmcal::report
