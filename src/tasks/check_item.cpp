#include "tasks/loaders.h"

namespace llmcal::tasks {

void CheckItem(const Item& item, const RecordLocation& where, const std::string& choices_field,
               const std::string& gold_field) {
  const std::size_t count = item.choices.size();
  if (count < 2 || count > 26) {
    throw where.Error(choices_field, "expected 2 to 26 choices, found " + std::to_string(count));
  }
  for (std::size_t k = 0; k < count; ++k) {
    if (item.choices[k].empty()) {
      throw where.Error(choices_field, "choice " + std::to_string(k) + " is empty");
    }
  }
  if (item.gold < 0 || static_cast<std::size_t>(item.gold) >= count) {
    throw where.Error(gold_field, "gold index " + std::to_string(item.gold) +
                                      " is out of range for " + std::to_string(count) + " choices");
  }
}

}  // namespace llmcal::tasks
