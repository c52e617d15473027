#include <memory>
#include <unordered_map>

#include "common/json_record.h"
#include "tasks/loaders.h"

namespace llmcal::tasks {
namespace {

// The original release keeps labels apart: line i of the labels file is the
// gold solution of the i-th record. Maps each record's line number to its
// label line, and fails when the counts differ, since then no record can be
// trusted to have the right label.
class PiqaLabels {
 public:
  PiqaLabels(const PiqaLabels&) = delete;
  PiqaLabels& operator=(const PiqaLabels&) = delete;
  // Keeps `labels` alive: lines_ are views into its text.
  PiqaLabels(const FileText& data, FileText labels)
      : labels_(std::move(labels)), file_(labels_.path.string()) {
    lines_ = SplitLines(labels_.text);
    while (!lines_.empty() && IsBlank(lines_.back().text)) {
      lines_.pop_back();
    }
    std::size_t records = 0;
    for (const Line& line : SplitLines(data.text)) {
      if (IsBlank(line.text)) {
        continue;
      }
      if (records < lines_.size()) {
        ordinal_of_line_[line.number] = records;
      }
      ++records;
    }
    if (records != lines_.size()) {
      const std::int64_t where =
          records < lines_.size() ? lines_[records].number : static_cast<std::int64_t>(0);
      throw InputError::At(file_, where, "label",
                           std::to_string(lines_.size()) + " labels for " +
                               std::to_string(records) + " records in " + data.path.string());
    }
  }

  // The gold index for the record starting at `record_line`.
  int GoldFor(std::int64_t record_line) const {
    const Line& line = lines_[ordinal_of_line_.at(record_line)];
    if (line.text == "0" || line.text == "1") {
      return line.text[0] - '0';
    }
    throw InputError::At(file_, line.number, "label",
                         "expected 0 or 1, found \"" + std::string(line.text) + "\"");
  }

 private:
  const FileText labels_;
  std::string file_;
  std::vector<Line> lines_;
  std::unordered_map<std::int64_t, std::size_t> ordinal_of_line_;
};

Item ParseRecord(const JsonField& record, const PiqaLabels* labels) {
  Item item;
  item.id = record.Has("id") ? record.Member("id").IdText() : record.where().FallbackId();
  item.question = record.Member("goal").String();
  item.choices = {record.Member("sol1").String(), record.Member("sol2").String()};
  if (labels) {
    item.gold = labels->GoldFor(record.where().line);
  } else {
    const JsonField label = record.Member("label");
    const std::int64_t gold = label.Integer();
    if (gold != 0 && gold != 1) {
      throw label.Error("expected 0 or 1, found " + std::to_string(gold));
    }
    item.gold = static_cast<int>(gold);
  }
  CheckItem(item, record.where(), "sol1/sol2", "label");
  return item;
}

}  // namespace

std::filesystem::path PiqaLabelsPath(const std::filesystem::path& data_file) {
  return data_file.parent_path() / (data_file.stem().string() + "-labels.lst");
}

void LoadPiqaFile(const std::filesystem::path& path, BadRecordPolicy& policy, Task& task) {
  const FileText data = ReadWholeFile(path);
  task.files.push_back(path);
  std::unique_ptr<PiqaLabels> labels;
  const std::filesystem::path labels_path = PiqaLabelsPath(path);
  if (std::filesystem::exists(labels_path)) {
    labels = std::make_unique<PiqaLabels>(data, ReadWholeFile(labels_path));
    task.files.push_back(labels_path);
  }
  ForEachJsonLine(data, policy, [&](const JsonField& record) {
    task.items.push_back(ParseRecord(record, labels.get()));
  });
}

}  // namespace llmcal::tasks
