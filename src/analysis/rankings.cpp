#include "analysis/rankings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "calibration/comparisons.h"
#include "common/error.h"

namespace llmcal::analysis {

namespace {

// The pairs with a finite change rate on `task`, ranked.
TaskRanking RankTask(const ResultIndex& index, const RankingRequest& r, const std::string& task) {
  TaskRanking ranking{.task = task, .entries = {}};
  std::vector<double> rates;
  for (const ModelPair& pair : index.results().pairs) {
    const ChangeEstimate* c = index.Change(pair.name, task, r.method, r.metric);
    if (c == nullptr || !std::isfinite(c->change_rate))
      continue;
    ranking.entries.push_back({.pair = pair.name, .change_rate = c->change_rate, .rank = 0});
    rates.push_back(c->change_rate);
  }
  const std::vector<int> ranks = calibration::CompetitionRanks(rates);
  for (std::size_t e = 0; e < ranks.size(); ++e)
    ranking.entries[e].rank = ranks[e];
  std::stable_sort(ranking.entries.begin(), ranking.entries.end(),
                   [](const RankEntry& a, const RankEntry& b) { return a.rank < b.rank; });
  return ranking;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::vector<RankingRequest> DefaultRankings(const StudyResults& results) {
  std::vector<RankingRequest> defaults;
  if (results.pairs.size() < 2 || !Contains(results.methods, "choice"))
    return defaults;
  for (const char* metric : {"sce", "sce_cl"}) {
    const bool selected = std::any_of(results.metrics.begin(), results.metrics.end(),
                                      [&](const MetricInfo& m) { return m.name == metric; });
    if (selected)
      defaults.push_back({metric, "choice"});
  }
  return defaults;
}

Ranking RankPairs(const StudyResults& results, const RankingRequest& request,
                  const std::string& source) {
  const ResultIndex index(results);
  if (index.Metric(request.metric) == nullptr) {
    throw InputError::At(
        source, 0, "",
        fmt::format("ranking: metric '{}' is not among the metrics computed", request.metric));
  }
  if (!Contains(results.methods, request.method)) {
    throw InputError::At(
        source, 0, "",
        fmt::format("ranking: method '{}' is not among the methods analysed", request.method));
  }
  Ranking ranking{
      .metric = request.metric, .method = request.method, .tasks = {}, .concordance = {}};
  std::vector<std::vector<double>> complete;  // tasks where every pair has a rate
  for (const std::string& task : results.tasks) {
    TaskRanking t = RankTask(index, request, task);
    if (t.entries.empty())
      continue;
    if (t.entries.size() == results.pairs.size()) {
      std::vector<double>& rates = complete.emplace_back();
      for (const ModelPair& pair : results.pairs)
        rates.push_back(index.Change(pair.name, task, request.method, request.metric)->change_rate);
    }
    ranking.tasks.push_back(std::move(t));
  }
  if (results.pairs.size() >= 2 && !complete.empty())
    ranking.concordance = calibration::KendallsW(complete);
  return ranking;
}

}  // namespace llmcal::analysis
