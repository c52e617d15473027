// Loaders on the real benchmark files in data/: the counts their
// README states, and the structure every item must have.
#include <gtest/gtest.h>

#include <map>

#include "real_tasks.h"

namespace llmcal::tasks {
namespace {

using testing::RealTask;

TEST(RealData, ItemCounts) {
  const std::pair<const char*, std::size_t> cases[] = {
      {"arc_easy", 2376},
      {"hellaswag", 10042},
      {"medmcqa", 4183},
      {"mmlu", 14042},
      {"mmlu_stem", 3153},
      {"mmlu_humanities", 4705},
      {"mmlu_social_sciences", 3077},
      {"mmlu_other", 3107},
      {"piqa", 1838},
  };
  for (const auto& [name, count] : cases) {
    EXPECT_EQ(RealTask(name).items.size(), count) << name;
  }
}

TEST(RealData, ArcChoiceCounts) {
  std::map<std::size_t, int> per_count;
  for (const Item& item : RealTask("arc_easy").items) {
    ++per_count[item.choices.size()];
  }
  EXPECT_EQ(per_count[3], 7);
  EXPECT_EQ(per_count[4], 2365);
  EXPECT_EQ(per_count[5], 4);
}

TEST(RealData, PiqaLabelBalance) {
  int ones = 0;
  for (const Item& item : RealTask("piqa").items) {
    ones += item.gold;
  }
  EXPECT_EQ(ones, 928);  // README: labels 0: 910, 1: 928
}

TEST(RealData, MedmcqaIsReadZeroBased) {
  const Task& task = RealTask("medmcqa");
  EXPECT_EQ(task.items[0].gold, 0);  // "cop": 0
  EXPECT_EQ(task.items[1].gold, 2);  // "cop": 2
  EXPECT_EQ(task.items[0].subject, "Anaesthesia");
}

TEST(RealData, MmluSubjectsInAlphabeticalOrder) {
  const Task& task = RealTask("mmlu");
  EXPECT_EQ(task.files.size(), 57u);
  EXPECT_EQ(task.items.front().subject, "abstract_algebra");
  EXPECT_EQ(task.items.back().subject, "world_religions");
  for (std::size_t i = 1; i < task.items.size(); ++i) {
    ASSERT_LE(task.items[i - 1].subject, task.items[i].subject) << i;
  }
  std::size_t subject_total = 0;
  for (const std::string& subject : MmluSubjects()) {
    subject_total += RealTask("mmlu_" + subject).items.size();
  }
  EXPECT_EQ(subject_total, 14042u);
  EXPECT_EQ(RealTask("mmlu_abstract_algebra").items.size(), 100u);
  EXPECT_EQ(RealTask("mmlu_professional_law").items.size(), 1534u);
}

TEST(RealData, EveryItemHasItsChoicesAndAGoldInRange) {
  for (const char* name : {"arc_easy", "hellaswag", "medmcqa", "mmlu", "piqa"}) {
    const Task& task = RealTask(name);
    EXPECT_TRUE(task.skipped.empty()) << name;
    const std::size_t expected_choices = std::string(name) == "piqa" ? 2 : 4;
    for (const Item& item : task.items) {
      if (std::string(name) != "arc_easy") {
        ASSERT_EQ(item.choices.size(), expected_choices) << name;
      }
      ASSERT_GE(item.gold, 0) << name << " " << item.id;
      ASSERT_LT(static_cast<std::size_t>(item.gold), item.choices.size()) << name << " " << item.id;
    }
  }
}

TEST(RealData, TaskFolderListing) {
  const auto names = TasksInDataDir(llmcal::testing::TestDataDir());
  ASSERT_EQ(names.size(), 4u + 1u + 4u + 57u);  // no arc_challenge folder
  EXPECT_EQ(names[0], "arc_easy");
  EXPECT_EQ(names[1], "hellaswag");
  EXPECT_EQ(names[2], "medmcqa");
  EXPECT_EQ(names[3], "mmlu");
  EXPECT_EQ(names[4], "mmlu_stem");
  EXPECT_EQ(names[8], "mmlu_abstract_algebra");
  EXPECT_EQ(names.back(), "piqa");
}

}  // namespace
}  // namespace llmcal::tasks
