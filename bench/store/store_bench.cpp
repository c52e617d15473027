// Speed of the store: committing blocks of 64 scored items (what `llmcal
// run` does after each block, fsync included), and reading a whole run back
// (what every command that computes metrics from a store does). Items have 4
// choices of 30 tokens, about a HellaSwag item in a 32k-vocabulary model.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/store.h"

namespace {

namespace store = llmcal::store;

constexpr int kChoices = 4;
constexpr int kTokens = 30;
constexpr std::int64_t kBlock = 64;

std::filesystem::path TempStore(const std::string& name) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("llmcal-store-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  for (const char* suffix : {"", "-wal", "-shm", ".lock"})
    std::filesystem::remove(path.string() + suffix);
  return path;
}

store::StoredItem Item(std::int64_t index, std::int64_t session) {
  store::StoredItem item;
  item.index = index;
  item.id = "hellaswag-" + std::to_string(index);
  item.gold = index % kChoices;
  item.n_choices = kChoices;
  item.session_id = session;
  for (int k = 0; k < kChoices; ++k) {
    store::StoredChoice& c = item.choices.emplace_back();
    for (int t = 0; t < kTokens; ++t) {
      c.tokens.push_back(1000 * k + t);
      c.logprobs.push_back(-0.01f * static_cast<float>(t + k + index % 97));
    }
    c.n_bytes = 120;
    c.n_chars = 118;
  }
  return item;
}

// A store with one run; returns the run's id and the session's.
std::pair<std::int64_t, std::int64_t> NewRun(store::Store& s) {
  const std::int64_t model = s.PutModel("m", {"/m.gguf", 1, 1, std::string(64, '0')});
  const std::int64_t task = s.PutTask({0, "hellaswag", 1, "", {}});
  store::RunRecord run;
  run.model_id = model;
  run.task_id = task;
  run.style = "continuation";
  run.settings = {"t/1", "auto", "common-prefix", 0, 0, ""};
  run.block_items = kBlock;
  store::SessionRecord session;
  session.key = store::NewSessionKey();
  session.kind = "run";
  return {s.CreateRun(run), s.BeginSession(session)};
}

void BM_CommitBlock(benchmark::State& state) {
  const auto path = TempStore("commit.sqlite");
  store::Store s = store::Store::Open(path, store::Database::kReadWrite);
  const auto [run, session] = NewRun(s);
  std::int64_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<store::StoredItem> block;
    for (std::int64_t i = 0; i < kBlock; ++i)
      block.push_back(Item(next++, session));
    state.ResumeTiming();
    s.WriteItems(run, block);
  }
  state.SetItemsProcessed(state.iterations() * kBlock);
}
BENCHMARK(BM_CommitBlock)->Unit(benchmark::kMillisecond)->UseRealTime();

// A store of `n` items in one run, made once per size.
std::filesystem::path StoreOf(std::int64_t n) {
  const auto path = TempStore("read-" + std::to_string(n) + ".sqlite");
  {
    store::Store s = store::Store::Open(path, store::Database::kReadWrite);
    const auto [run, session] = NewRun(s);
    store::Transaction transaction(s.database());
    for (std::int64_t first = 0; first < n; first += kBlock) {
      std::vector<store::StoredItem> block;
      for (std::int64_t i = first; i < std::min(n, first + kBlock); ++i)
        block.push_back(Item(i, session));
      s.WriteItems(run, block);
    }
    transaction.Commit();
  }
  return path;
}

// Every item with its token arrays (Store::ReadItems).
void BM_ReadItems(benchmark::State& state) {
  const auto path = StoreOf(state.range(0));
  store::Store s = store::Store::Open(path, store::Database::kReadOnly);
  const std::int64_t run = s.ListRuns().at(0).id;
  for (auto _ : state)
    benchmark::DoNotOptimize(s.ReadItems(run));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["store_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
}
BENCHMARK(BM_ReadItems)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// What metrics need (Store::ReadScores).
void BM_ReadScores(benchmark::State& state) {
  const auto path = StoreOf(state.range(0));
  store::Store s = store::Store::Open(path, store::Database::kReadOnly);
  const std::int64_t run = s.ListRuns().at(0).id;
  for (auto _ : state)
    benchmark::DoNotOptimize(s.ReadScores(run));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ReadScores)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
