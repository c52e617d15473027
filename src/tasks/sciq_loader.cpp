#include "common/json_record.h"
#include "tasks/loaders.h"

namespace llmcal::tasks {
namespace {

// lm-evaluation-harness's sciq.yaml: choices [distractor1, distractor2,
// distractor3, correct_answer], target 3.
constexpr const char* kChoiceFields[] = {"distractor1", "distractor2", "distractor3",
                                         "correct_answer"};
constexpr int kGold = 3;

Item ParseSciqRecord(const JsonField& record) {
  Item item;
  item.id = record.Has("id") ? record.Member("id").IdText() : record.where().FallbackId();
  item.question = record.Member("question").String();
  item.passage = record.Member("support").String();
  for (const char* field : kChoiceFields) {
    item.choices.push_back(record.Member(field).String());
  }
  item.gold = kGold;
  CheckItem(item, record.where(), "distractor1..3/correct_answer", "correct_answer");
  return item;
}

}  // namespace

void LoadSciqFile(const std::filesystem::path& path, BadRecordPolicy& policy, Task& task) {
  const FileText file = ReadWholeFile(path);
  task.files.push_back(path);
  const auto on_record = [&](const JsonField& record) {
    task.items.push_back(ParseSciqRecord(record));
  };
  if (StartsWithJsonArray(file.text)) {
    ForEachJsonArrayElement(file, policy, on_record);
  } else {
    ForEachJsonLine(file, policy, on_record);
  }
}

}  // namespace llmcal::tasks
