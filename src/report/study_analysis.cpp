#include "report/study_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "calibration/comparisons.h"
#include "calibration/reliability.h"
#include "common/error.h"
#include "tasks/prompt_builder.h"
#include "tasks/task_names.h"

namespace llmcal::report {
namespace {

namespace cal = calibration;
using cal::ConfidenceMethod;

// The paper's three methods, the default.
constexpr ConfidenceMethod kPaperMethods[] = {ConfidenceMethod::kSum, ConfidenceMethod::kMin,
                                              ConfidenceMethod::kChoice};

std::string_view StyleOf(ConfidenceMethod method) {
  return tasks::PromptStyleName(method == ConfidenceMethod::kChoice
                                    ? tasks::PromptStyle::kChoice
                                    : tasks::PromptStyle::kContinuation);
}

std::string MethodKey(ConfidenceMethod method) {
  return std::string(cal::MethodName(method));
}

// The scored items of one (model, task, style), ascending by item index:
// the run the task reads, filtered by subject for a pooled MMLU group.
struct Sample {
  const store::RunScores* scores = nullptr;
  std::vector<const store::ItemSummary*> items;
  std::size_t failed = 0;  // items of the task stored with an error
};

// The store's runs by (model, task, style), with their scores read once.
class RunCatalog {
 public:
  explicit RunCatalog(store::Store& store) : store_(store), runs_(store.ListRuns()) {
    for (const store::RunRecord& run : runs_)
      by_key_[{run.model, run.task, run.style}] = &run;
  }

  const std::vector<store::RunRecord>& runs() const { return runs_; }

  bool HasModel(const std::string& model) const {
    return std::any_of(runs_.begin(), runs_.end(),
                       [&](const store::RunRecord& r) { return r.model == model; });
  }

  // The sample of `task` for (model, style), or nullopt when no run provides it.
  std::optional<Sample> Find(const std::string& model, const std::string& task,
                             std::string_view style) {
    if (const store::RunRecord* run = Run(model, task, style))
      return Select(*run, {});
    const std::optional<tasks::TaskSpec> spec = tasks::FindTaskSpec(task);
    if (!spec || spec->benchmark != tasks::Benchmark::kMmlu || task == "mmlu")
      return std::nullopt;
    const store::RunRecord* mmlu = Run(model, "mmlu", style);
    if (mmlu == nullptr)
      return std::nullopt;
    return Select(*mmlu, std::set<std::string>(spec->subjects.begin(), spec->subjects.end()));
  }

 private:
  const store::RunRecord* Run(const std::string& model, const std::string& task,
                              std::string_view style) const {
    const auto it = by_key_.find({model, task, std::string(style)});
    return it == by_key_.end() ? nullptr : it->second;
  }

  // The items of `run` (all when `subjects` is empty).
  Sample Select(const store::RunRecord& run, const std::set<std::string>& subjects) {
    auto [it, inserted] = scores_.try_emplace(run.id);
    if (inserted)
      it->second = store_.ReadScores(run.id);
    Sample sample;
    sample.scores = &it->second;
    for (const store::ItemSummary& item : it->second.items) {
      if (!subjects.empty() && !subjects.contains(item.subject))
        continue;
      if (item.failed) {
        ++sample.failed;
      } else {
        sample.items.push_back(&item);
      }
    }
    return sample;
  }

