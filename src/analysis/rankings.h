// How do the pairs rank? The paper's Table 1 for one (metric, method): the
// pairs ranked by change rate in every task (competition ranking on the
// unrounded values), and the concordance of those rankings across tasks
// (Kendall's W). Computed from the changes already in a StudyResults, so it
// needs no store.
//
//   results.rankings.push_back(RankPairs(results, {.metric = "sce", .method = "choice"}));
#pragma once

#include <string>
#include <vector>

#include "analysis/results.h"

namespace llmcal::analysis {

// One rank table to compute: the pairs ranked by the change rate of `metric`
// under `method` (the paper's Table 1 is sce under choice).
struct RankingRequest {
  std::string metric;
  std::string method;
};

// The default rank tables of `results`: sce and sce_cl under choice, those
// whose metric is among results.metrics, when choice is among results.methods
// and there are at least two pairs; none otherwise.
std::vector<RankingRequest> DefaultRankings(const StudyResults& results);

// The ranking `request` asks for, over results.pairs and results.tasks. A task
// ranks the pairs whose change rate there is finite; the concordance is over
// the tasks where every pair has one, and absent with fewer than two pairs or
// no such task. Throws InputError naming `source` when the metric or the
// method is not among those of `results`.
Ranking RankPairs(const StudyResults& results, const RankingRequest& request,
                  const std::string& source);

}  // namespace llmcal::analysis
