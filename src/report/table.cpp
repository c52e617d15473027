#include "report/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "report/escape.h"
#include "report/json_number.h"

namespace llmcal::report {

namespace {

using nlohmann::ordered_json;

bool IsNumeric(ColumnType type) {
  return type != ColumnType::kText;
}

bool CellFits(const Cell& cell, ColumnType type) {
  switch (type) {
    case ColumnType::kText:
      return std::holds_alternative<std::string>(cell);
    case ColumnType::kInteger:
      return std::holds_alternative<std::int64_t>(cell);
    case ColumnType::kNumber:
      return std::holds_alternative<double>(cell);
    case ColumnType::kInterval:
      return std::holds_alternative<Interval>(cell);
  }
  return false;
}

// How a display format writes what is not a finite number.
struct Spelling {
  std::string_view empty;
  std::string_view inf;
  std::string_view minus;  // prefix of a negative number
};

constexpr Spelling kPlain{"-", "inf", "-"};
constexpr Spelling kLatex{"--", "$\\infty$", "$-$"};

std::string DisplayNumber(double v, int digits, const Spelling& s) {
  if (std::isnan(v))
    return std::string(s.empty);
  const std::string sign = std::signbit(v) ? std::string(s.minus) : "";
  if (std::isinf(v))
    return sign + std::string(s.inf);
  return sign + fmt::format("{:.{}f}", std::abs(v), digits);
}

// A cell as the display formats show it, before format-specific escaping of
// text cells (numbers need none).
std::string DisplayCell(const Cell& cell, const Column& column, const Spelling& s) {
  if (const auto* text = std::get_if<std::string>(&cell))
    return *text;
  if (const auto* integer = std::get_if<std::int64_t>(&cell))
    return fmt::format("{}", *integer);
  if (const auto* number = std::get_if<double>(&cell))
    return DisplayNumber(*number, column.digits, s);
  if (const auto* interval = std::get_if<Interval>(&cell)) {
    if (std::isnan(interval->lo) && std::isnan(interval->hi))
      return std::string(s.empty);
    return fmt::format("[{}, {}]", DisplayNumber(interval->lo, column.digits, s),
                       DisplayNumber(interval->hi, column.digits, s));
  }
  return std::string(s.empty);
}

// The shortest text that reads back as v; "" for NaN.
std::string ExactNumber(double v) {
  if (std::isnan(v))
    return "";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);
}

// Display width of UTF-8 text: code points, so names with accents still align.
std::size_t Width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Pad(const std::string& text, std::size_t width, bool right) {
  const std::string fill(width - std::min(width, Width(text)), ' ');
  return right ? fill + text : text + fill;
}

std::string TrimRight(std::string line) {
  line.erase(line.find_last_not_of(' ') + 1);
  return line;
}

std::string RenderText(const Table& table) {
  const auto& columns = table.columns();
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> width;
  for (const Column& c : columns)
    width.push_back(Width(c.label));
  for (const auto& row : table.rows()) {
    auto& out = cells.emplace_back();
    for (std::size_t j = 0; j < columns.size(); ++j) {
      out.push_back(DisplayCell(row[j], columns[j], kPlain));
      width[j] = std::max(width[j], Width(out.back()));
    }
  }
  const auto line = [&](const auto& cell_text) {
    std::string text;
    for (std::size_t j = 0; j < columns.size(); ++j)
      text += (j ? "  " : "") + Pad(cell_text(j), width[j], IsNumeric(columns[j].type));
    return TrimRight(text) + "\n";
  };
  std::string out;
  if (!table.title().empty())
    out += table.title() + "\n\n";
  out += line([&](std::size_t j) { return columns[j].label; });
  out += line([&](std::size_t j) { return std::string(width[j], '-'); });
  for (const auto& row : cells)
    out += line([&](std::size_t j) { return row[j]; });
  if (!table.note().empty())
    out += "\n" + table.note() + "\n";
  return out;
}

std::string RenderCsv(const Table& table) {
  std::vector<std::string> header;
  for (const Column& c : table.columns()) {
    if (c.type == ColumnType::kInterval) {
      header.push_back(CsvField(c.key + "_lo"));
      header.push_back(CsvField(c.key + "_hi"));
    } else {
      header.push_back(CsvField(c.key));
    }
  }
  std::string out = fmt::format("{}\n", fmt::join(header, ","));
  for (const auto& row : table.rows()) {
    std::vector<std::string> fields;
    for (std::size_t j = 0; j < row.size(); ++j) {
      const Cell& cell = row[j];
      if (table.columns()[j].type == ColumnType::kInterval) {
        const auto* interval = std::get_if<Interval>(&cell);
        fields.push_back(interval ? ExactNumber(interval->lo) : "");
        fields.push_back(interval ? ExactNumber(interval->hi) : "");
      } else if (const auto* text = std::get_if<std::string>(&cell)) {
        fields.push_back(CsvField(*text));
      } else if (const auto* integer = std::get_if<std::int64_t>(&cell)) {
        fields.push_back(fmt::format("{}", *integer));
      } else if (const auto* number = std::get_if<double>(&cell)) {
        fields.push_back(ExactNumber(*number));
      } else {
        fields.emplace_back();
      }
    }
    out += fmt::format("{}\n", fmt::join(fields, ","));
  }
  return out;
}

ordered_json JsonCell(const Cell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell))
    return *text;
  if (const auto* integer = std::get_if<std::int64_t>(&cell))
    return *integer;
  if (const auto* number = std::get_if<double>(&cell))
    return JsonNumber(*number);
  if (const auto* interval = std::get_if<Interval>(&cell))
    return ordered_json::array({JsonNumber(interval->lo), JsonNumber(interval->hi)});
  return nullptr;
}