  store::Store& store_;
  std::vector<store::RunRecord> runs_;
  std::map<std::tuple<std::string, std::string, std::string>, const store::RunRecord*> by_key_;
  std::map<std::int64_t, store::RunScores> scores_;
};

// The probabilities of `method` over each item's choices.
cal::ChoiceProbabilities Probabilities(const Sample& sample, ConfidenceMethod method) {
  cal::ChoiceProbabilities data;
  std::vector<double> scores;
  for (const store::ItemSummary* item : sample.items) {
    scores.clear();
    for (std::int64_t k = 0; k < item->n_choices; ++k) {
      const store::ChoiceSummary& c =
          sample.scores->choices[item->first_choice + static_cast<std::size_t>(k)];
      scores.push_back(
          cal::SummaryScore(method, {.sum = c.sum,
                                     .min = c.min,
                                     .num_tokens = static_cast<std::size_t>(c.n_tokens),
                                     .num_chars = static_cast<std::size_t>(c.n_chars),
                                     .num_bytes = static_cast<std::size_t>(c.n_bytes)}));
    }
    data.AddScores(scores, static_cast<int>(item->gold));
  }
  return data;
}

// Why `method` has no value on `sample`, or "" when it has: min and mean need
// per-token log-probs, which an imported run lacks (store::RunScores).
std::string MissingTokensReason(const Sample& sample, ConfidenceMethod method) {
  if (sample.scores->token_scores || !cal::NeedsTokenScores(method))
    return "";
  return fmt::format(
      "method {} needs per-token log-probs; this run was imported from lm-evaluation-harness, "
      "whose samples hold only each choice's total",
      cal::MethodName(method));
}

std::optional<Interval> IntervalOf(const cal::Band& band, int resamples) {
  if (resamples == 0 || !band.defined())
    return std::nullopt;
  return band.interval;
}

// The analysis in progress: the request resolved to names, the results
// filled in step by step.
class Analyzer {
 public:
  Analyzer(store::Store& store, const AnalysisRequest& request)
      : store_(store), request_(request), catalog_(store) {}

  Analysis Run() {
    ResolveMetrics();
    ResolveModels();
    ResolveMethods();
    ResolveTasks();
    if (request_.estimates || request_.reliability)
      ComputeEstimates();
    if (request_.changes && !results().pairs.empty())
      ComputeChanges();
    ComputeRankings();
    FillProvenance();
    return std::move(analysis_);
  }

 private:
  StudyResults& results() { return analysis_.results; }
  const StudyResults& results() const { return analysis_.results; }
  const std::string& file() const { return store_.file(); }

  [[noreturn]] void Fail(const std::string& what) const {
    throw InputError::At(file(), 0, "", what);
  }

  void ResolveMetrics() {
    metrics_ = request_.metrics.empty() ? cal::AllMetrics() : request_.metrics;
    for (const cal::MetricSpec& spec : metrics_) {
      const cal::MetricInfo& info = spec.info();
      results().metrics.push_back({.name = spec.Name(),
                                   .description = std::string(info.description),
                                   .lower_is_better = info.lower_is_better,
                                   .calibration_error = info.calibration_error});
    }
    results().analysis = {.bins = request_.bins.bins,
                          .resamples = request_.bootstrap.resamples,
                          .level = request_.bootstrap.level,
                          .seed = request_.bootstrap.seed};
  }

  void ResolveModels() {
    std::vector<std::string> models = request_.models;
    if (models.empty()) {
      for (const store::RunRecord& run : catalog_.runs()) {
        if (std::find(models.begin(), models.end(), run.model) == models.end())
          models.push_back(run.model);
      }
    }
    std::vector<ModelPair> pairs = request_.pairs;
    if (pairs.empty() && request_.changes) {
      for (const store::PairRecord& p : store_.ListPairs())
        pairs.push_back({.name = p.name, .base = p.base, .instruct = p.instruct});
    }
    for (const ModelPair& pair : pairs) {
      for (const std::string& member : {pair.base, pair.instruct}) {
        if (std::find(models.begin(), models.end(), member) == models.end())
          models.push_back(member);
      }
    }
    for (const std::string& model : models) {
      if (!catalog_.HasModel(model))
        Fail(fmt::format("no stored scores for model '{}' ({})", model, KnownModels()));
    }
    results().models = models;
    results().pairs = pairs;
  }

  std::string KnownModels() const {
    std::vector<std::string> names;
    for (const store::RunRecord& run : catalog_.runs()) {
      if (std::find(names.begin(), names.end(), run.model) == names.end())
        names.push_back(run.model);
    }
    return names.empty() ? "the store has no runs"
                         : fmt::format("models in the store: {}", fmt::join(names, ", "));
  }

