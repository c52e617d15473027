#include "report/figure.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "report/escape.h"

namespace llmcal::report {

namespace {

std::string DataText(const DataCell& cell) {
  if (const auto* label = std::get_if<std::string>(&cell))
    return label->empty() ? "-" : DataLabel(*label);
  const double v = std::get<double>(cell);
  return std::isfinite(v) ? fmt::format("{}", v) : "NaN";
}

}  // namespace

DataFile::DataFile(std::string file_name, std::string description, std::vector<std::string> columns)
    : file_name_(std::move(file_name)), columns_(columns.size()) {
  text_ = fmt::format("# {}\n# columns: {}\n", DataLabel(description), fmt::join(columns, "\t"));
}

void DataFile::StartBlock(const std::string& description) {
  if (blocks_ > 0)
    text_ += "\n\n";
  text_ += fmt::format("# block {}: {}\n", blocks_, DataLabel(description));
  ++blocks_;
}

void DataFile::AddRow(std::vector<DataCell> row) {
  if (blocks_ == 0 || row.size() != columns_) {
    throw std::logic_error(fmt::format("{}: a row of {} cells for {} columns{}", file_name_,
                                       row.size(), columns_,
                                       blocks_ == 0 ? " before any block" : ""));
  }
  std::vector<std::string> cells;
  for (const DataCell& cell : row)
    cells.push_back(DataText(cell));
  text_ += fmt::format("{}\n", fmt::join(cells, "\t"));
  ++rows_;
}

std::string ScriptFrame(const std::string& name, const std::string& title, int width, int height,
                        const std::string& body) {
  if (width <= 0 || height <= 0)
    throw std::invalid_argument("figure size must be positive");
  // PDF: 100 SVG pixels to the inch, so both keep the same proportions.
  return fmt::format(
      "# {title}\n"
      "# Written by `llmcal report`. The plotted numbers are in {name}*.dat beside this\n"
      "# file (tab-separated; the comments in each name the columns and series).\n"
      "# Restyle this script, then redraw {name}.svg and {name}.pdf with: gnuplot {name}.gp\n"
      "do for [out in \"svg pdf\"] {{\n"
      "  if (out eq \"svg\") {{\n"
      "    set terminal svg size {w},{h} dynamic noenhanced font \"sans-serif,11\" "
      "background \"white\"\n"
      "  }} else {{\n"
      "    set terminal pdfcairo size {win:.2f}in,{hin:.2f}in noenhanced font \"sans-serif,9\"\n"
      "  }}\n"
      "  set output \"{name}.\".out\n"
      "  reset\n"
      "  set encoding utf8\n"
      "  set datafile separator \"\\t\"\n"
      "  set datafile missing \"NaN\"\n"
      "{body}"
      "  unset output\n"
      "}}\n",
      fmt::arg("title", DataLabel(title)), fmt::arg("name", name), fmt::arg("w", width),
      fmt::arg("h", height), fmt::arg("win", width / 100.0), fmt::arg("hin", height / 100.0),
      fmt::arg("body", body));
}

std::string FigureNames::Claim(const std::string& wanted) {
  const std::string stem = FileStem(wanted);
  std::string name = stem;
  for (int k = 2; !taken_.insert(name).second; ++k)
    name = fmt::format("{}-{}", stem, k);
  return name;
}

std::string XTicsCommand(const std::vector<std::string>& labels) {
  std::vector<std::string> tics;
  for (std::size_t i = 0; i < labels.size(); ++i)
    tics.push_back(fmt::format("{} {}", GnuplotString(labels[i]), i));
  return fmt::format("set xtics ({})\n", fmt::join(tics, ", "));
}

double BarWidth(std::size_t count) {
  return 0.8 / static_cast<double>(count);
}

double BarX(std::size_t group, std::size_t series, std::size_t count) {
  const double centre = (static_cast<double>(count) - 1) / 2;
  return static_cast<double>(group) + (static_cast<double>(series) - centre) * BarWidth(count);
}

std::string SeriesColor(std::size_t i) {
  static constexpr const char* kBright[] = {"#4477AA", "#EE6677", "#228833", "#CCBB44",
                                            "#66CCEE", "#AA3377", "#BBBBBB"};
  return kBright[i % std::size(kBright)];
}

}  // namespace llmcal::report
