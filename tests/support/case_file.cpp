#include "support/case_file.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace llmcal::testing {
namespace {

bool IsCommentOrBlank(const std::string& line) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  return first == std::string::npos || line[first] == '#';
}

std::vector<std::string> ReadLines(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error(path.string() + ": cannot read the case file");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

}  // namespace

std::string CaseLine::Where() const {
  return file + ":" + std::to_string(number);
}

std::vector<std::string> CaseLine::Words() const {
  std::istringstream in(rest);
  std::vector<std::string> words;
  for (std::string word; in >> word;)
    words.push_back(word);
  return words;
}

void CaseLine::Fail(const std::string& what) const {
  throw std::runtime_error(Where() + ": " + what + " (in: " + text + ")");
}

CaseReader::CaseReader(const std::filesystem::path& path)
    : file_(path.filename().string()), lines_(ReadLines(path)) {}

std::optional<CaseLine> CaseReader::Next() {
  while (next_ < lines_.size() && IsCommentOrBlank(lines_[next_]))
    ++next_;
  if (next_ == lines_.size())
    return std::nullopt;
  CaseLine line;
  line.file = file_;
  line.number = static_cast<int>(next_ + 1);
  line.text = lines_[next_++];
  const std::size_t start = line.text.find_first_not_of(" \t");
  const std::size_t end = line.text.find_first_of(" \t", start);
  line.keyword = line.text.substr(start, end - start);
  if (end != std::string::npos) {
    const std::size_t rest = line.text.find_first_not_of(" \t", end);
    if (rest != std::string::npos)
      line.rest = line.text.substr(rest);
  }
  return line;
}

std::vector<std::string> CaseReader::Block(const std::string& terminator) {
  const std::size_t start = next_;
  std::vector<std::string> block;
  for (; next_ < lines_.size(); ++next_) {
    if (lines_[next_] == terminator) {
      ++next_;
      return block;
    }
    block.push_back(lines_[next_]);
  }
  throw std::runtime_error(file_ + ":" + std::to_string(start) + ": the block has no closing '" +
                           terminator + "' line");
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines)
    text += line + "\n";
  return text;
}

void PrintTo(const CaseSection& section, std::ostream* out) {
  *out << section.where << " " << section.name;
}

std::vector<CaseSection> ReadCaseSections(const std::filesystem::path& path) {
  const std::vector<std::string> lines = ReadLines(path);
  const std::string file = path.filename().string();
  std::vector<CaseSection> sections;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string where = file + ":" + std::to_string(i + 1);
    if (lines[i].starts_with("== ")) {
      sections.push_back({lines[i].substr(3), where, {}});
    } else if (!sections.empty()) {
      sections.back().lines.push_back(lines[i]);
    } else if (!IsCommentOrBlank(lines[i])) {
      throw std::runtime_error(where + ": expected a comment or '== NAME' before the first case");
    }
  }
  if (sections.empty())
    throw std::runtime_error(file + ": no '== NAME' case");
  return sections;
}

std::vector<std::string> CaseNames(const std::filesystem::path& dir, const std::string& extension) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == extension)
      names.push_back(entry.path().stem().string());
  }
  if (names.empty())
    throw std::runtime_error(dir.string() + ": no *" + extension + " case files");
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

std::string GtestName(std::string name) {
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)))
      ch = '_';
  }
  return name;
}

}  // namespace

std::string CaseParamName(const ::testing::TestParamInfo<std::string>& info) {
  return GtestName(info.param);
}

std::string SectionParamName(const ::testing::TestParamInfo<CaseSection>& info) {
  return GtestName(info.param.name);
}

}  // namespace llmcal::testing
