// The real benchmark files in data/, each task loaded once per test program.
#pragma once

#include <map>
#include <string>

#include "support/test_data.h"
#include "tasks/task_loader.h"

namespace llmcal::tasks::testing {

inline const Task& RealTask(const std::string& name) {
  static std::map<std::string, Task> loaded;
  auto it = loaded.find(name);
  if (it == loaded.end()) {
    it = loaded.emplace(name, LoadTask(ParseTaskRef(name), llmcal::testing::TestDataDir(), {}))
             .first;
  }
  return it->second;
}

}  // namespace llmcal::tasks::testing
