#include "common/json_record.h"
#include "tasks/loaders.h"

namespace llmcal::tasks {
namespace {

Item ParseRecord(const JsonField& record) {
  Item item;
  item.id = record.Has("id") ? record.Member("id").IdText() : record.where().FallbackId();
  item.context = record.Member("context").String();
  if (record.Has("question")) {
    item.question = record.Member("question").String();
  }
  item.choices = record.Member("choices").Strings();
  const JsonField gold_field = record.Member("gold");
  const std::int64_t gold = gold_field.Integer();
  if (gold < 0 || gold >= static_cast<std::int64_t>(item.choices.size())) {
    throw gold_field.Error("gold index " + std::to_string(gold) + " is out of range for " +
                           std::to_string(item.choices.size()) + " choices");
  }
  item.gold = static_cast<int>(gold);
  CheckItem(item, record.where(), "choices", "gold");
  return item;
}

}  // namespace

void LoadCustomFile(const std::filesystem::path& path, BadRecordPolicy& policy, Task& task) {
  const FileText file = ReadWholeFile(path);
  task.files.push_back(path);
  ForEachJsonLine(file, policy,
                  [&](const JsonField& record) { task.items.push_back(ParseRecord(record)); });
}

}  // namespace llmcal::tasks