std::string RenderJson(const Table& table) {
  std::vector<std::string> rows;
  for (const auto& row : table.rows()) {
    ordered_json object = ordered_json::object();
    for (std::size_t j = 0; j < row.size(); ++j)
      object[table.columns()[j].key] = JsonCell(row[j]);
    rows.push_back("  " + object.dump());
  }
  if (rows.empty())
    return "[]\n";
  return fmt::format("[\n{}\n]\n", fmt::join(rows, ",\n"));
}

std::string RenderMarkdown(const Table& table) {
  const auto& columns = table.columns();
  std::string out;
  if (!table.title().empty())
    out += "**" + EscapeMarkdown(table.title()) + "**\n\n";
  std::string header = "|", rule = "|";
  for (const Column& c : columns) {
    header += fmt::format(" {} |", EscapeMarkdown(c.label));
    rule += IsNumeric(c.type) ? " ---: |" : " :--- |";
  }
  out += header + "\n" + rule + "\n";
  for (const auto& row : table.rows()) {
    std::string line = "|";
    for (std::size_t j = 0; j < columns.size(); ++j)
      line += fmt::format(" {} |", EscapeMarkdown(DisplayCell(row[j], columns[j], kPlain)));
    out += line + "\n";
  }
  if (!table.note().empty())
    out += "\n" + EscapeMarkdown(table.note()) + "\n";
  return out;
}

