// Prompt cases, as data: each file in tests/tasks/prompt_cases/ names a task,
// a style, a number of few-shot examples and a selection of items, then the
// exact prompt of each selected item (or the error loading must give). One
// runner executes them all; adding a case costs one file.
//
//   # comment (how the expected text was worked out)
//   data fixtures | real       the folder tasks are read from: tests/tasks/fewshot_data
//                              (default) or the real benchmark data (TestDataDir)
//   task NAME | NAME=PATH | custom:PATH     PATH relative to that folder
//   style continuation | choice
//   num_fewshot K
//   limit N | selected I,J,...             default: every item
//   item I                     then the item's expected prompt:
//   id ID                        (optional) the item's id
//   context                      lines up to "end", joined by "\n" (no final newline)
//   end
//   continuations [JSON strings]
//   gold G
//   error TEXT                 loading or choosing examples fails with TEXT in the
//                              message (several lines: each is in it)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "support/test_data.h"
#include "tasks/fewshot.h"
#include "tasks/prompt_builder.h"
#include "tasks/subset.h"
#include "tasks/task_loader.h"

namespace llmcal::tasks {
namespace {

namespace fs = std::filesystem;

struct ExpectedItem {
  std::size_t index = 0;
  int line = 0;
  std::optional<std::string> id;
  std::string context;
  std::vector<std::string> continuations;
  int gold = -1;
};

struct PromptCase {
  fs::path data = LLMCAL_FEWSHOT_DATA;
  std::string task;
  PromptStyle style = PromptStyle::kContinuation;
  std::size_t num_fewshot = 0;
  std::optional<std::size_t> limit;
  std::optional<std::vector<std::size_t>> selected;
  std::vector<ExpectedItem> items;
  std::vector<std::string> errors;  // each is in the message
};

std::vector<fs::path> CaseFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(LLMCAL_PROMPT_CASES_DIR)) {
    if (entry.path().extension() == ".case")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::size_t> Indices(const std::string& text) {
  std::vector<std::size_t> out;
  std::istringstream in(text);
  for (std::string word; std::getline(in, word, ',');)
    out.push_back(std::stoul(word));
  return out;
}

PromptCase ReadCase(const fs::path& path) {
  std::ifstream in(path);
  PromptCase c;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#')
      continue;
    const std::size_t space = line.find(' ');
    const std::string key = line.substr(0, space);
    const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "data") {
      if (value == "real")
        c.data = llmcal::testing::TestDataDir();
    } else if (key == "task") {
      c.task = value;
    } else if (key == "style") {
      c.style = ParsePromptStyle(value).value();
    } else if (key == "num_fewshot") {
      c.num_fewshot = std::stoul(value);
    } else if (key == "limit") {
      c.limit = std::stoul(value);
    } else if (key == "selected") {
      c.selected = Indices(value);
    } else if (key == "item") {
      c.items.push_back({std::stoul(value), number, std::nullopt, {}, {}, -1});
    } else if (key == "id") {
      c.items.at(c.items.size() - 1).id = value;
    } else if (key == "context") {
      std::string text;
      bool first = true;
      for (std::string body; std::getline(in, body) && body != "end";) {
        ++number;
        text += (first ? "" : "\n") + body;
        first = false;
      }
      ++number;
      c.items.at(c.items.size() - 1).context = text;
    } else if (key == "continuations") {
      c.items.at(c.items.size() - 1).continuations =
          nlohmann::json::parse(value).get<std::vector<std::string>>();
    } else if (key == "gold") {
      c.items.at(c.items.size() - 1).gold = std::stoi(value);
    } else if (key == "error") {
      c.errors.push_back(value);
    } else {
      ADD_FAILURE() << path << ":" << number << ": unknown key " << key;
    }
  }
  return c;
}

// NAME=PATH and custom:PATH name files relative to the case's data folder.
TaskRef ResolvedTaskRef(const PromptCase& c) {
  TaskRef ref = ParseTaskRef(c.task);
  if (ref.path)
    ref.path = c.data / *ref.path;
  return ref;
}

void RunCase(const PromptCase& c) {
  const TaskRef ref = ResolvedTaskRef(c);
  try {
    const Task task = LoadTask(ref, c.data, {});
    const std::size_t count = task.items.size();
    const std::vector<std::size_t> selected =
        c.selected ? *c.selected : FirstItems(count, c.limit.value_or(count));
    const FewShotPlan plan = PlanFewShot(ref, task, c.data, {}, selected, c.num_fewshot);
    ASSERT_TRUE(c.errors.empty()) << "expected an error with: " << c.errors.front();
    ASSERT_FALSE(c.items.empty()) << "a case checks at least one item";
    for (const ExpectedItem& expected : c.items) {
      SCOPED_TRACE("item " + std::to_string(expected.index) + " (case line " +
                   std::to_string(expected.line) + ")");
      const PromptRequest got =
          BuildPrompt(task, expected.index, c.style, plan.ExamplesOf(expected.index));
      if (expected.id) {
        EXPECT_EQ(got.id, *expected.id);
      }
      EXPECT_EQ(got.context, expected.context);
      EXPECT_EQ(got.continuations, expected.continuations);
      EXPECT_EQ(got.gold, expected.gold);
    }
  } catch (const InputError& e) {
    ASSERT_FALSE(c.errors.empty()) << "unexpected error: " << e.what();
    for (const std::string& part : c.errors)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

class PromptCaseTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(PromptCaseTest, RendersAsExpected) {
  RunCase(ReadCase(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Cases, PromptCaseTest, ::testing::ValuesIn(CaseFiles()),
                         [](const ::testing::TestParamInfo<fs::path>& param) {
                           return param.param.stem().string();
                         });

}  // namespace
}  // namespace llmcal::tasks