  bool StyleWasRun(std::string_view style) const {
    return std::any_of(catalog_.runs().begin(), catalog_.runs().end(),
                       [&](const store::RunRecord& r) { return r.style == style; });
  }

  void ResolveMethods() {
    if (!request_.methods.empty()) {
      methods_ = request_.methods;
    } else {
      for (ConfidenceMethod m : kPaperMethods) {
        if (StyleWasRun(StyleOf(m)))
          methods_.push_back(m);
      }
    }
    for (ConfidenceMethod m : methods_) {
      if (!StyleWasRun(StyleOf(m))) {
        Fail(fmt::format("method {} needs the {} prompt style, which no run of the store used",
                         cal::MethodName(m), StyleOf(m)));
      }
      results().methods.push_back(MethodKey(m));
    }
  }

  void ResolveTasks() {
    std::vector<std::string> tasks = request_.tasks;
    if (tasks.empty()) {
      for (const store::RunRecord& run : catalog_.runs()) {
        if (std::find(tasks.begin(), tasks.end(), run.task) != tasks.end())
          continue;
        tasks.push_back(run.task);
        if (run.task == "mmlu") {
          for (std::string_view group : tasks::kMmluGroups)
            tasks.push_back(fmt::format("mmlu_{}", group));
        }
      }
      // A group run of its own may have come first; keep the first of each name.
      std::vector<std::string> unique;
      for (const std::string& t : tasks) {
        if (std::find(unique.begin(), unique.end(), t) == unique.end())
          unique.push_back(t);
      }
      tasks = unique;
    }
    const bool defaults = request_.tasks.empty();
    std::vector<std::string> kept;
    for (const std::string& task : tasks) {
      if (AnyModelHas(task)) {
        kept.push_back(task);
      } else if (!defaults) {
        Fail(
            fmt::format("no stored scores for task '{}' (a task is read from its own runs, "
                        "or an MMLU group or subject from an mmlu run)",
                        task));
      }
    }
    tasks = kept;
    results().tasks = tasks;
  }

  // True when some model has stored items of `task` for some method.
  bool AnyModelHas(const std::string& task) {
    for (const std::string& model : results().models) {
      for (ConfidenceMethod m : methods_) {
        const std::optional<Sample> sample = catalog_.Find(model, task, StyleOf(m));
        if (sample && (!sample->items.empty() || sample->failed > 0))
          return true;
      }
    }
    return false;
  }

  void ComputeEstimates() {
    std::set<std::tuple<std::string, std::string, std::string>> noted;
    for (const std::string& model : results().models) {
      for (const std::string& task : results().tasks) {
        for (ConfidenceMethod method : methods_) {
          const std::optional<Sample> sample = catalog_.Find(model, task, StyleOf(method));
          if (!sample)
            continue;
          if (sample->failed > 0 &&
              noted.insert({model, task, std::string(StyleOf(method))}).second) {
            analysis_.notes.push_back(
                fmt::format("{}, {}, {} style: {} item(s) could not be scored and are left out",
                            model, task, StyleOf(method), sample->failed));
          }
          if (sample->items.empty())
            continue;
          if (const std::string reason = MissingTokensReason(*sample, method); !reason.empty()) {
            if (request_.estimates)
              AddUndefinedEstimates(model, task, MethodKey(method), sample->items.size(), reason);
            continue;
          }
          const cal::ChoiceProbabilities data = Probabilities(*sample, method);
          if (request_.estimates)
            AddEstimates(model, task, MethodKey(method), data);
          if (request_.reliability)
            AddReliability(model, task, MethodKey(method), data);
        }
      }
    }
  }

