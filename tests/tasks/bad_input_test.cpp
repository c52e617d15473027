// Bad input of every kind: each gives an InputError naming the file, the
// line and the field (the cases are data: bad_inputs.cases); --skip-bad
// skips the record instead and says so.
#include <gtest/gtest.h>

#include "fixture_files.h"
#include "support/case_file.h"
#include "support/test_data.h"

namespace llmcal::tasks {
namespace {

using testing::LoadError;
using testing::LoadFrom;
using testing::WriteFile;

// "\xHH" escapes in a case's content, as the byte HH (invalid UTF-8 and the like).
std::string Unescape(const std::string& line) {
  std::string bytes;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line.compare(i, 2, "\\x") == 0 && i + 4 <= line.size()) {
      bytes += static_cast<char>(std::stoi(line.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      bytes += line[i];
    }
  }
  return bytes;
}

// One case of bad_inputs.cases (its header explains the layout).
class BadInput : public ::testing::TestWithParam<llmcal::testing::CaseSection> {};

TEST_P(BadInput, NamesFileLineAndField) {
  const llmcal::testing::CaseSection& section = GetParam();
  SCOPED_TRACE(section.where + " " + section.name);
  std::string task, file, content;
  std::vector<std::string> message_parts;
  bool final_newline = true;
  for (const std::string& line : section.lines) {
    if (line.starts_with("task: "))
      task = line.substr(6);
    else if (line.starts_with("file: "))
      file = line.substr(6);
    else if (line.starts_with("error: "))
      message_parts.push_back(line.substr(7));
    else if (line == "final-newline: no")
      final_newline = false;
    else if (line == "|" || line.starts_with("| "))
      content += Unescape(line.substr(std::min<std::size_t>(2, line.size()))) + "\n";
    else
      ASSERT_TRUE(line.empty() || line.starts_with("#")) << "unexpected line: " << line;
  }
  ASSERT_FALSE(task.empty() || file.empty() || message_parts.empty())
      << "a case needs task:, file: and error: lines";
  if (!final_newline && !content.empty())
    content.pop_back();
  const auto path = WriteFile(llmcal::testing::FreshTempDir("llmcal-bad"), file, content);
  const std::string error = LoadError(task, path);
  for (const std::string& part : message_parts)
    EXPECT_NE(error.find(part), std::string::npos) << "'" << part << "' not in: " << error;
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInput,
                         ::testing::ValuesIn(llmcal::testing::ReadCaseSections(
                             LLMCAL_TASKS_TEST_DIR "/bad_inputs.cases")),
                         llmcal::testing::SectionParamName);

TEST(BadInputFiles, UnreadablePaths) {
  const auto dir = llmcal::testing::FreshTempDir("llmcal-bad");
  EXPECT_NE(
      LoadError("custom", dir / "missing.jsonl").find("missing.jsonl: cannot read: no such file"),
      std::string::npos);
  EXPECT_NE(LoadError("custom", dir).find("not a regular file"), std::string::npos);
  EXPECT_NE(LoadError("piqa", dir / "nowhere").find("no such file or folder"), std::string::npos);
}

TEST(BadInputFiles, PiqaLabelsFileWithOtherLineCount) {
  const auto dir = llmcal::testing::FreshTempDir("llmcal-bad");
  const auto data = WriteFile(dir, "valid.jsonl",
                              R"({"goal": "g", "sol1": "a", "sol2": "b"})"
                              "\n"
                              R"({"goal": "g", "sol1": "a", "sol2": "b"})"
                              "\n"
                              R"({"goal": "g", "sol1": "a", "sol2": "b"})"
                              "\n");
  WriteFile(dir, "valid-labels.lst", "0\n1\n");
  const std::string error = LoadError("piqa", data);
  EXPECT_NE(error.find("valid-labels.lst: field 'label': 2 labels for 3 records"),
            std::string::npos)
      << error;
  WriteFile(dir, "valid-labels.lst", "0\n1\n1\n0\n");
  EXPECT_NE(LoadError("piqa", data).find("valid-labels.lst:4: field 'label': 4 labels for 3"),
            std::string::npos);
  WriteFile(dir, "valid-labels.lst", "0\n2\n1\n");
  EXPECT_NE(LoadError("piqa", data).find("valid-labels.lst:2: field 'label': expected 0 or 1"),
            std::string::npos);
  // --skip-bad cannot align labels that do not match the records.
  WriteFile(dir, "valid-labels.lst", "0\n1\n");
  LoadOptions skip;
  skip.skip_bad = true;
  EXPECT_THROW(LoadFrom("piqa", data, skip), InputError);
}

TEST(SkipBad, SkipsAndReportsEachBadRecord) {
  const auto dir = llmcal::testing::FreshTempDir("llmcal-skip");
  const auto path = WriteFile(dir, "c.jsonl",
                              R"({"context": "c1", "choices": ["a", "b"], "gold": 0})"
                              "\n"
                              "not json\n"
                              R"({"context": "c3", "choices": ["a", "b"], "gold": 7})"
                              "\n"
                              R"({"context": "c4", "choices": ["a", "b"], "gold": 1})"
                              "\n");
  LoadOptions skip;
  skip.skip_bad = true;
  const Task task = LoadFrom("custom", path, skip);
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[0].context, "c1");
  EXPECT_EQ(task.items[1].context, "c4");
  ASSERT_EQ(task.skipped.size(), 2u);
  EXPECT_NE(task.skipped[0].find("c.jsonl:2: malformed JSON"), std::string::npos);
  EXPECT_NE(task.skipped[1].find("c.jsonl:3: field 'gold'"), std::string::npos);
  EXPECT_NE(LoadError("custom", path).find("c.jsonl:2: "), std::string::npos);
}

TEST(SkipBad, PiqaLabelsStayAlignedAroundASkippedRecord) {
  const auto dir = llmcal::testing::FreshTempDir("llmcal-skip");
  const auto data = WriteFile(dir, "valid.jsonl",
                              R"({"goal": "g1", "sol1": "a", "sol2": "b"})"
                              "\n"
                              R"({"goal": "g2", "sol1": "a"})"
                              "\n"
                              R"({"goal": "g3", "sol1": "a", "sol2": "b"})"
                              "\n");
  WriteFile(dir, "valid-labels.lst", "0\n1\n1\n");
  LoadOptions skip;
  skip.skip_bad = true;
  const Task task = LoadFrom("piqa", data, skip);
  ASSERT_EQ(task.items.size(), 2u);
  EXPECT_EQ(task.items[1].question, "g3");
  EXPECT_EQ(task.items[1].gold, 1);
  ASSERT_EQ(task.skipped.size(), 1u);
  EXPECT_NE(task.skipped[0].find("valid.jsonl:2: field 'sol2': missing"), std::string::npos);
}

TEST(SkipBad, AllRecordsBadLeavesNoItemsWhichIsAnError) {
  const auto path = WriteFile(llmcal::testing::FreshTempDir("llmcal-skip"), "c.jsonl", "{\n[\n");
  LoadOptions skip;
  skip.skip_bad = true;
  EXPECT_NE(LoadError("custom", path, skip).find("has no items"), std::string::npos);
}

}  // namespace
}  // namespace llmcal::tasks
