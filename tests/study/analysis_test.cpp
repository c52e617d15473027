// analysis::AnalyzeStore on stores filled by the runner with the fake scorer:
// every number equals the calibration library's on the same probabilities,
// computed here independently from the stored per-token log-probs; changes
// are the difference of the two models' values; task groups pool an mmlu
// run by subject; failed items and uneven pairs are noted, not hidden; and
// unknown names are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis/analyze_store.h"
#include "calibration/bootstrap.h"
#include "calibration/comparisons.h"
#include "calibration/confidence_methods.h"
#include "common/error.h"
#include "common/progress.h"
#include "study_fixture.h"
#include "tasks/task_names.h"

namespace llmcal::testing {
namespace {

namespace cal = calibration;

// The probabilities of `method` for the stored items of (model, task, style),
// from the per-token log-probs (not the store's summaries). Items that failed
// are left out.
cal::ChoiceProbabilities Independent(const std::filesystem::path& db, const std::string& model,
                                     const std::string& task, const std::string& style,
                                     cal::ConfidenceMethod method) {
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  cal::ChoiceProbabilities data;
  for (const store::RunRecord& run : store.ListRuns()) {
    if (run.model != model || run.task != task || run.style != style)
      continue;
    for (const store::StoredItem& item : store.ReadItems(run.id)) {
      if (!item.ok())
        continue;
      std::vector<double> scores;
      for (const store::StoredChoice& c : item.choices) {
        const std::vector<double> logprobs(c.logprobs.begin(), c.logprobs.end());
        scores.push_back(cal::ChoiceScore(method, {logprobs, static_cast<std::size_t>(c.n_chars),
                                                   static_cast<std::size_t>(c.n_bytes)}));
      }
      data.AddScores(scores, static_cast<int>(item.gold));
    }
  }
  return data;
}

std::string TaskName(const StudyFixture& f, const char* file) {
  return "custom:" + (f.dir / file).string();
}

analysis::AnalysisRequest SmallRequest() {
  analysis::AnalysisRequest request;
  request.metrics = cal::ParseMetricSelection("accuracy,ece,sce,sce_cl,auroc,nll");
  request.bootstrap.resamples = 50;
  request.bootstrap.seed = 7;
  request.reliability = false;
  return request;
}

analysis::Analysis Analyze(const std::filesystem::path& db,
                           const analysis::AnalysisRequest& request) {
  store::Store store = store::Store::Open(db, store::Database::kReadOnly);
  return analysis::AnalyzeStore(store, request);
}

TEST(AnalyzeStore, EstimatesEqualTheLibraryOnIndependentlyComputedProbabilities) {
  StudyFixture f;
  f.Run(f.Plan());
  const analysis::AnalysisRequest request = SmallRequest();
  const analysis::Analysis analysis = Analyze(f.db, request);
  const analysis::ResultIndex index(analysis.results);
  const std::string task = TaskName(f, "t1.jsonl");
  for (const char* method : {"sum", "min", "choice"}) {
    const cal::ConfidenceMethod m = *cal::ParseMethod(method);
    const std::string style = m == cal::ConfidenceMethod::kChoice ? "choice" : "continuation";
    const cal::ChoiceProbabilities data = Independent(f.db, "inst", task, style, m);
    const cal::MetricEvaluator evaluator(data, request.metrics, request.bins);
    for (const cal::MetricBand& e : cal::BootstrapMetrics(evaluator, request.bootstrap)) {
      const analysis::MetricEstimate* got = index.Estimate("inst", task, method, e.spec.Name());
      ASSERT_NE(got, nullptr) << method << " " << e.spec.Name();
      EXPECT_EQ(got->n, 150);
      if (!e.value.defined()) {
        EXPECT_FALSE(got->defined());
        continue;
      }
      EXPECT_DOUBLE_EQ(got->value, e.value.value) << method << " " << e.spec.Name();
      ASSERT_TRUE(got->ci.has_value());
      EXPECT_DOUBLE_EQ(got->ci->lo, e.band.interval.lo);
      EXPECT_DOUBLE_EQ(got->ci->hi, e.band.interval.hi);
    }
  }
}

TEST(AnalyzeStore, ChangesAreTheDifferenceOfTheTwoModelsEstimates) {
  StudyFixture f;
  f.Run(f.Plan());
  analysis::AnalysisRequest request = SmallRequest();
  request.pairs = {{.name = "p", .base = "base", .instruct = "inst"}};
  const analysis::Analysis analysis = Analyze(f.db, request);
  const analysis::ResultIndex index(analysis.results);
  int checked = 0;
  for (const analysis::ChangeEstimate& c : analysis.results.changes) {
    const analysis::MetricEstimate* pt = index.Estimate("base", c.task, c.method, c.metric);
    const analysis::MetricEstimate* it = index.Estimate("inst", c.task, c.method, c.metric);
    ASSERT_NE(pt, nullptr);
    ASSERT_NE(it, nullptr);
    if (!pt->defined() || !it->defined())
      continue;
    EXPECT_DOUBLE_EQ(c.pt, pt->value);
    EXPECT_DOUBLE_EQ(c.it, it->value);
    EXPECT_DOUBLE_EQ(c.difference, it->value - pt->value);
    EXPECT_DOUBLE_EQ(c.change_rate, (it->value - pt->value) / pt->value * 100);
    ++checked;
  }
  // 2 tasks x 3 methods x 6 metrics, AUROC possibly undefined on some.
  EXPECT_GE(checked, 30);
}

TEST(AnalyzeStore, FailedItemsAreLeftOutAndNoted) {
  StudyFixture f;
  WriteTask(f.dir / "t3.jsonl", 40, /*failing=*/5);
  study::StudyPlan plan = f.Plan();
  plan.tasks = {tasks::ParseTaskRef(TaskName(f, "t3.jsonl"))};
  f.Run(plan);
  const analysis::Analysis analysis = Analyze(f.db, SmallRequest());
  const analysis::ResultIndex index(analysis.results);
  EXPECT_EQ(index.Estimate("base", TaskName(f, "t3.jsonl"), "sum", "ece")->n, 39);
  const bool noted = std::any_of(analysis.notes.begin(), analysis.notes.end(), [](const auto& n) {
    return n.find("1 item(s) could not be scored") != std::string::npos;
  });
  EXPECT_TRUE(noted);
}

TEST(AnalyzeStore, PairsCompareOnTheItemsBothModelsHave) {
  StudyFixture f;
  study::StudyPlan plan = f.Plan();
  plan.tasks.resize(1);
  plan.models = {plan.models[0]};
  f.Run(plan);  // base: all 150 items
  plan = f.Plan();
  plan.tasks.resize(1);
  plan.models = {plan.models[1]};
  plan.selection = {study::ItemSelection::Kind::kFirst, 100, 0};
  f.Run(plan);  // inst: the first 100
  analysis::AnalysisRequest request = SmallRequest();
  request.pairs = {{.name = "p", .base = "base", .instruct = "inst"}};
  request.metrics = cal::ParseMetricSelection("accuracy");
  const analysis::Analysis analysis = Analyze(f.db, request);
  const std::string task = TaskName(f, "t1.jsonl");
  const analysis::ChangeEstimate* c =
      analysis::ResultIndex(analysis.results).Change("p", task, "sum", "accuracy");
  ASSERT_NE(c, nullptr);
  const cal::ChoiceProbabilities base =
      Independent(f.db, "base", task, "continuation", cal::ConfidenceMethod::kSum);
  double hits = 0;
  for (std::size_t i = 0; i < 100; ++i)
    hits += base.predicted(i) == base.gold(i) ? 1 : 0;
  EXPECT_DOUBLE_EQ(c->pt, hits / 100);
  const bool noted = std::any_of(analysis.notes.begin(), analysis.notes.end(), [](const auto& n) {
    return n.find("compared on the 100 both have") != std::string::npos;
  });
  EXPECT_TRUE(noted);
}

TEST(AnalyzeStore, MmluGroupsPoolTheMmluRunBySubject) {
  StudyFixture f;
  study::StudyPlan plan = f.Plan();
  plan.tasks = {tasks::ParseTaskRef("mmlu")};
  plan.data_dir = TestDataDir();
  plan.styles = {tasks::PromptStyle::kChoice};
  plan.selection = {study::ItemSelection::Kind::kSample, 200, 3};
  f.Run(plan);
  analysis::AnalysisRequest request = SmallRequest();
  request.bootstrap.resamples = 0;
  const analysis::Analysis analysis = Analyze(f.db, request);
  const std::vector<std::string> expected = {"mmlu", "mmlu_stem", "mmlu_humanities",
                                             "mmlu_social_sciences", "mmlu_other"};
  EXPECT_EQ(analysis.results.tasks, expected);
  const analysis::ResultIndex index(analysis.results);
  std::int64_t pooled = 0;
  for (std::size_t g = 1; g < expected.size(); ++g) {
    const analysis::MetricEstimate* e = index.Estimate("base", expected[g], "choice", "accuracy");
    ASSERT_NE(e, nullptr) << expected[g];
    EXPECT_GT(e->n, 0) << expected[g];
    pooled += e->n;
  }
  EXPECT_EQ(pooled, 200);  // every subject is in exactly one group

  // A subject, asked for by name, is pooled the same way.
  request.tasks = {"mmlu_high_school_biology"};
  const analysis::Analysis subject = Analyze(f.db, request);
  store::Store store = store::Store::Open(f.db, store::Database::kReadOnly);
  std::int64_t biology = 0;
  for (const store::RunRecord& run : store.ListRuns()) {
    if (run.model != "base")
      continue;
    for (const store::StoredItem& item : store.ReadItems(run.id))
      biology += item.subject == "high_school_biology" ? 1 : 0;
  }
  ASSERT_GT(biology, 0);
  EXPECT_EQ(analysis::ResultIndex(subject.results)
                .Estimate("base", "mmlu_high_school_biology", "choice", "accuracy")
                ->n,
            biology);
}

TEST(AnalyzeStore, RankingsOrderThePairsByChangeRate) {
  StudyFixture f;
  f.WriteModel("inst.gguf", "scale=1.5");
  f.WriteModel("inst2.gguf", "scale=0.7");
  study::StudyPlan plan = f.Plan();
  plan.models.push_back({"inst2", f.dir / "inst2.gguf"});
  f.Run(plan);
  analysis::AnalysisRequest request = SmallRequest();
  request.bootstrap.resamples = 0;
  request.pairs = {{.name = "a", .base = "base", .instruct = "inst"},
                   {.name = "b", .base = "base", .instruct = "inst2"},
                   {.name = "c", .base = "inst", .instruct = "inst2"}};
  request.rankings = {{"ece", "sum"}};
  const analysis::Analysis analysis = Analyze(f.db, request);
  ASSERT_EQ(analysis.results.rankings.size(), 1u);
  const analysis::Ranking& ranking = analysis.results.rankings.front();
  const analysis::ResultIndex index(analysis.results);
  std::vector<std::vector<double>> rates;
  for (const analysis::TaskRanking& task : ranking.tasks) {
    ASSERT_EQ(task.entries.size(), 3u);
    for (std::size_t e = 1; e < task.entries.size(); ++e) {
      EXPECT_GE(task.entries[e - 1].change_rate, task.entries[e].change_rate);
      EXPECT_LE(task.entries[e - 1].rank, task.entries[e].rank);
    }
    std::vector<double>& row = rates.emplace_back();
    for (const char* pair : {"a", "b", "c"})
      row.push_back(index.Change(pair, task.task, "sum", "ece")->change_rate);
  }
  ASSERT_TRUE(ranking.concordance.has_value());
  EXPECT_DOUBLE_EQ(ranking.concordance->w, cal::KendallsW(rates).w);
}

TEST(AnalyzeStore, RefusesUnknownNamesNamingThem) {
  StudyFixture f;
  f.Run(f.Plan());
  const auto expect_refusal = [&](analysis::AnalysisRequest request, const std::string& name) {
    try {
      Analyze(f.db, request);
      ADD_FAILURE() << "no error for " << name;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  analysis::AnalysisRequest request = SmallRequest();
  request.models = {"nosuchmodel"};
  expect_refusal(request, "nosuchmodel");
  request = SmallRequest();
  request.tasks = {"arc_easy"};
  expect_refusal(request, "arc_easy");
  request = SmallRequest();
  request.pairs = {{.name = "p", .base = "base", .instruct = "ghost"}};
  expect_refusal(request, "ghost");
  request = SmallRequest();
  request.rankings = {{"brier", "sum"}};
  request.pairs = {{.name = "p", .base = "base", .instruct = "inst"}};
  expect_refusal(request, "brier");
}

// Records what the analysis reports as it goes.
class ProgressRecorder : public ProgressSink {
 public:
  void RunStarted(const std::string& l, std::int64_t planned, std::int64_t stored) override {
    label = l;
    total = planned;
    done = stored;
  }
  void BlockStored(std::int64_t units, std::int64_t tokens) override {
    done += units;
    token_count += tokens;
  }
  void RunFinished() override { ++finished; }
  void Note(const std::string&) override {}

  std::string label;
  std::int64_t total = -1;
  std::int64_t done = 0;
  std::int64_t token_count = 0;
  int finished = 0;
};

TEST(AnalyzeStore, ReportsProgressOneUnitPerEstimateAndComparison) {
  StudyFixture f;
  f.Run(f.Plan());
  analysis::AnalysisRequest request = SmallRequest();
  request.pairs = {{.name = "p", .base = "base", .instruct = "inst"}};
  ProgressRecorder progress;
  store::Store store = store::Store::Open(f.db, store::Database::kReadOnly);
  analysis::AnalyzeStore(store, request, &progress);
  // (2 models + 1 pair) x 2 tasks x 3 methods.
  EXPECT_EQ(progress.label, "analysis");
  EXPECT_EQ(progress.total, 18);
  EXPECT_EQ(progress.done, 18);
  EXPECT_EQ(progress.token_count, 0);
  EXPECT_EQ(progress.finished, 1);
}

TEST(AnalyzeStore, RefusesTwoPairsOfOneName) {
  StudyFixture f;
  f.Run(f.Plan());
  analysis::AnalysisRequest request = SmallRequest();
  request.pairs = {{.name = "X", .base = "base", .instruct = "inst"},
                   {.name = "X", .base = "inst", .instruct = "base"}};
  try {
    Analyze(f.db, request);
    FAIL() << "two pairs named X were accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("two pairs are named 'X' (base:inst and inst:base)"),
              std::string::npos)
        << e.what();
  }
}

TEST(ParseModelPair, NamesPairsAndRefusesMalformedArguments) {
  const analysis::ModelPair named = analysis::ParseModelPair("llama=base:chat");
  EXPECT_EQ(named.name, "llama");
  EXPECT_EQ(named.base, "base");
  EXPECT_EQ(named.instruct, "chat");
  EXPECT_EQ(analysis::ParseModelPair("base:chat").name, "base");
  for (const char* bad : {"base", "base:", ":chat", "a:b:c", "=a:b", "a:a"})
    EXPECT_THROW(analysis::ParseModelPair(bad), InputError) << bad;
}

}  // namespace
}  // namespace llmcal::testing
