// A small study on disk for the runner's tests: user tasks (JSONL) and
// stand-in model files in a fresh folder, a plan over them, and a fake
// scorer factory, so each test runs a real store in milliseconds.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "fake_scorer.h"
#include "store/store.h"
#include "study/plan.h"
#include "study/runner.h"
#include "support/test_data.h"

namespace llmcal::testing {

// Writes a user task of `n` items with 2 to 4 choices, the item at index
// `failing` (if any) having a choice the fake scorer fails on.
inline std::filesystem::path WriteTask(const std::filesystem::path& path, int n, int failing = -1,
                                       const std::string& salt = "") {
  std::ofstream out(path);
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> choices;
    for (int k = 0; k < 2 + i % 3; ++k)
      choices.push_back(fmt::format("answer {} of {}{}", k, i, salt));
    if (i == failing)
      choices.back() = "FAIL";
    out << nlohmann::json{{"id", fmt::format("q{}", i)},
                          {"context", fmt::format("Question {}: what is {}?", i, i * 7)},
                          {"choices", choices},
                          {"gold", i % 2}}
               .dump()
        << '\n';
  }
  return path;
}

struct StudyFixture {
  std::filesystem::path dir = FreshTempDir("llmcal-study");
  std::filesystem::path db = dir / "study.sqlite";
  FakeFactory factory;

  StudyFixture() {
    WriteModel("base.gguf", "base weights");
    WriteModel("inst.gguf", "instruct weights");
    WriteTask(dir / "t1.jsonl", 150);
    WriteTask(dir / "t2.jsonl", 70);
  }

  // A stand-in model file: the GGUF magic (the runner refuses a file without
  // it), then `bytes` (the fake scorer reads "scale=A" there).
  void WriteModel(const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << "GGUF" << bytes;
  }

  // Two models, two tasks, both styles; all items.
  study::StudyPlan Plan() const {
    study::StudyPlan plan;
    plan.models = {{"base", dir / "base.gguf"}, {"inst", dir / "inst.gguf"}};
    plan.tasks = {tasks::ParseTaskRef("custom:" + (dir / "t1.jsonl").string()),
                  tasks::ParseTaskRef("custom:" + (dir / "t2.jsonl").string())};
    plan.styles = {tasks::PromptStyle::kContinuation, tasks::PromptStyle::kChoice};
    return plan;
  }

  study::RunnerOptions Options(std::size_t block_items = 16) {
    study::RunnerOptions options;
    options.open_scorer = factory.Factory();
    options.block_items = block_items;
    return options;
  }

  study::RunSummary Run(const study::StudyPlan& plan, study::RunnerOptions options) {
    return study::RunStudy(plan, db, options);
  }
  study::RunSummary Run(const study::StudyPlan& plan) { return Run(plan, Options()); }
};

// Every run's items, keyed by "model task style", read from the store at `db`.
inline std::map<std::string, std::vector<store::StoredItem>> ReadAll(
    const std::filesystem::path& db) {
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  std::map<std::string, std::vector<store::StoredItem>> all;
  for (const store::RunRecord& run : store.ListRuns())
    all[run.model + " " + run.task + " " + run.style] = store.ReadItems(run.id);
  return all;
}

// Expects the two stores to hold the same runs with the same items, bit for bit.
inline void ExpectSameScores(const std::filesystem::path& a, const std::filesystem::path& b) {
  const auto x = ReadAll(a);
  const auto y = ReadAll(b);
  ASSERT_EQ(x.size(), y.size());
  for (const auto& [run, items] : x) {
    ASSERT_TRUE(y.count(run)) << run;
    const auto& other = y.at(run);
    ASSERT_EQ(items.size(), other.size()) << run;
    for (std::size_t i = 0; i < items.size(); ++i)
      EXPECT_TRUE(store::SameContent(items[i], other[i])) << run << " item " << items[i].index;
  }
}

}  // namespace llmcal::testing
