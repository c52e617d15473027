#include <algorithm>

#include "common/json_record.h"
#include "tasks/loaders.h"

namespace llmcal::tasks {
namespace {

struct ArcChoices {
  std::vector<std::string> texts;
  std::vector<std::string> labels;
};

// Original AI2 release: question is {stem, choices: [{text, label}, ...]}.
ArcChoices OriginalChoices(const JsonField& question) {
  ArcChoices out;
  for (const JsonField& choice : question.Member("choices").Elements()) {
    out.texts.push_back(choice.Member("text").String());
    out.labels.push_back(choice.Member("label").IdText());
  }
  return out;
}

// Hugging Face export: choices is {text: [...], label: [...]}.
ArcChoices ExportChoices(const JsonField& record) {
  const JsonField choices = record.Member("choices");
  ArcChoices out{choices.Member("text").Strings(), {}};
  for (const JsonField& label : choices.Member("label").Elements()) {
    out.labels.push_back(label.IdText());
  }
  if (out.labels.size() != out.texts.size()) {
    throw choices.Error(std::to_string(out.texts.size()) + " texts but " +
                        std::to_string(out.labels.size()) + " labels");
  }
  return out;
}

Item ParseArcRecord(const JsonField& record) {
  Item item;
  const JsonField question = record.Member("question");
  ArcChoices choices;
  if (question.IsObject()) {
    item.question = question.Member("stem").String();
    choices = OriginalChoices(question);
  } else {
    item.question = question.String();
    choices = ExportChoices(record);
  }
  item.id = record.Has("id") ? record.Member("id").IdText() : record.where().FallbackId();
  item.choices = std::move(choices.texts);
  const JsonField key = record.Member("answerKey");
  const std::string answer = key.IdText();
  const auto it = std::find(choices.labels.begin(), choices.labels.end(), answer);
  if (it == choices.labels.end()) {
    throw key.Error("\"" + answer + "\" is not a choice label");
  }
  item.gold = static_cast<int>(it - choices.labels.begin());
  CheckItem(item, record.where(), "choices", "answerKey");
  return item;
}

}  // namespace

void LoadArcFile(const std::filesystem::path& path, BadRecordPolicy& policy, Task& task) {
  const FileText file = ReadWholeFile(path);
  task.files.push_back(path);
  ForEachJsonLine(file, policy,
                  [&](const JsonField& record) { task.items.push_back(ParseArcRecord(record)); });
}

}  // namespace llmcal::tasks