  void AddEstimates(const std::string& model, const std::string& task, const std::string& method,
                    const cal::ChoiceProbabilities& data) {
    const cal::MetricEvaluator evaluator(data, metrics_, request_.bins);
    const int resamples = request_.bootstrap.resamples;
    std::vector<cal::MetricEstimate> estimates;
    if (resamples > 0) {
      estimates = cal::BootstrapMetrics(evaluator, request_.bootstrap);
    } else {
      const std::vector<cal::MetricValue> values = evaluator.Compute();
      for (std::size_t m = 0; m < values.size(); ++m)
        estimates.push_back({.spec = metrics_[m], .value = values[m], .band = {}});
    }
    for (const cal::MetricEstimate& e : estimates) {
      results().estimates.push_back({.model = model,
                                     .task = task,
                                     .method = method,
                                     .metric = e.spec.Name(),
                                     .value = e.value.value,
                                     .ci = IntervalOf(e.band, resamples),
                                     .n = static_cast<std::int64_t>(data.size()),
                                     .undefined_reason = std::string(e.value.reason)});
    }
  }

  // Every metric of (model, task, method) as undefined, for `reason`.
  void AddUndefinedEstimates(const std::string& model, const std::string& task,
                             const std::string& method, std::size_t n, const std::string& reason) {
    for (const cal::MetricSpec& spec : metrics_) {
      results().estimates.push_back({.model = model,
                                     .task = task,
                                     .method = method,
                                     .metric = spec.Name(),
                                     .value = std::numeric_limits<double>::quiet_NaN(),
                                     .ci = std::nullopt,
                                     .n = static_cast<std::int64_t>(n),
                                     .undefined_reason = reason});
    }
  }

  void AddReliability(const std::string& model, const std::string& task, const std::string& method,
                      const cal::ChoiceProbabilities& data) {
    const int resamples = request_.bootstrap.resamples;
    const cal::BootstrapOptions* options = resamples > 0 ? &request_.bootstrap : nullptr;
    ReliabilityDiagram diagram;
    diagram.model = model;
    diagram.task = task;
    diagram.method = method;
    for (const cal::ReliabilityBin& b : cal::BinnedReliability(data, request_.bins.bins, options)) {
      diagram.bins.push_back({.lo = b.lo,
                              .hi = b.hi,
                              .count = static_cast<std::int64_t>(b.count),
                              .confidence = b.confidence,
                              .accuracy = b.accuracy,
                              .accuracy_band = IntervalOf(b.accuracy_band, resamples)});
    }
    const cal::SmoothReliability smooth = cal::SmoothReliabilityCurve(data, options);
    diagram.bandwidth = smooth.sigma;
    for (const cal::SmoothReliabilityPoint& p : smooth.points) {
      diagram.smooth.push_back({.t = p.t,
                                .accuracy = p.accuracy,
                                .band = IntervalOf(p.accuracy_band, resamples),
                                .density = p.density});
    }
    results().reliability.push_back(std::move(diagram));
  }

  void ComputeChanges() {
    for (const ModelPair& pair : results().pairs) {
      for (const std::string& task : results().tasks) {
        for (ConfidenceMethod method : methods_) {
          const std::string_view style = StyleOf(method);
          const std::optional<Sample> pt = catalog_.Find(pair.base, task, style);
          const std::optional<Sample> it = catalog_.Find(pair.instruct, task, style);
          if (!pt || !it)
            continue;
          const auto [pt_common, it_common] = CommonItems(pair, task, *pt, *it);
          if (pt_common.items.empty())
            continue;
          const std::string pt_missing = MissingTokensReason(pt_common, method);
          const std::string it_missing = MissingTokensReason(it_common, method);
          if (!pt_missing.empty() || !it_missing.empty()) {
            AddUndefinedChanges(pair.name, task, MethodKey(method),
                                fmt::format("undefined for the {} model: {}",
                                            pt_missing.empty() ? "instruct" : "base",
                                            pt_missing.empty() ? it_missing : pt_missing));
            continue;
          }
          AddChanges(pair.name, task, MethodKey(method), Probabilities(pt_common, method),
                     Probabilities(it_common, method));
        }
      }
    }
  }

