#include <algorithm>
#include <charconv>

#include "common/json_record.h"
#include "common/unicode_text.h"
#include "tasks/loaders.h"
#include "tasks/python_text.h"

namespace llmcal::tasks {
namespace {

constexpr std::size_t kLinesPerTextItem = 6;  // context, gold, 4 endings

// The preprocessed endings must still be answers: an ending that was only
// markup ("[step]") would leave an empty continuation.
void CheckEndingsSurvivePreprocess(const Item& item, const RecordLocation& where,
                                   const std::string& field) {
  for (std::size_t k = 0; k < item.choices.size(); ++k) {
    if (HellaswagPreprocess(item.choices[k]).empty()) {
      throw where.Error(field, "ending " + std::to_string(k) + " is empty after preprocessing");
    }
  }
}

// llama.cpp's text format keeps "activity_label: ctx_a ctx_b" but has lost the
// ctx_a/ctx_b split, so lm-evaluation-harness's ctx_b.capitalize() cannot be
// applied exactly. In ActivityNet items ctx_b is the lower-case opening of the
// context's last sentence ("... on a roof. he"); upper-casing the first letter
// of the text after the last sentence end restores it ("... on a roof. He").
// WikiHow items, whose ctx_b is empty, end with whole sentences that already
// start upper-case, and stay unchanged.
std::string RestoreCapitalizedCtxB(std::string_view line) {
  std::string out(line);
  const std::size_t label_end = out.find(": ");
  const std::size_t ctx_start = label_end == std::string::npos ? 0 : label_end + 2;
  std::size_t tail = std::string::npos;
  for (std::size_t pos = ctx_start; pos + 1 < out.size(); ++pos) {
    if ((out[pos] == '.' || out[pos] == '!' || out[pos] == '?') && out[pos + 1] == ' ') {
      tail = pos + 2;
    }
  }
  if (tail != std::string::npos && tail < out.size() && out[tail] >= 'a' && out[tail] <= 'z') {
    out[tail] = static_cast<char>(out[tail] - 'a' + 'A');
  }
  return out;
}

int ParseGoldLine(std::string_view text, const RecordLocation& where) {
  int gold = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), gold);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw where.Error("label", "expected a gold index, found \"" + std::string(text) + "\"");
  }
  return gold;
}

Item ParseTextItem(const std::vector<Line>& lines, std::size_t first, const std::string& file) {
  const RecordLocation where{file, lines[first].number};
  const std::size_t available = std::min(kLinesPerTextItem, lines.size() - first);
  if (available < kLinesPerTextItem) {
    throw where.Error("", "incomplete item: " + std::to_string(available) + " of " +
                              std::to_string(kLinesPerTextItem) + " lines");
  }
  for (std::size_t i = first; i < first + kLinesPerTextItem; ++i) {
    if (!IsValidUtf8(lines[i].text)) {
      throw InputError::At(file, lines[i].number, "", "invalid UTF-8");
    }
  }
  Item item;
  item.id = where.FallbackId();
  item.question = RestoreCapitalizedCtxB(lines[first].text);
  item.gold = ParseGoldLine(lines[first + 1].text, RecordLocation{file, lines[first + 1].number});
  for (std::size_t i = first + 2; i < first + kLinesPerTextItem; ++i) {
    item.choices.emplace_back(lines[i].text);
  }
  CheckItem(item, where, "endings", "label");
  CheckEndingsSurvivePreprocess(item, where, "endings");
  return item;
}

void LoadTextFormat(const FileText& file, BadRecordPolicy& policy, Task& task) {
  std::vector<Line> lines = SplitLines(file.text);
  while (!lines.empty() && IsBlank(lines.back().text)) {
    lines.pop_back();
  }
  const std::string name = file.path.string();
  for (std::size_t first = 0; first < lines.size(); first += kLinesPerTextItem) {
    policy.Attempt([&] { task.items.push_back(ParseTextItem(lines, first, name)); });
  }
}

Item ParseJsonItem(const JsonField& record) {
  Item item;
  item.id = record.Has("ind") ? record.Member("ind").IdText() : record.where().FallbackId();
  item.question = record.Member("activity_label").String() + ": " +
                  record.Member("ctx_a").String() + " " +
                  PyCapitalize(record.Member("ctx_b").String());
  item.choices = record.Member("endings").Strings();
  const JsonField label = record.Member("label");
  const std::int64_t gold = label.Integer();
  if (gold < 0 || gold >= static_cast<std::int64_t>(item.choices.size())) {
    throw label.Error("gold index " + std::to_string(gold) + " is out of range for " +
                      std::to_string(item.choices.size()) + " endings");
  }
  item.gold = static_cast<int>(gold);
  CheckItem(item, record.where(), "endings", "label");
  CheckEndingsSurvivePreprocess(item, record.where(), "endings");
  return item;
}

}  // namespace

void LoadHellaswagFile(const std::filesystem::path& path, BadRecordPolicy& policy, Task& task) {
  const FileText file = ReadWholeFile(path);
  task.files.push_back(path);
  if (path.extension() == ".txt") {
    LoadTextFormat(file, policy, task);
    return;
  }
  ForEachJsonLine(file, policy,
                  [&](const JsonField& record) { task.items.push_back(ParseJsonItem(record)); });
}

}  // namespace llmcal::tasks
