#include "analysis/analyze_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "analysis/pair_changes.h"
#include "analysis/sample_estimates.h"
#include "analysis/store_provenance.h"
#include "analysis/store_samples.h"
#include "common/error.h"
#include "tasks/task_names.h"

namespace llmcal::analysis {
namespace {

namespace cal = calibration;
using cal::ConfidenceMethod;

// The paper's three methods, the default.
constexpr ConfidenceMethod kPaperMethods[] = {ConfidenceMethod::kSum, ConfidenceMethod::kMin,
                                              ConfidenceMethod::kChoice};

std::string MethodKey(ConfidenceMethod method) {
  return std::string(cal::MethodName(method));
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// One analysis: the request resolved to names, then each part computed in turn.
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

class StoreAnalysis {
 public:
  StoreAnalysis(store::Store& store, const AnalysisRequest& request, ProgressSink* progress)
      : store_(store), request_(request), samples_(store), progress_(progress) {}

  Analysis Run() {
    ResolveMetrics();
    ResolveModels();
    ResolveMethods();
    ResolveTasks();
    const bool estimates = request_.estimates || request_.reliability;
    const bool changes = request_.changes && !results().pairs.empty();
    StartProgress(estimates, changes);
    if (estimates)
      ComputeEstimates();
    if (changes)
      ComputeChanges();
    if (progress_ != nullptr)
      progress_->RunFinished();
    if (request_.changes) {
      for (const RankingRequest& r :
           request_.rankings.empty() ? DefaultRankings(results()) : request_.rankings)
        results().rankings.push_back(RankPairs(results(), r, file()));
    }
    results().provenance = ReadProvenance(store_, samples_.runs(), results().models);
    return std::move(analysis_);
  }

 private:
  StudyResults& results() { return analysis_.results; }
  const std::string& file() const { return store_.file(); }

  [[noreturn]] void Fail(const std::string& what) const {
    throw InputError::At(file(), 0, "", what);
  }

  void ResolveMetrics() {
    metrics_ = request_.metrics.empty() ? cal::AllMetrics() : request_.metrics;
    for (const cal::MetricSpec& spec : metrics_) {
      const cal::MetricDefinition& info = spec.info();
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
    std::vector<std::string> models = request_.models.empty() ? samples_.Models() : request_.models;
    std::vector<ModelPair> pairs = request_.pairs;
    if (pairs.empty() && request_.changes) {
      for (const store::PairRecord& p : store_.ListPairs())
        pairs.push_back({.name = p.name, .base = p.base, .instruct = p.instruct});
    }
    std::map<std::string, const ModelPair*> pair_names;
    for (const ModelPair& pair : pairs) {
      if (const auto [it, added] = pair_names.emplace(pair.name, &pair); !added) {
        throw InputError(fmt::format(
            "two pairs are named '{}' ({}:{} and {}:{}); give each pair its own name "
            "(NAME=BASE:INSTRUCT)",
            pair.name, it->second->base, it->second->instruct, pair.base, pair.instruct));
      }
      for (const std::string& member : {pair.base, pair.instruct}) {
        if (!Contains(models, member))
          models.push_back(member);
      }
    }
    for (const std::string& model : models) {
      if (!samples_.HasModel(model))
        Fail(fmt::format("no stored scores for model '{}' ({})", model, KnownModels()));
    }
    results().models = models;
    results().pairs = pairs;
  }

  std::string KnownModels() const {
    const std::vector<std::string> names = samples_.Models();
    return names.empty() ? "the store has no runs"
                         : fmt::format("models in the store: {}", fmt::join(names, ", "));
  }

  void ResolveMethods() {
    if (!request_.methods.empty()) {
      methods_ = request_.methods;
    } else {
      for (ConfidenceMethod m : kPaperMethods) {
        if (samples_.StyleWasRun(StyleOf(m)))
          methods_.push_back(m);
      }
    }
    for (ConfidenceMethod m : methods_) {
      if (!samples_.StyleWasRun(StyleOf(m))) {
        Fail(fmt::format("method {} needs the {} prompt style, which no run of the store used",
                         cal::MethodName(m), StyleOf(m)));
      }
      results().methods.push_back(MethodKey(m));
    }
  }

  // Every task with runs, in run order, each `mmlu` followed by its four groups.
  std::vector<std::string> DefaultTasks() const {
    std::vector<std::string> tasks;
    for (const store::RunRecord& run : samples_.runs()) {
      // A group run of its own may have come first; keep the first of each name.
      if (!Contains(tasks, run.task))
        tasks.push_back(run.task);
      if (run.task == "mmlu") {
        for (std::string_view group : tasks::kMmluGroups) {
          const std::string name = fmt::format("mmlu_{}", group);
          if (!Contains(tasks, name))
            tasks.push_back(name);
        }
      }
    }
    return tasks;
  }

  void ResolveTasks() {
    const bool defaults = request_.tasks.empty();
    for (const std::string& task : defaults ? DefaultTasks() : request_.tasks) {
      if (AnyModelHas(task)) {
        results().tasks.push_back(task);
      } else if (!defaults) {
        Fail(
            fmt::format("no stored scores for task '{}' (a task is read from its own runs, "
                        "or an MMLU group or subject from an mmlu run)",
                        task));
      }
    }
  }

  // True when some model has stored items of `task` for some method.
  bool AnyModelHas(const std::string& task) {
    for (const std::string& model : results().models) {
      for (ConfidenceMethod m : methods_) {
        const std::optional<Sample> sample = samples_.Find(model, task, StyleOf(m));
        if (sample && (!sample->items.empty() || sample->failed > 0))
          return true;
      }
    }
    return false;
  }

  void StartProgress(bool estimates, bool changes) {
    if (progress_ == nullptr)
      return;
    const std::size_t per_name = results().tasks.size() * methods_.size();
    const std::size_t units = (estimates ? results().models.size() * per_name : 0) +
                              (changes ? results().pairs.size() * per_name : 0);
    progress_->RunStarted("analysis", static_cast<std::int64_t>(units), 0);
  }

  void UnitDone() {
    if (progress_ != nullptr)
      progress_->BlockStored(1, 0);
  }

  void ComputeEstimates() {
    std::set<std::tuple<std::string, std::string, std::string>> noted;
    for (const std::string& model : results().models) {
      for (const std::string& task : results().tasks) {
        for (ConfidenceMethod method : methods_) {
          const std::optional<Sample> sample = samples_.Find(model, task, StyleOf(method));
          if (sample && sample->failed > 0 &&
              noted.insert({model, task, std::string(StyleOf(method))}).second) {
            analysis_.notes.push_back(
                fmt::format("{}, {}, {} style: {} item(s) could not be scored and are left out",
                            model, task, StyleOf(method), sample->failed));
          }
          if (sample && !sample->items.empty()) {
            const SampleLabel label{model, task, MethodKey(method)};
            if (const std::string reason = MissingTokensReason(*sample, method); !reason.empty())
              AddUndefinedEstimates(label, sample->items.size(), reason);
            else
              Estimate(label, samples_.Probabilities(*sample, method));
          }
          UnitDone();
        }
      }
    }
  }

  void Estimate(const SampleLabel& label, const cal::ChoiceProbabilities& data) {
    if (request_.estimates) {
      for (MetricEstimate& e :
           EstimateMetrics(data, metrics_, request_.bins, request_.bootstrap, label))
        results().estimates.push_back(std::move(e));
    }
    if (request_.reliability)
      results().reliability.push_back(
          DiagramOf(data, request_.bins.bins, request_.bootstrap, label));
  }

  // Every metric of `label` as undefined, for `reason`.
  void AddUndefinedEstimates(const SampleLabel& label, std::size_t n, const std::string& reason) {
    if (!request_.estimates)
      return;
    for (const cal::MetricSpec& spec : metrics_) {
      results().estimates.push_back({.model = label.model,
                                     .task = label.task,
                                     .method = label.method,
                                     .metric = spec.Name(),
                                     .ci = std::nullopt,
                                     .n = static_cast<std::int64_t>(n),
                                     .undefined_reason = reason});
    }
  }

  void ComputeChanges() {
    for (const ModelPair& pair : results().pairs) {
      for (const std::string& task : results().tasks) {
        for (ConfidenceMethod method : methods_) {
          Compare(pair, task, method);
          UnitDone();
        }
      }
    }
  }

  void Compare(const ModelPair& pair, const std::string& task, ConfidenceMethod method) {
    const std::string_view style = StyleOf(method);
    const std::optional<Sample> pt = samples_.Find(pair.base, task, style);
    const std::optional<Sample> it = samples_.Find(pair.instruct, task, style);
    if (!pt || !it)
      return;
    const PairedSamples paired = CommonItems(pair, task, *pt, *it, file());
    if (paired.note)
      analysis_.notes.push_back(*paired.note);
    if (paired.pt.items.empty())
      return;
    const std::string pt_missing = MissingTokensReason(paired.pt, method);
    const std::string it_missing = MissingTokensReason(paired.it, method);
    if (!pt_missing.empty() || !it_missing.empty()) {
      const std::string reason =
          fmt::format("undefined for the {} model: {}", pt_missing.empty() ? "instruct" : "base",
                      pt_missing.empty() ? it_missing : pt_missing);
      for (const cal::MetricSpec& spec : metrics_) {
        results().changes.push_back({.pair = pair.name,
                                     .task = task,
                                     .method = MethodKey(method),
                                     .metric = spec.Name(),
                                     .difference_ci = std::nullopt,
                                     .change_rate_ci = std::nullopt,
                                     .undefined_reason = reason});
      }
      return;
    }
    for (ChangeEstimate& c : EstimateChanges(pair.name, task, MethodKey(method),
                                             samples_.Probabilities(paired.pt, method),
                                             samples_.Probabilities(paired.it, method), metrics_,
                                             request_.bins, request_.bootstrap))
      results().changes.push_back(std::move(c));
  }

  store::Store& store_;
  const AnalysisRequest& request_;
  StoreSamples samples_;
  ProgressSink* progress_;
  std::vector<cal::MetricSpec> metrics_;
  std::vector<ConfidenceMethod> methods_;
  Analysis analysis_;
};

}  // namespace

Analysis AnalyzeStore(store::Store& store, const AnalysisRequest& request, ProgressSink* progress) {
  return StoreAnalysis(store, request, progress).Run();
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

}  // namespace llmcal::analysis
