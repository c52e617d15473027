#include <csv.h>

#include <algorithm>
#include <memory>

#include "common/json_record.h"
#include "common/unicode_text.h"
#include "tasks/loaders.h"
#include "tasks/task_names.h"

namespace llmcal::tasks {
namespace {

constexpr std::size_t kMmluColumns = 6;  // question, A, B, C, D, answer
const char* const kColumnNames[kMmluColumns] = {"question", "A", "B", "C", "D", "answer"};

struct CsvRecord {
  std::int64_t line = 0;  // where the record starts
  std::vector<std::string> fields;
};

// Collects libcsv's callbacks into records that know their first line.
struct CsvCollector {
  std::vector<CsvRecord> records;
  CsvRecord current;
  std::int64_t line = 0;  // the line being fed to the parser

  static void OnField(void* data, std::size_t length, void* self_ptr) {
    auto* self = static_cast<CsvCollector*>(self_ptr);
    std::string field(static_cast<const char*>(data), length);
    if (self->current.fields.empty()) {
      // A quoted field can span lines; the record starts where it does.
      self->current.line = self->line - std::count(field.begin(), field.end(), '\n');
    }
    self->current.fields.push_back(std::move(field));
  }
  static void OnRecordEnd(int, void* self_ptr) {
    auto* self = static_cast<CsvCollector*>(self_ptr);
    self->records.push_back(std::move(self->current));
    self->current = CsvRecord{};
  }
};

// MMLU fields keep their spaces, as Python's csv module reads them.
int NoSpaceCharacters(unsigned char) {
  return 0;
}

std::vector<CsvRecord> ParseCsv(const FileText& file) {
  const std::string name = file.path.string();
  csv_parser parser;
  // Not CSV_STRICT: like Python's csv module, a quote inside an unquoted field
  // is kept literally. An unterminated quoted field at the end is still an error.
  if (csv_init(&parser, CSV_STRICT_FINI) != 0) {
    throw InputError::At(name, 0, "", "cannot start the CSV parser");
  }
  const auto free_parser = [](csv_parser* p) { csv_free(p); };
  const std::unique_ptr<csv_parser, decltype(free_parser)> guard(&parser, free_parser);
  csv_set_space_func(&parser, NoSpaceCharacters);
  CsvCollector collector;
  std::size_t pos = 0;
  while (pos < file.text.size()) {
    const std::size_t end = std::min(file.text.find('\n', pos), file.text.size() - 1) + 1;
    ++collector.line;
    const std::size_t length = end - pos;
    if (csv_parse(&parser, file.text.data() + pos, length, CsvCollector::OnField,
                  CsvCollector::OnRecordEnd, &collector) != length) {
      throw InputError::At(name, collector.line, "",
                           std::string("malformed CSV: ") + csv_strerror(csv_error(&parser)));
    }
    pos = end;
  }
  // A quoted field left open at the end holds the final line feed too; count
  // past it so that the record's first line comes out right.
  if (file.text.ends_with('\n')) {
    ++collector.line;
  }
  if (csv_fini(&parser, CsvCollector::OnField, CsvCollector::OnRecordEnd, &collector) != 0) {
    throw InputError::At(name, collector.line, "",
                         std::string("malformed CSV: ") + csv_strerror(csv_error(&parser)));
  }
  return std::move(collector.records);
}

// "<subject>_<split>.csv" -> subject.
std::string SubjectFromFileName(const std::filesystem::path& path) {
  std::string stem = path.stem().string();
  for (std::string_view suffix : {"_test", "_val", "_dev"}) {
    if (stem.ends_with(suffix)) {
      return stem.substr(0, stem.size() - suffix.size());
    }
  }
  return stem;
}

Item ParseCsvRecord(const CsvRecord& record, const std::string& subject, const std::string& file) {
  const RecordLocation where{file, record.line};
  if (record.fields.size() != kMmluColumns) {
    throw where.Error("", "expected " + std::to_string(kMmluColumns) + " columns, found " +
                              std::to_string(record.fields.size()));
  }
  for (std::size_t c = 0; c < kMmluColumns; ++c) {
    if (!IsValidUtf8(record.fields[c])) {
      throw where.Error(kColumnNames[c], "invalid UTF-8");
    }
  }
  Item item;
  item.id = where.FallbackId();
  item.subject = subject;
  item.question = record.fields[0];
  item.choices.assign(record.fields.begin() + 1, record.fields.begin() + 5);
  const std::string& answer = record.fields[5];
  if (answer.size() != 1 || answer[0] < 'A' || answer[0] > 'D') {
    throw where.Error("answer", "expected a letter A-D, found \"" + answer + "\"");
  }
  item.gold = answer[0] - 'A';
  CheckItem(item, where, "A..D", "answer");
  return item;
}

bool Wanted(const std::vector<std::string>& subjects, const std::string& subject) {
  return std::find(subjects.begin(), subjects.end(), subject) != subjects.end();
}

void LoadCsv(const std::filesystem::path& path, const std::vector<std::string>& subjects,
             BadRecordPolicy& policy, Task& task) {
  const std::string name = path.string();
  const std::string subject = SubjectFromFileName(path);
  if (!MmluGroupOf(subject)) {
    throw InputError::At(name, 0, "",
                         "unknown MMLU subject \"" + subject + "\" (taken from the file name)");
  }
  if (!Wanted(subjects, subject)) {
    return;
  }
  const FileText file = ReadWholeFile(path);
  task.files.push_back(path);
  for (const CsvRecord& record : ParseCsv(file)) {
    policy.Attempt([&] { task.items.push_back(ParseCsvRecord(record, subject, name)); });
  }
}

Item ParseJsonRecord(const JsonField& record) {
  Item item;
  item.id = record.where().FallbackId();
  item.question = record.Member("question").String();
  const JsonField subject = record.Member("subject");
  item.subject = subject.String();
  if (!MmluGroupOf(item.subject)) {
    throw subject.Error("unknown MMLU subject");
  }
  const JsonField choices = record.Member("choices");
  item.choices = choices.Strings();
  if (item.choices.size() != 4) {
    throw choices.Error("expected 4 choices, found " + std::to_string(item.choices.size()));
  }
  const JsonField answer = record.Member("answer");
  const std::int64_t gold = answer.Integer();
  if (gold < 0 || gold > 3) {
    throw answer.Error("expected 0-3, found " + std::to_string(gold));
  }
  item.gold = static_cast<int>(gold);
  CheckItem(item, record.where(), "choices", "answer");
  return item;
}

}  // namespace

void LoadMmluFile(const std::filesystem::path& path, const std::vector<std::string>& subjects,
                  BadRecordPolicy& policy, Task& task) {
  if (path.extension() == ".csv") {
    LoadCsv(path, subjects, policy, task);
    return;
  }
  const FileText file = ReadWholeFile(path);
  task.files.push_back(path);
  ForEachJsonLine(file, policy, [&](const JsonField& record) {
    Item item = ParseJsonRecord(record);
    if (Wanted(subjects, item.subject)) {
      task.items.push_back(std::move(item));
    }
  });
}

}  // namespace llmcal::tasks
