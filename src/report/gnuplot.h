// Drawing figures with gnuplot, run as a child process: no shell, its own
// process group, standard input from /dev/null, a time limit, and its exit
// status checked, so that a broken or missing gnuplot cannot crash or hang a
// report.
//
// Example:
//   if (std::optional<std::filesystem::path> exe = FindProgram("gnuplot")) {
//     const Gnuplot gnuplot(*exe, std::chrono::seconds(60));
//     WriteFigureFiles(dir, figure);
//     gnuplot.Draw(dir, figure);  // dir/NAME.svg and dir/NAME.pdf
//   }
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "report/figure.h"

namespace llmcal::report {

// A figure could not be drawn. The message names the figure and says why
// (gnuplot's exit status and the end of its output, or the time limit).
class FigureError : public std::runtime_error {
 public:
  explicit FigureError(const std::string& message) : std::runtime_error(message) {}
};

// Returns the executable that `program` names: `program` itself when it holds
// a '/', else the first executable regular file of that name in a directory
// of $PATH. Returns nullopt when there is none.
std::optional<std::filesystem::path> FindProgram(const std::string& program);

// Writes the figure's script (NAME.gp) and data files into `dir`, which must
// exist, and removes a NAME.svg, NAME.pdf or NAME.log left there before.
// Returns the paths written.
// Throws InputError naming a file that cannot be written.
std::vector<std::filesystem::path> WriteFigureFiles(const std::filesystem::path& dir,
                                                    const Figure& figure);

class Gnuplot {
 public:
  // REQUIRES: `executable` is gnuplot (FindProgram), timeout > 0.
  Gnuplot(std::filesystem::path executable, std::chrono::milliseconds timeout);

  // Runs dir/NAME.gp with `dir` as gnuplot's working directory, where it
  // writes NAME.svg and NAME.pdf; gnuplot's output goes to dir/NAME.log,
  // removed when the figure is drawn. Returns the SVG and PDF paths.
  // REQUIRES: WriteFigureFiles(dir, figure) was called.
  // Throws FigureError naming the figure when gnuplot cannot be started,
  // exits with a non-zero status or on a signal, runs past the time limit
  // (then its process group is killed), or leaves no SVG or PDF.
  std::vector<std::filesystem::path> Draw(const std::filesystem::path& dir,
                                          const Figure& figure) const;

 private:
  std::filesystem::path executable_;
  std::chrono::milliseconds timeout_;
};

}  // namespace llmcal::report