  // The items both samples hold, in index order. Notes a difference in the
  // item sets; throws when an item's gold or choice count differs.
  std::pair<Sample, Sample> CommonItems(const ModelPair& pair, const std::string& task,
                                        const Sample& pt, const Sample& it) {
    Sample a{.scores = pt.scores, .items = {}, .failed = 0};
    Sample b{.scores = it.scores, .items = {}, .failed = 0};
    std::size_t i = 0, j = 0;
    while (i < pt.items.size() && j < it.items.size()) {
      const store::ItemSummary& x = *pt.items[i];
      const store::ItemSummary& y = *it.items[j];
      if (x.index < y.index) {
        ++i;
      } else if (y.index < x.index) {
        ++j;
      } else {
        if (x.gold != y.gold || x.n_choices != y.n_choices) {
          Fail(fmt::format(
              "pair {}, task {}: item {} has gold {} of {} choices for {} but gold {} of {} for "
              "{}; the two models scored different task files",
              pair.name, task, x.index, x.gold, x.n_choices, pair.base, y.gold, y.n_choices,
              pair.instruct));
        }
        a.items.push_back(&x);
        b.items.push_back(&y);
        ++i;
        ++j;
      }
    }
    if (a.items.size() != pt.items.size() || b.items.size() != it.items.size()) {
      analysis_.notes.push_back(fmt::format(
          "pair {}, task {}: {} has {} scored items and {} has {}; compared on the {} both have",
          pair.name, task, pair.base, pt.items.size(), pair.instruct, it.items.size(),
          a.items.size()));
    }
    return {a, b};
  }

  void AddChanges(const std::string& pair, const std::string& task, const std::string& method,
                  const cal::ChoiceProbabilities& pt, const cal::ChoiceProbabilities& it) {
    const int resamples = request_.bootstrap.resamples;
    std::vector<cal::MetricChange> changes;
    if (resamples > 0) {
      changes = cal::PairedBootstrap(pt, it, metrics_, request_.bins, request_.bootstrap);
    } else {
      changes = PointChanges(pt, it);
    }
    for (const cal::MetricChange& c : changes) {
      std::string reason;
      if (!c.pt.defined() || !c.it.defined()) {
        reason = fmt::format("undefined for the {} model: {}", c.pt.defined() ? "instruct" : "base",
                             c.pt.defined() ? c.it.reason : c.pt.reason);
      }
      results().changes.push_back({.pair = pair,
                                   .task = task,
                                   .method = method,
                                   .metric = c.spec.Name(),
                                   .pt = c.pt.value,
                                   .it = c.it.value,
                                   .difference = c.difference,
                                   .change_rate = c.change_rate,
                                   .difference_ci = IntervalOf(c.difference_ci, resamples),
                                   .change_rate_ci = IntervalOf(c.change_rate_ci, resamples),
                                   .undefined_reason = reason});
    }
  }

  // Every metric's change of (pair, task, method) as undefined, for `reason`.
  void AddUndefinedChanges(const std::string& pair, const std::string& task,
                           const std::string& method, const std::string& reason) {
    constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
    for (const cal::MetricSpec& spec : metrics_) {
      results().changes.push_back({.pair = pair,
                                   .task = task,
                                   .method = method,
                                   .metric = spec.Name(),
                                   .pt = kNan,
                                   .it = kNan,
                                   .difference = kNan,
                                   .change_rate = kNan,
                                   .difference_ci = std::nullopt,
                                   .change_rate_ci = std::nullopt,
                                   .undefined_reason = reason});
    }
  }

  // The changes without a bootstrap: values only.
  std::vector<cal::MetricChange> PointChanges(const cal::ChoiceProbabilities& pt,
                                              const cal::ChoiceProbabilities& it) const {
    const std::vector<cal::MetricValue> a = cal::ComputeMetrics(pt, metrics_, request_.bins);
    const std::vector<cal::MetricValue> b = cal::ComputeMetrics(it, metrics_, request_.bins);
    std::vector<cal::MetricChange> changes;
    for (std::size_t m = 0; m < metrics_.size(); ++m) {
      cal::MetricChange c;
      c.spec = metrics_[m];
      c.pt = a[m];
      c.it = b[m];
      c.difference = b[m].value - a[m].value;
      c.change_rate = cal::ChangeRate(a[m].value, b[m].value);
      changes.push_back(c);
    }
    return changes;
  }

