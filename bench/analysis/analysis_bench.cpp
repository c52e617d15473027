// Speed of everything after the store: `llmcal metrics` on a store of 1M
// lettered items (4 choices of one token each, an MMLU-sized store seventy
// times over), every metric, no bootstrap: reading the scores, turning them
// into probabilities over the choices, computing all 20 metrics. Target
// (issue 7): under 2 s. The store is made once in the temp folder and reused.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/analyze_store.h"
#include "store/store.h"

namespace {

namespace store = llmcal::store;
namespace analysis = llmcal::analysis;

constexpr int kChoices = 4;
constexpr std::int64_t kBlock = 4096;

store::StoredItem Item(std::int64_t index, std::int64_t session) {
  store::StoredItem item;
  item.index = index;
  item.id = fmt::format("q{}", index);
  item.gold = index % kChoices;
  item.subject = "anatomy";
  item.n_choices = kChoices;
  item.session_id = session;
  for (int k = 0; k < kChoices; ++k) {
    store::StoredChoice& c = item.choices.emplace_back();
    c.tokens = {330 + k};
    c.logprobs = {-0.5f - 0.37f * static_cast<float>((index * 7 + k * 13) % 11)};
    c.n_bytes = 1;
    c.n_chars = 1;
  }
  return item;
}

// A store of `n` lettered items of one model, made once.
std::filesystem::path StoreOf(std::int64_t n) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("llmcal-analysis-bench-" + std::to_string(n) + ".sqlite");
  if (std::filesystem::exists(path))
    return path;
  const auto partial = std::filesystem::path(path.string() + ".partial");
  for (const char* suffix : {"", "-wal", "-shm", ".lock"})
    std::filesystem::remove(partial.string() + suffix);
  {
    store::Store s = store::Store::Open(partial, store::Database::kReadWrite);
    const std::int64_t model = s.PutModel("m", {"/m.gguf", 1, 1, std::string(64, '0')});
    const std::int64_t task = s.PutTask({0, "mmlu", n, "", {}});
    store::RunRecord run;
    run.model_id = model;
    run.task_id = task;
    run.style = "choice";
    run.settings = {"t/1", "auto", "common-prefix", 0, 0, ""};
    run.block_items = kBlock;
    store::SessionRecord session;
    session.key = store::NewSessionKey();
    session.kind = "run";
    const std::int64_t run_id = s.CreateRun(run);
    const std::int64_t session_id = s.BeginSession(session);
    store::Transaction transaction(s.database());
    for (std::int64_t first = 0; first < n; first += kBlock) {
      std::vector<store::StoredItem> block;
      for (std::int64_t i = first; i < std::min(n, first + kBlock); ++i)
        block.push_back(Item(i, session_id));
      s.WriteItems(run_id, block);
    }
    transaction.Commit();
  }
  std::filesystem::rename(partial, path);
  return path;
}

void BM_MetricsFromStore(benchmark::State& state) {
  const auto path = StoreOf(state.range(0));
  analysis::AnalysisRequest request;
  request.tasks = {"mmlu"};
  request.methods = {llmcal::calibration::ConfidenceMethod::kChoice};
  request.bootstrap.resamples = 0;
  request.changes = false;
  request.reliability = false;
  for (auto _ : state) {
    store::Store s = store::Store::Open(path, store::Database::kReadOnly);
    benchmark::DoNotOptimize(analysis::AnalyzeStore(s, request));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["store_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
}
BENCHMARK(BM_MetricsFromStore)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
