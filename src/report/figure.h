// A figure before it is drawn: a gnuplot script and the data files it plots,
// both kept beside the SVG and PDF so that a user can restyle the figure
// (edit NAME.gp, run `gnuplot NAME.gp` in its folder) and a test can read the
// plotted numbers back.
//
// Data files are tab-separated text. They open with comment lines (#) naming
// the figure and the columns; then blocks of rows, one block per plotted
// series, each introduced by a "# block N: ..." comment and separated by two
// blank lines (gnuplot's `index N`). A label cell is text (DataLabel); a
// number is written with every digit needed to read it back exactly, and a
// missing or non-finite number as NaN, which the scripts treat as missing
// (not plotted).
#pragma once

#include <set>
#include <string>
#include <variant>
#include <vector>

namespace llmcal::report {

// One cell of a data row: a label or a number.
using DataCell = std::variant<std::string, double>;

class DataFile {
 public:
  // `file_name` is the file's name in the figure's folder ("fig.values.dat");
  // `columns` name the columns of every row.
  DataFile(std::string file_name, std::string description, std::vector<std::string> columns);

  // Starts the next block (gnuplot index blocks(): 0, 1, ...), described in
  // its comment line.
  void StartBlock(const std::string& description);
  // Appends a row to the current block.
  // REQUIRES: a block was started; one cell per column. Throws std::logic_error otherwise.
  void AddRow(std::vector<DataCell> row);

  const std::string& file_name() const { return file_name_; }
  int blocks() const { return blocks_; }
  // Rows in all blocks.
  int rows() const { return rows_; }
  // The file's content.
  const std::string& text() const { return text_; }

 private:
  std::string file_name_;
  std::size_t columns_;
  int blocks_ = 0;
  int rows_ = 0;
  std::string text_;
};

struct Figure {
  std::string name;     // file stem, unique among a report's figures
  std::string title;    // heading in the report
  std::string caption;  // how to read it
  std::string script;   // gnuplot script writing name.svg and name.pdf in its folder
  std::vector<DataFile> data;
};

// The frame every figure's script shares: comments saying how to redraw it,
// then, once for SVG and once for PDF, the terminal and output lines around
// `body`. `body` starts from gnuplot's defaults (reset) with the data-file
// settings above made again, and must leave no multiplot open.
// REQUIRES: width and height (SVG pixels) > 0.
std::string ScriptFrame(const std::string& name, const std::string& title, int width, int height,
                        const std::string& body);

// Hands out figure names (file stems) that are unique within a report: a
// name already taken gets "-2", "-3", ... appended.
class FigureNames {
 public:
  // Returns FileStem(wanted), made unique.
  std::string Claim(const std::string& wanted);

 private:
  std::set<std::string> taken_;
};

// Helpers for figure builders.

// gnuplot `set xtics (...)` placing each label at its index 0, 1, ...
std::string XTicsCommand(const std::vector<std::string>& labels);

// The x position of bar `series` of `count` bars in the group at `group`
// (groups at 0, 1, ...; the bars of a group span 0.8), and the bar width.
double BarX(std::size_t group, std::size_t series, std::size_t count);
double BarWidth(std::size_t count);

// A colour of Paul Tol's "bright" scheme (colour-blind safe), cycling: "#4477AA", ...
std::string SeriesColor(std::size_t i);

}  // namespace llmcal::report
