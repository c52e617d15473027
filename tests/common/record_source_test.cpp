// Reading files whole, splitting lines, locating records, and the
// skip-or-fail policy (common/record_source.h).
#include "common/record_source.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "support/test_data.h"

namespace llmcal {
namespace {

std::string ReadError(const std::filesystem::path& path) {
  try {
    ReadWholeFile(path);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << path << " was read";
  return "";
}

TEST(ReadWholeFile, ReadsBytesAndRefusesWhatIsNoReadableNonEmptyFile) {
  const auto dir = testing::FreshTempDir("llmcal-common");
  std::ofstream(dir / "a.txt", std::ios::binary) << "x\r\ny";
  EXPECT_EQ(ReadWholeFile(dir / "a.txt").text, "x\r\ny");
  std::ofstream(dir / "blank.txt") << " \n\t\n";
  EXPECT_EQ(ReadError(dir / "blank.txt"),
            (dir / "blank.txt").string() + ": empty file: no records");
  EXPECT_EQ(ReadError(dir / "none.txt"),
            (dir / "none.txt").string() + ": cannot read: no such file");
  EXPECT_EQ(ReadError(dir), dir.string() + ": cannot read: not a regular file");
}

TEST(ReadWholeStream, NamesTheStreamInMessages) {
  std::istringstream in("abc");
  EXPECT_EQ(ReadWholeStream(in, "<stdin>").text, "abc");
  std::istringstream empty("");
  try {
    ReadWholeStream(empty, "<stdin>");
    ADD_FAILURE() << "an empty stream was read";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "<stdin>: empty file: no records");
  }
}

TEST(SplitLines, NumbersLinesAndDropsTerminators) {
  const std::vector<Line> lines = SplitLines("a\r\nb\n\nc\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].text, "a");
  EXPECT_EQ(lines[1].text, "b");
  EXPECT_EQ(lines[2].text, "");
  EXPECT_EQ(lines[3].number, 4);
  EXPECT_EQ(lines[3].text, "c");
  EXPECT_EQ(SplitLines("one").size(), 1u);
  EXPECT_TRUE(SplitLines("").empty());
}

TEST(RecordLocation, ErrorsAndFallbackIds) {
  const RecordLocation line{"t.jsonl", 3};
  EXPECT_EQ(std::string(line.Error("gold", "bad").what()), "t.jsonl:3: field 'gold': bad");
  EXPECT_EQ(line.FallbackId(), "t.jsonl:3");
  const RecordLocation element{"dir/t.json", 1, 4};
  EXPECT_EQ(std::string(element.Error("q", "bad").what()), "dir/t.json:1: field '[4].q': bad");
  EXPECT_EQ(std::string(element.Error("", "bad").what()), "dir/t.json:1: field '[4]': bad");
  EXPECT_EQ(element.FallbackId(), "t.json[4]");
}

TEST(BadRecordPolicy, FailsOrSkipsAndRemembers) {
  const auto bad = [] { throw InputError("f:1: bad"); };
  BadRecordPolicy fail(false);
  EXPECT_TRUE(fail.Attempt([] {}));
  EXPECT_THROW(fail.Attempt(bad), InputError);
  BadRecordPolicy skip(true);
  EXPECT_FALSE(skip.Attempt(bad));
  EXPECT_TRUE(skip.Attempt([] {}));
  EXPECT_EQ(skip.skipped(), (std::vector<std::string>{"f:1: bad"}));
  // Only bad input is skipped: other failures still stop the load.
  EXPECT_THROW(skip.Attempt([] { throw std::logic_error("bug"); }), std::logic_error);
}

TEST(IsBlank, AsciiWhitespaceOnly) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \t\r\n"));
  EXPECT_FALSE(IsBlank(" x "));
}

}  // namespace
}  // namespace llmcal
