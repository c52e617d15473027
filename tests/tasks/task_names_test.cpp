#include "tasks/task_names.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "tasks/task_loader.h"

namespace llmcal::tasks {
namespace {

TEST(MmluSubjects, FiftySevenAlphabeticalInFourGroups) {
  const auto& subjects = MmluSubjects();
  ASSERT_EQ(subjects.size(), 57u);
  EXPECT_TRUE(std::is_sorted(subjects.begin(), subjects.end()));
  std::map<std::string, int> per_group;
  for (const auto& s : subjects) {
    ++per_group[std::string(*MmluGroupOf(s))];
  }
  EXPECT_EQ(per_group["stem"], 19);
  EXPECT_EQ(per_group["humanities"], 13);
  EXPECT_EQ(per_group["social_sciences"], 12);
  EXPECT_EQ(per_group["other"], 13);
}

TEST(MmluGroupOf, KnownAssignments) {
  const std::pair<const char*, const char*> cases[] = {
      {"abstract_algebra", "stem"},        {"machine_learning", "stem"},
      {"formal_logic", "humanities"},      {"world_religions", "humanities"},
      {"econometrics", "social_sciences"}, {"us_foreign_policy", "social_sciences"},
      {"business_ethics", "other"},        {"virology", "other"},
      {"college_medicine", "other"},       {"high_school_psychology", "social_sciences"},
  };
  for (const auto& [subject, group] : cases) {
    EXPECT_EQ(MmluGroupOf(subject), group) << subject;
  }
  EXPECT_FALSE(MmluGroupOf("astrology"));
}

TEST(FindTaskSpec, ResolvesEveryBuiltinName) {
  const auto names = BuiltinTaskNames();
  EXPECT_EQ(names.size(), 5u + 4u + 57u + 2u);
  EXPECT_EQ(names.back(), "sciq");
  for (const auto& name : names) {
    EXPECT_TRUE(FindTaskSpec(name)) << name;
  }
}

TEST(FindTaskSpec, FoldersSplitsAndSubjects) {
  EXPECT_EQ(FindTaskSpec("arc_challenge")->folder, "arc_challenge");
  EXPECT_EQ(FindTaskSpec("arc_challenge")->benchmark, Benchmark::kArc);
  EXPECT_EQ(FindTaskSpec("hellaswag")->split, Split::kValidation);
  EXPECT_EQ(FindTaskSpec("arc_easy")->split, Split::kTest);
  EXPECT_EQ(FindTaskSpec("sciq")->benchmark, Benchmark::kSciq);
  EXPECT_EQ(FindTaskSpec("sciq")->folder, "sciq");
  EXPECT_EQ(FindTaskSpec("sciq")->split, Split::kTest);
  const TaskSpec stem = *FindTaskSpec("mmlu_stem");
  EXPECT_EQ(stem.folder, "mmlu");
  EXPECT_EQ(stem.subjects.size(), 19u);
  EXPECT_EQ(FindTaskSpec("mmlu_anatomy")->subjects, std::vector<std::string>{"anatomy"});
  EXPECT_FALSE(FindTaskSpec("mmlu_astrology"));
  EXPECT_FALSE(FindTaskSpec("arc"));
  EXPECT_FALSE(FindTaskSpec("custom:x.jsonl"));
}

TEST(ParseTaskRef, NamesPathsAndCustom) {
  EXPECT_EQ(ParseTaskRef("piqa").name, "piqa");
  EXPECT_FALSE(ParseTaskRef("piqa").path);
  const TaskRef with_path = ParseTaskRef("hellaswag=/d/h.txt");
  EXPECT_EQ(with_path.name, "hellaswag");
  EXPECT_EQ(with_path.path, std::filesystem::path("/d/h.txt"));
  const TaskRef custom = ParseTaskRef("custom:my=file.jsonl");
  EXPECT_EQ(custom.name, "custom:my=file.jsonl");
  EXPECT_EQ(custom.path, std::filesystem::path("my=file.jsonl"));
  EXPECT_THROW(ParseTaskRef("nosuchtask"), InputError);
  EXPECT_THROW(ParseTaskRef("custom:"), InputError);
  EXPECT_THROW(ParseTaskRef("piqa="), InputError);
}

// The message for an unknown name lists the names from the one table.
TEST(ParseTaskRef, UnknownNameListsTheBuiltinNames) {
  try {
    ParseTaskRef("nosuchtask");
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const std::string& name : BuiltinTaskNames()) {
      if (!IsMmluSubjectTask(*FindTaskSpec(name))) {
        EXPECT_NE(message.find(name + ", "), std::string::npos) << name << ": " << message;
      }
    }
    EXPECT_NE(message.find("mmlu_<subject> (57 subjects, e.g. mmlu_abstract_algebra)"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("mmlu_anatomy"), std::string::npos) << "subjects are summarized";
    EXPECT_NE(message.find("custom:PATH"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace llmcal::tasks
