// Command-line cases of `llmcal run`, `status` and `merge`, as data: each
// file in tests/study/cli_cases/ is a script of steps that one runner
// executes in a fresh folder, with the real binary and the real tiny model.
//
//   # comment
//   copy-model NAME            copies stories260K to $DIR/NAME.gguf
//   write FILE                 writes the following lines, up to "end", to $DIR/FILE
//   append FILE TEXT           appends TEXT and a newline to $DIR/FILE
//   sql FILE STATEMENT...      runs SQL on the SQLite file $DIR/FILE
//   flip FILE OFFSET           inverts the byte at OFFSET of $DIR/FILE (same size, new digest)
//   symlink TARGET LINK        makes $DIR/LINK a symbolic link to TARGET (as written)
//   hardlink FILE LINK         makes $DIR/LINK another name of $DIR/FILE
//   chmod MODE FILE            sets $DIR/FILE's permission bits (octal MODE)
//   llmcal ARGS...             runs build/llmcal (arguments split on spaces)
//   llmcal-full ARGS...        runs it with standard output on /dev/full (a full disk)
//   exit N                     the last command's exit status
//   stdout TEXT / stderr TEXT  the last command's output contains TEXT
//   file FILE TEXT             $DIR/FILE contains TEXT
//   file-lacks FILE TEXT       $DIR/FILE exists and does not contain TEXT
//   no-file FILE               $DIR/FILE does not exist (nor a link of that name)
//
// $DIR, $DATA and $STORIES are replaced everywhere. The suites that run
// cases: tests/study/cli_cases/ and tests/faults/cases/.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "child_process.h"
#include "support/case_file.h"
#include "support/files.h"
#include "support/run_command.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;

std::string Substitute(std::string text, const fs::path& dir) {
  const std::pair<std::string, std::string> vars[] = {
      {"$DIR", dir.string()},
      {"$DATA", TestDataDir().string()},
      {"$STORIES", (TestDataDir() / "models" / "stories260K.gguf").string()}};
  for (const auto& [name, value] : vars) {
    for (std::size_t at; (at = text.find(name)) != std::string::npos;)
      text.replace(at, name.size(), value);
  }
  return text;
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;)
    words.push_back(word);
  return words;
}

class CliCase : public ::testing::TestWithParam<std::string> {};

TEST_P(CliCase, Steps) {
  const fs::path dir = FreshTempDir("llmcal-cli-case");
  CaseReader reader(fs::path(LLMCAL_CLI_CASES_DIR) / (GetParam() + ".test"));
  CommandResult last;
  while (std::optional<CaseLine> line = reader.Next()) {
    SCOPED_TRACE(line->Where() + ": " + line->text);
    const std::string step = line->keyword;
    const std::string rest = Substitute(line->rest, dir);
    const std::string first = rest.substr(0, rest.find(' '));
    const std::string after_first =
        rest.find(' ') == std::string::npos ? "" : rest.substr(rest.find(' ') + 1);
    if (step == "copy-model") {
      fs::copy_file(TestDataDir() / "models" / "stories260K.gguf", dir / (rest + ".gguf"));
    } else if (step == "write") {
      std::ofstream(dir / rest) << Substitute(JoinLines(reader.Block()), dir);
    } else if (step == "append") {
      std::ofstream(dir / first, std::ios::app) << after_first << '\n';
    } else if (step == "sql") {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open((dir / first).c_str(), &db), SQLITE_OK);
      EXPECT_EQ(sqlite3_exec(db, after_first.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
      sqlite3_close(db);
    } else if (step == "no-file") {
      EXPECT_FALSE(fs::exists(fs::symlink_status(dir / first))) << first;
    } else if (step == "symlink") {
      fs::create_symlink(first, dir / after_first);
    } else if (step == "hardlink") {
      fs::create_hard_link(dir / first, dir / after_first);
    } else if (step == "chmod") {
      fs::permissions(dir / after_first, static_cast<fs::perms>(std::stoi(first, nullptr, 8)));
    } else if (step == "flip") {
      std::fstream file(dir / first, std::ios::binary | std::ios::in | std::ios::out);
      file.seekg(std::stoll(after_first));
      const char byte = static_cast<char>(~file.get());
      file.seekp(std::stoll(after_first));
      file.put(byte);
      ASSERT_TRUE(file.good());
    } else if (step == "llmcal") {
      last = RunLlmcal(Words(rest));
    } else if (step == "llmcal-full") {
      ChildProcess child((BuildDir() / "llmcal").string(), Words(rest), "/dev/full",
                         dir / "llmcal-full.err");
      last = {child.Wait(), "", ReadFile(dir / "llmcal-full.err")};
    } else if (step == "exit") {
      EXPECT_EQ(last.exit_code, std::stoi(rest)) << last.stderr_text;
    } else if (step == "stdout") {
      EXPECT_NE(last.stdout_text.find(rest), std::string::npos) << last.stdout_text;
    } else if (step == "stderr") {
      EXPECT_NE(last.stderr_text.find(rest), std::string::npos) << last.stderr_text;
    } else if (step == "file") {
      EXPECT_NE(ReadFile(dir / first).find(after_first), std::string::npos)
          << ReadFile(dir / first);
    } else if (step == "file-lacks") {
      EXPECT_TRUE(fs::exists(dir / first)) << first;
      EXPECT_EQ(ReadFile(dir / first).find(after_first), std::string::npos)
          << ReadFile(dir / first);
    } else {
      line->Fail("unknown step '" + step + "'");
    }
  }
}

// A suite that runs its own case folder names its cases apart (FaultCases/...).
#ifndef LLMCAL_CASE_SUITE
#define LLMCAL_CASE_SUITE Cases
#endif
INSTANTIATE_TEST_SUITE_P(LLMCAL_CASE_SUITE, CliCase,
                         ::testing::ValuesIn(CaseNames(LLMCAL_CLI_CASES_DIR, ".test")),
                         CaseParamName);

}  // namespace
}  // namespace llmcal::testing