  std::vector<RankingRequest> RankingRequests() const {
    if (!request_.rankings.empty())
      return request_.rankings;
    std::vector<RankingRequest> defaults;
    if (results().pairs.size() < 2)
      return defaults;
    const bool has_choice =
        std::find(methods_.begin(), methods_.end(), ConfidenceMethod::kChoice) != methods_.end();
    for (const char* metric : {"sce", "sce_cl"}) {
      const bool selected = std::any_of(metrics_.begin(), metrics_.end(),
                                        [&](const auto& spec) { return spec.Name() == metric; });
      if (selected && has_choice)
        defaults.push_back({metric, "choice"});
    }
    return defaults;
  }

  void ComputeRankings() {
    if (!request_.changes)
      return;
    const ResultIndex index(results());
    for (const RankingRequest& r : RankingRequests()) {
      if (index.Metric(r.metric) == nullptr)
        Fail(fmt::format("ranking: metric '{}' is not among the metrics computed", r.metric));
      if (std::find(results().methods.begin(), results().methods.end(), r.method) ==
          results().methods.end()) {
        Fail(fmt::format("ranking: method '{}' is not among the methods analysed", r.method));
      }
      Ranking ranking{.metric = r.metric, .method = r.method, .tasks = {}, .concordance = {}};
      std::vector<std::vector<double>> complete;  // tasks where every pair has a rate
      for (const std::string& task : results().tasks) {
        TaskRanking t = RankTask(index, r, task);
        if (t.entries.empty())
          continue;
        if (t.entries.size() == results().pairs.size()) {
          std::vector<double>& rates = complete.emplace_back();
          for (const ModelPair& pair : results().pairs)
            rates.push_back(index.Change(pair.name, task, r.method, r.metric)->change_rate);
        }
        ranking.tasks.push_back(std::move(t));
      }
      if (results().pairs.size() >= 2 && !complete.empty())
        ranking.concordance = cal::KendallsW(complete);
      results().rankings.push_back(std::move(ranking));
    }
  }

  // The pairs with a finite change rate on `task`, ranked.
  TaskRanking RankTask(const ResultIndex& index, const RankingRequest& r,
                       const std::string& task) const {
    TaskRanking ranking{.task = task, .entries = {}};
    std::vector<double> rates;
    for (const ModelPair& pair : results().pairs) {
      const ChangeEstimate* c = index.Change(pair.name, task, r.method, r.metric);
      if (c == nullptr || !std::isfinite(c->change_rate))
        continue;
      ranking.entries.push_back({.pair = pair.name, .change_rate = c->change_rate, .rank = 0});
      rates.push_back(c->change_rate);
    }
    const std::vector<int> ranks = cal::CompetitionRanks(rates);
    for (std::size_t e = 0; e < ranks.size(); ++e)
      ranking.entries[e].rank = ranks[e];
    std::stable_sort(ranking.entries.begin(), ranking.entries.end(),
                     [](const RankEntry& a, const RankEntry& b) { return a.rank < b.rank; });
    return ranking;
  }

