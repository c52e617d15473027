// Table renderers, tested by data: every tests/report/table_cases/*.case file
// builds one table and states its exact rendering in one or more formats.
//
// Case file layout (lines):
//   # comment            anywhere outside an expected rendering
//   table: TITLE         the title (may be empty)
//   columns: JSON        [[key, label, type, digits?], ...], type text|integer|number|interval
//   row: JSON            [cell, ...]: a string (text), a number, "nan"/"inf"/"-inf"
//                        (number), [lo, hi] (interval), null (empty)
//   note: TEXT           optional
//   expect FORMAT        a TableFormatName; the rendering follows verbatim, up
//   ...                  to a line holding only `end`
//   end
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "report/table.h"
#include "support/case_file.h"
#include "support/csv_rows.h"

namespace llmcal::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Expectation {
  TableFormat format;
  std::string text;
};

struct Case {
  Table table{"", {}};
  std::vector<Expectation> expectations;
};

ColumnType ParseType(const std::string& name) {
  if (name == "text")
    return ColumnType::kText;
  if (name == "integer")
    return ColumnType::kInteger;
  if (name == "number")
    return ColumnType::kNumber;
  if (name == "interval")
    return ColumnType::kInterval;
  throw std::runtime_error("unknown column type " + name);
}

double ParseNumber(const json& v) {
  if (v.is_number())
    return v.get<double>();
  const std::string s = v.get<std::string>();
  if (s == "nan")
    return std::numeric_limits<double>::quiet_NaN();
  if (s == "inf" || s == "-inf")
    return (s == "inf" ? 1 : -1) * std::numeric_limits<double>::infinity();
  throw std::runtime_error("not a number: " + s);
}

Cell ParseCell(const json& v, ColumnType type) {
  if (v.is_null())
    return {};
  switch (type) {
    case ColumnType::kText:
      return v.get<std::string>();
    case ColumnType::kInteger:
      return v.get<std::int64_t>();
    case ColumnType::kNumber:
      return ParseNumber(v);
    case ColumnType::kInterval:
      return Interval{ParseNumber(v.at(0)), ParseNumber(v.at(1))};
  }
  return {};
}

std::vector<Column> ParseColumns(const std::string& text) {
  std::vector<Column> columns;
  for (const json& c : json::parse(text)) {
    columns.push_back({.key = c.at(0),
                       .label = c.at(1),
                       .type = ParseType(c.at(2)),
                       .digits = c.size() > 3 ? c.at(3).get<int>() : 4});
  }
  return columns;
}

Case ReadCase(const fs::path& path) {
  testing::CaseReader reader(path);
  std::string title, note;
  std::vector<Column> columns;
  std::vector<std::string> rows;
  Case c;
  while (const std::optional<testing::CaseLine> line = reader.Next()) {
    if (line->keyword == "table:") {
      title = line->rest;
    } else if (line->keyword == "columns:") {
      columns = ParseColumns(line->rest);
    } else if (line->keyword == "row:") {
      rows.push_back(line->rest);
    } else if (line->keyword == "note:") {
      note = line->rest;
    } else if (line->keyword == "expect") {
      const auto format = ParseTableFormat(line->rest);
      if (!format)
        line->Fail("unknown format");
      c.expectations.push_back({*format, testing::JoinLines(reader.Block())});
    } else {
      line->Fail("unknown keyword");
    }
  }
  c.table = Table(title, columns);
  for (const std::string& row : rows) {
    std::vector<Cell> cells;
    const json values = json::parse(row);
    for (std::size_t j = 0; j < values.size(); ++j)
      cells.push_back(
          ParseCell(values[j], j < columns.size() ? columns[j].type : ColumnType::kText));
    c.table.AddRow(std::move(cells));
  }
  c.table.set_note(note);
  return c;
}

const fs::path kCasesDir = fs::path(REPORT_TEST_DIR) / "table_cases";

class TableCase : public ::testing::TestWithParam<std::string> {};

TEST_P(TableCase, RendersAsExpected) {
  const Case c = ReadCase(kCasesDir / (GetParam() + ".case"));
  ASSERT_FALSE(c.expectations.empty()) << GetParam() << " expects nothing";
  for (const Expectation& e : c.expectations) {
    EXPECT_EQ(RenderTable(c.table, e.format), e.text)
        << GetParam() << ".case, format " << TableFormatName(e.format);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, TableCase,
                         ::testing::ValuesIn(testing::CaseNames(kCasesDir, ".case")),
                         testing::CaseParamName);

TEST(TableCases, ThereAreCases) {
  EXPECT_GE(testing::CaseNames(kCasesDir, ".case").size(), 9u);
}

TEST(Table, RejectsARowOfTheWrongShape) {
  Table t("t", {{.key = "a", .label = "a", .type = ColumnType::kNumber}});
  EXPECT_THROW(t.AddRow({}), std::invalid_argument);
  EXPECT_THROW(t.AddRow({std::string("text in a number column")}), std::invalid_argument);
  EXPECT_THROW(t.AddRow({std::int64_t{1}}), std::invalid_argument);
  t.AddRow({Cell()});
  t.AddRow({0.5});
  EXPECT_EQ(t.rows().size(), 2u);
}

// An independent reader (libcsv) gets back exactly the text that was written.
TEST(CsvRendering, ReadsBackWithLibcsv) {
  const std::vector<std::string> awkward = {"plain", "a,b", "say \"hi\"", "two\nlines", " edge ",
                                            "\"",    ",",   "",           "tab\there",  "ünï ☃"};
  Table t("", {{.key = "text", .label = "text"},
               {.key = "x", .label = "x", .type = ColumnType::kNumber}});
  for (const std::string& text : awkward)
    t.AddRow({text, 0.1});
  const std::vector<llmcal::testing::CsvRow> rows =
      llmcal::testing::ParseCsv(RenderTable(t, TableFormat::kCsv));
  ASSERT_EQ(rows.size(), awkward.size() + 1);
  EXPECT_EQ(rows[0], (llmcal::testing::CsvRow{"text", "x"}));
  for (std::size_t i = 0; i < awkward.size(); ++i)
    EXPECT_EQ(rows[i + 1], (llmcal::testing::CsvRow{awkward[i], "0.1"})) << awkward[i];
}

TEST(TableFormat, NamesRoundTrip) {
  for (TableFormat f : kAllTableFormats)
    EXPECT_EQ(ParseTableFormat(TableFormatName(f)), f);
  EXPECT_FALSE(ParseTableFormat("xml"));
}

}  // namespace
}  // namespace llmcal::report
