// The plumbing every loader shares: reading a file whole, walking it line by
// line with 1-based line numbers, locating a record for error messages, and
// the skip-or-fail policy for bad records (--skip-bad).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace llmcal {

// Where a record starts: a file, a 1-based line and, for a record inside a
// file that is one JSON array (several records may share a line), its
// 0-based position in that array.
struct RecordLocation {
  std::string file;  // the path as the user gave it (or as found under --data)
  std::int64_t line = 0;
  std::int64_t array_index = -1;  // -1: not an array element

  // Returns InputError::At(file, line, field, what); inside an array the
  // field path starts with the element's index: "[12].question".
  InputError Error(const std::string& field, const std::string& what) const;
  // Returns "<file name>:<line>", or "<file name>[<index>]" for an array
  // element: the id of a record that has none of its own.
  std::string FallbackId() const;
};

// The whole content of a file.
struct FileText {
  std::filesystem::path path;
  std::string text;
};

// Returns the file's bytes. Throws InputError naming the file when it does not
// exist, is not a regular file or cannot be read, and when it is empty or
// holds only whitespace ("empty file").
FileText ReadWholeFile(const std::filesystem::path& path);

// The name standard input goes by in messages.
inline constexpr const char* kStdinName = "<stdin>";

// Returns the whole of `in`, named `name` in messages. Throws InputError as
// ReadWholeFile does for a read error or an empty or blank stream.
FileText ReadWholeStream(std::istream& in, const std::string& name);

// Returns ReadWholeFile(path), or the whole of standard input (named
// kStdinName) when path is "-".
FileText ReadWholeInput(const std::string& path);

// One line of a file without its line terminator ("\n" or "\r\n").
struct Line {
  std::int64_t number = 0;  // 1-based
  std::string_view text;
};

// Returns the lines of `text`; a final line terminator does not start a new line.
std::vector<Line> SplitLines(std::string_view text);

// Returns true when `text` is empty or only ASCII whitespace.
bool IsBlank(std::string_view text);

// Decides what happens to a bad record: fail the load (the default) or, with
// skip_bad, remember the error and go on.
class BadRecordPolicy {
 public:
  explicit BadRecordPolicy(bool skip_bad) : skip_bad_(skip_bad) {}

  // Runs `parse_record`; an InputError it throws is rethrown, or recorded
  // and swallowed when skipping. Returns true when the record parsed.
  bool Attempt(const std::function<void()>& parse_record);

  // Messages of the records skipped so far, in order.
  const std::vector<std::string>& skipped() const { return skipped_; }

 private:
  bool skip_bad_;
  std::vector<std::string> skipped_;
};

}  // namespace llmcal
