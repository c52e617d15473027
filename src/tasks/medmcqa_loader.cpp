#include <algorithm>

#include "common/json_record.h"
#include "tasks/loaders.h"

namespace llmcal::tasks {
namespace {

// A parsed record whose cop is not yet turned into a gold index, because the
// file as a whole decides whether cop counts from 0 or from 1.
struct PendingItem {
  Item item;
  RecordLocation where;
  std::int64_t cop = 0;
};

PendingItem ParseRecord(const JsonField& record) {
  PendingItem pending{{}, record.where(), 0};
  Item& item = pending.item;
  item.id = record.Has("id") ? record.Member("id").IdText() : record.where().FallbackId();
  item.question = record.Member("question").String();
  for (const char* key : {"opa", "opb", "opc", "opd"}) {
    item.choices.push_back(record.Member(key).String());
  }
  if (record.Has("subject_name")) {
    item.subject = record.Member("subject_name").String();
  }
  pending.cop = record.Member("cop").Integer();
  return pending;
}

// A 0 can only be 0-based and a 4 only 1-based; a file with neither is
// ambiguous, and one with both cannot be read either way.
int DetectCopBase(const std::vector<PendingItem>& items, const std::string& file) {
  const auto has = [&](std::int64_t value) {
    return std::any_of(items.begin(), items.end(),
                       [&](const PendingItem& p) { return p.cop == value; });
  };
  const bool zero = has(0);
  const bool four = has(4);
  if (zero && four) {
    throw InputError::At(file, 0, "cop",
                         "values include both 0 and 4, so they are neither 0-based nor 1-based");
  }
  if (zero) {
    return 0;
  }
  if (four) {
    return 1;
  }
  throw InputError::At(file, 0, "cop",
                       "cannot tell whether the values are 0-based (Hugging Face export) or "
                       "1-based (original release): none is 0 or 4; pass --medmcqa-cop-base 0 "
                       "or 1");
}

}  // namespace

void LoadMedmcqaFile(const std::filesystem::path& path, std::optional<int> cop_base,
                     BadRecordPolicy& policy, Task& task) {
  const FileText file = ReadWholeFile(path);
  task.files.push_back(path);
  std::vector<PendingItem> pending;
  ForEachJsonLine(file, policy,
                  [&](const JsonField& record) { pending.push_back(ParseRecord(record)); });
  if (pending.empty()) {
    return;
  }
  const int base = cop_base ? *cop_base : DetectCopBase(pending, path.string());
  for (PendingItem& p : pending) {
    policy.Attempt([&] {
      if (p.cop - base < 0 || p.cop - base > 3) {
        throw p.where.Error("cop", "value " + std::to_string(p.cop) + " is out of range for " +
                                       std::to_string(base) + "-based answers");
      }
      p.item.gold = static_cast<int>(p.cop - base);
      CheckItem(p.item, p.where, "opa..opd", "cop");
      task.items.push_back(std::move(p.item));
    });
  }
}

}  // namespace llmcal::tasks
