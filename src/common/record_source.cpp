#include "common/record_source.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace llmcal {

InputError RecordLocation::Error(const std::string& field, const std::string& what) const {
  if (array_index < 0) {
    return InputError::At(file, line, field, what);
  }
  const std::string path =
      field.empty() ? fmt::format("[{}]", array_index) : fmt::format("[{}].{}", array_index, field);
  return InputError::At(file, line, path, what);
}

std::string RecordLocation::FallbackId() const {
  const std::string name = std::filesystem::path(file).filename().string();
  if (array_index >= 0) {
    return fmt::format("{}[{}]", name, array_index);
  }
  return name + ":" + std::to_string(line);
}

FileText ReadWholeFile(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw InputError::At(name, 0, "", "cannot read: no such file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw InputError::At(name, 0, "", "cannot read: not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError::At(name, 0, "", std::string("cannot read: ") + std::strerror(errno));
  }
  FileText file = ReadWholeStream(in, name);
  file.path = path;
  return file;
}

FileText ReadWholeStream(std::istream& in, const std::string& name) {
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    throw InputError::At(name, 0, "", "read error");
  }
  FileText file{name, std::move(content).str()};
  if (IsBlank(file.text)) {
    throw InputError::At(name, 0, "", "empty file: no records");
  }
  return file;
}

FileText ReadWholeInput(const std::string& path) {
  if (path == "-") {
    return ReadWholeStream(std::cin, kStdinName);
  }
  return ReadWholeFile(path);
}

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  std::int64_t number = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    if (end == std::string_view::npos) {
      end = text.size();
    }
    if (end > pos && text[end - 1] == '\r') {
      --end;
    }
    lines.push_back({number++, text.substr(pos, end - pos)});
    pos = next;
  }
  return lines;
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

bool BadRecordPolicy::Attempt(const std::function<void()>& parse_record) {
  try {
    parse_record();
    return true;
  } catch (const InputError& e) {
    if (!skip_bad_) {
      throw;
    }
    skipped_.emplace_back(e.what());
    return false;
  }
}

}  // namespace llmcal
