// Case files: tests as data (DuckDB style). A case suite is a folder of case
// files, one case each, or one file of sections, one case each ("== NAME").
// Every suite keeps its own keywords; what they share lives here: finding
// the cases, reading lines with their numbers, multi-line blocks, and naming
// the file and line in every failure. Adding a case costs one file (or one
// section), never C++.
//
//   class MetricCase : public ::testing::TestWithParam<std::string> {};
//   TEST_P(MetricCase, Matches) {
//     CaseReader reader(kCasesDir / (GetParam() + ".case"));
//     while (const std::optional<CaseLine> line = reader.Next()) {
//       SCOPED_TRACE(line->Where());
//       if (line->keyword == "item") ...
//       else line->Fail("unknown keyword");
//     }
//   }
//   INSTANTIATE_TEST_SUITE_P(Cases, MetricCase,
//                            ::testing::ValuesIn(CaseNames(kCasesDir, ".case")), CaseParamName);
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace llmcal::testing {

// One line of a case file that is neither blank nor a comment.
struct CaseLine {
  std::string file;     // the case file's name, for messages
  int number = 0;       // 1-based
  std::string text;     // the whole line
  std::string keyword;  // its first word
  std::string rest;     // what follows the keyword and its separating spaces

  // Returns "FILE:NUMBER", for SCOPED_TRACE and messages.
  std::string Where() const;
  // Returns `rest` split on whitespace.
  std::vector<std::string> Words() const;
  // Throws std::runtime_error "FILE:NUMBER: what (in: TEXT)": a malformed case
  // is a test failure that says where to look.
  [[noreturn]] void Fail(const std::string& what) const;
};

// Reads one case file line by line. Blank lines and lines whose first
// non-blank character is '#' are comments, except inside a Block().
class CaseReader {
 public:
  // Reads the whole file. Throws std::runtime_error naming the path when it
  // cannot be read.
  explicit CaseReader(const std::filesystem::path& path);

  // Returns the next line that is neither blank nor a comment, or nullopt at
  // the end of the file.
  std::optional<CaseLine> Next();

  // Returns the raw lines after the last line returned, up to the line equal
  // to `terminator` (which is consumed); comments and blank lines are kept.
  // Throws naming the block's start when the file ends first.
  std::vector<std::string> Block(const std::string& terminator = "end");

  // The case file's name, for messages.
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<std::string> lines_;
  std::size_t next_ = 0;  // index of the next unread line
};

// Returns `lines` joined, each followed by "\n".
std::string JoinLines(const std::vector<std::string>& lines);

// One case of a sectioned file: "== NAME" up to the next "== " line.
struct CaseSection {
  std::string name;
  std::string where;               // "FILE:LINE" of its "== " line
  std::vector<std::string> lines;  // raw lines, comments and blanks kept
};

// How gtest prints a section parameter (in failures and ctest names).
void PrintTo(const CaseSection& section, std::ostream* out);

// Returns the sections of a file of "== NAME" cases; lines before the first
// section must be comments or blank. Throws std::runtime_error naming the
// file and line otherwise, when the file holds no section (a suite that
// finds no case must fail, not pass vacuously), or when it cannot be read.
std::vector<CaseSection> ReadCaseSections(const std::filesystem::path& path);

// Returns the names (file names without the extension) of the files in `dir`
// ending in `extension`, sorted: the parameters of a case suite. Throws
// std::runtime_error when the folder cannot be listed or holds no such file
// (a suite that finds no case must fail, not pass vacuously).
std::vector<std::string> CaseNames(const std::filesystem::path& dir, const std::string& extension);

// A gtest parameter name for a case name: each character that is not a
// letter or digit becomes '_'.
std::string CaseParamName(const ::testing::TestParamInfo<std::string>& info);

// The same for a sectioned case: its name, made a valid gtest name.
std::string SectionParamName(const ::testing::TestParamInfo<CaseSection>& info);

}  // namespace llmcal::testing