std::string RenderLatex(const Table& table) {
  const auto& columns = table.columns();
  std::string spec;
  std::vector<std::string> header;
  for (const Column& c : columns) {
    spec += IsNumeric(c.type) ? 'r' : 'l';
    header.push_back(EscapeLatex(c.label));
  }
  std::string out = "\\begin{table}[htbp]\n\\centering\n";
  if (!table.title().empty())
    out += "\\caption{" + EscapeLatex(table.title()) + "}\n";
  out += "\\begin{tabular}{" + spec + "}\n\\toprule\n";
  out += fmt::format("{} \\\\\n\\midrule\n", fmt::join(header, " & "));
  for (const auto& row : table.rows()) {
    std::vector<std::string> cells;
    for (std::size_t j = 0; j < columns.size(); ++j) {
      const bool text = std::holds_alternative<std::string>(row[j]);
      const std::string shown = DisplayCell(row[j], columns[j], kLatex);
      cells.push_back(text ? EscapeLatex(shown) : shown);
    }
    out += fmt::format("{} \\\\\n", fmt::join(cells, " & "));
  }
  out += "\\bottomrule\n\\end{tabular}\n";
  if (!table.note().empty())
    out += "\n\\smallskip\n{\\footnotesize " + EscapeLatex(table.note()) + "}\n";
  out += "\\end{table}\n";
  return out;
}

std::string RenderHtml(const Table& table) {
  const auto& columns = table.columns();
  const auto cell_class = [&](std::size_t j) {
    return IsNumeric(columns[j].type) ? std::string(" class=\"num\"") : std::string();
  };
  std::string out = "<table>\n";
  if (!table.title().empty())
    out += "<caption>" + EscapeHtml(table.title()) + "</caption>\n";
  out += "<thead><tr>";
  for (std::size_t j = 0; j < columns.size(); ++j)
    out += "<th" + cell_class(j) + ">" + EscapeHtml(columns[j].label) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows()) {
    out += "<tr>";
    for (std::size_t j = 0; j < columns.size(); ++j) {
      out += "<td" + cell_class(j) + ">" + EscapeHtml(DisplayCell(row[j], columns[j], kPlain)) +
             "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  if (!table.note().empty())
    out += "<p class=\"table-note\">" + EscapeHtml(table.note()) + "</p>\n";
  return out;
}

}  // namespace

Table::Table(std::string title, std::vector<Column> columns)
    : title_(std::move(title)), columns_(std::move(columns)) {}

void Table::AddRow(std::vector<Cell> row) {
  if (row.size() != columns_.size()) {
    throw std::invalid_argument(fmt::format("table '{}': a row of {} cells for {} columns", title_,
                                            row.size(), columns_.size()));
  }
  for (std::size_t j = 0; j < row.size(); ++j) {
    if (!std::holds_alternative<std::monostate>(row[j]) && !CellFits(row[j], columns_[j].type)) {
      throw std::invalid_argument(fmt::format("table '{}': column '{}': a cell of the wrong type",
                                              title_, columns_[j].key));
    }
  }
  rows_.push_back(std::move(row));
}

namespace {

// The one table of formats: name (--format), file extension and renderer.
struct FormatRow {
  TableFormat format;
  std::string_view name;
  std::string_view extension;
  std::string (*render)(const Table&);
};

constexpr FormatRow kFormats[] = {
    {TableFormat::kText, "table", "txt", RenderText},
    {TableFormat::kCsv, "csv", "csv", RenderCsv},
    {TableFormat::kJson, "json", "json", RenderJson},
    {TableFormat::kMarkdown, "md", "md", RenderMarkdown},
    {TableFormat::kLatex, "latex", "tex", RenderLatex},
    {TableFormat::kHtml, "html", "html", RenderHtml},
};

const FormatRow& RowOf(TableFormat format) {
  for (const FormatRow& row : kFormats) {
    if (row.format == format)
      return row;
  }
  throw std::invalid_argument("unknown table format");
}

}  // namespace

std::string_view TableFormatName(TableFormat format) {
  return RowOf(format).name;
}

std::string_view TableFormatExtension(TableFormat format) {
  return RowOf(format).extension;
}

std::optional<TableFormat> ParseTableFormat(std::string_view name) {
  for (const FormatRow& row : kFormats) {
    if (row.name == name)
      return row.format;
  }
  return std::nullopt;
}

std::string RenderTable(const Table& table, TableFormat format) {
  return RowOf(format).render(table);
}

}  // namespace llmcal::report