  void FillProvenance() {
    Provenance& p = results().provenance;
    for (const store::ModelRecord& m : store_.ListModels()) {
      if (std::find(results().models.begin(), results().models.end(), m.name) ==
          results().models.end()) {
        continue;
      }
      p.models.push_back(
          {.name = m.name,
           .path = m.file.path,
           .size_bytes = m.file.size,
           .sha256 = m.file.sha256,
           .architecture = m.details ? m.details->architecture : "",
           .parameters = m.details ? static_cast<std::int64_t>(m.details->n_params) : 0});
    }
    for (const store::TaskRecord& t : store_.ListTasks()) {
      TaskProvenance& task = p.tasks.emplace_back();
      task.name = t.name;
      task.items = t.item_count;
      for (const store::TaskFile& f : t.files)
        task.files.push_back({.path = f.path, .size_bytes = f.size, .sha256 = f.sha256});
    }
    const std::vector<store::ImportRecord> imports = store_.ListImports();
    for (const store::RunRecord& run : catalog_.runs())
      p.runs.push_back(run.imported() ? ImportedRunProvenance(run, imports) : RunProvenanceOf(run));
    std::vector<std::string> llmcal, llama;
    for (const store::SessionRecord& s : store_.ListSessions()) {
      if (std::find(llmcal.begin(), llmcal.end(), s.llmcal_version) == llmcal.end())
        llmcal.push_back(s.llmcal_version);
      if (std::find(llama.begin(), llama.end(), s.llama_version) == llama.end())
        llama.push_back(s.llama_version);
    }
    p.llmcal_version = fmt::format("{}", fmt::join(llmcal, "; "));
    p.llama_cpp_version = fmt::format("{}", fmt::join(llama, "; "));
    p.date = store::UtcTimestamp();
  }

  static RunProvenance RunProvenanceOf(const store::RunRecord& run) {
    RunProvenance r{.model = run.model,
                    .task = run.task,
                    .style = run.style,
                    .template_version = run.settings.template_version,
                    .settings = {{"bos", run.settings.bos_mode},
                                 {"split", run.settings.token_split},
                                 {"ctx_size", std::to_string(run.settings.ctx_size)}}};
    if (run.effective) {
      r.settings.push_back({"window", std::to_string(run.effective->window)});
      r.settings.push_back({"bos_token", run.effective->bos ? "yes" : "no"});
    }
    return r;
  }

  // An imported run's provenance: each file it was read from, its SHA-256
  // and the harness version.
  static RunProvenance ImportedRunProvenance(const store::RunRecord& run,
                                             const std::vector<store::ImportRecord>& imports) {
    RunProvenance r{.model = run.model,
                    .task = run.task,
                    .style = run.style,
                    .template_version = run.settings.template_version,
                    .settings = {{"source", "lm-evaluation-harness samples (imported)"}}};
    for (const store::ImportRecord& i : imports) {
      if (i.run_id != run.id)
        continue;
      r.settings.push_back(
          {"file", fmt::format("{} ({}, {} items, sha256 {}, harness {})", i.path, i.source_task,
                               i.items, i.sha256, i.harness_version)});
    }
    return r;
  }

  store::Store& store_;
  const AnalysisRequest& request_;
  RunCatalog catalog_;
  std::vector<cal::MetricSpec> metrics_;
  std::vector<ConfidenceMethod> methods_;
  Analysis analysis_;
};

}  // namespace

Analysis AnalyzeStore(store::Store& store, const AnalysisRequest& request) {
  return Analyzer(store, request).Run();
}

ModelPair ParseModelPair(const std::string& argument) {
  const std::size_t eq = argument.find('=');
  const std::string name = eq == std::string::npos ? "" : argument.substr(0, eq);
  const std::string members = eq == std::string::npos ? argument : argument.substr(eq + 1);
  const std::size_t colon = members.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == members.size() ||
      members.find(':', colon + 1) != std::string::npos ||
      (eq != std::string::npos && name.empty())) {
    throw InputError(fmt::format(
        "--pair {}: expected BASE:INSTRUCT or NAME=BASE:INSTRUCT (model names as stored)",
        argument));
  }
  ModelPair pair{
      .name = name, .base = members.substr(0, colon), .instruct = members.substr(colon + 1)};
  if (pair.base == pair.instruct)
    throw InputError(fmt::format("--pair {}: a pair needs two different models", argument));
  if (pair.name.empty())
    pair.name = pair.base;
  return pair;
}

}  // namespace llmcal::report
