#include "analysis/results.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "common/error.h"

namespace llmcal::analysis {

namespace {

// Checks names against one declared list and reports where a bad one sits.
class NameChecker {
 public:
  NameChecker(const std::string& source, std::string list, const std::vector<std::string>& names)
      : source_(source), list_(std::move(list)) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i].empty())
        throw InputError::At(source_, 0, fmt::format("{}[{}]", list_, i), "empty name");
      if (!names_.insert(names[i]).second) {
        throw InputError::At(source_, 0, fmt::format("{}[{}]", list_, i),
                             fmt::format("'{}' is declared twice", names[i]));
      }
    }
  }

  void Check(const std::string& name, const std::string& field) const {
    if (!names_.contains(name)) {
      throw InputError::At(source_, 0, field,
                           fmt::format("'{}' is not among the declared {}", name, list_));
    }
  }

 private:
  const std::string& source_;
  std::string list_;
  std::set<std::string> names_;
};

std::vector<std::string> PairNames(const StudyResults& r) {
  std::vector<std::string> names;
  for (const ModelPair& p : r.pairs)
    names.push_back(p.name);
  return names;
}

std::vector<std::string> MetricNames(const StudyResults& r) {
  std::vector<std::string> names;
  for (const MetricInfo& m : r.metrics)
    names.push_back(m.name);
  return names;
}

void CheckPairs(const StudyResults& r, const NameChecker& models, const std::string& source) {
  for (std::size_t i = 0; i < r.pairs.size(); ++i) {
    const ModelPair& p = r.pairs[i];
    const std::string field = fmt::format("pairs[{}]", i);
    models.Check(p.base, field + ".base");
    models.Check(p.instruct, field + ".instruct");
    if (p.base == p.instruct)
      throw InputError::At(source, 0, field, "base and instruct are the same model");
  }
}

struct Checkers {
  NameChecker models;
  NameChecker pairs;
  NameChecker tasks;
  NameChecker methods;
  NameChecker metrics;
};

// One name an entry uses: the declared list it must be among, and the member
// that holds it ("model").
struct NameUse {
  const NameChecker& list;
  const char* member;
  const std::string& name;
};

// An entry that needs no check beyond its names.
struct NothingElse {
  template <typename Entry>
  void operator()(const Entry&, const std::string&) const {}
};

// Checks every entry of one list of results (`list` names it in messages,
// "estimates[3].model"): each name `names_of(entry)` lists is declared, no two
// entries use the same names (two entries for the same thing would make every
// table and figure ambiguous), and `check_rest(entry, field)` throws on
// whatever else is wrong with an entry. Entries are checked in order, so the
// first bad one is the one reported.
template <typename Entry, typename NamesOf, typename CheckRest = NothingElse>
void CheckEntries(const std::vector<Entry>& entries, const char* list, const std::string& source,
                  NamesOf names_of, CheckRest check_rest = {}) {
  std::set<std::vector<std::string>> seen;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string field = fmt::format("{}[{}]", list, i);
    std::vector<std::string> key;
    for (const NameUse& use : names_of(entries[i])) {
      use.list.Check(use.name, fmt::format("{}.{}", field, use.member));
      key.push_back(use.name);
    }
    if (!seen.insert(std::move(key)).second)
      throw InputError::At(source, 0, field, "a second entry for the same names");
    check_rest(entries[i], field);
  }
}

void CheckEstimates(const StudyResults& r, const Checkers& c, const std::string& source) {
  CheckEntries(
      r.estimates, "estimates", source,
      [&](const MetricEstimate& e) {
        return std::array{NameUse{c.models, "model", e.model}, NameUse{c.tasks, "task", e.task},
                          NameUse{c.methods, "method", e.method},
                          NameUse{c.metrics, "metric", e.metric}};
      },
      [&](const MetricEstimate& e, const std::string& field) {
        if (e.defined() && std::isnan(e.value))
          throw InputError::At(source, 0, field + ".value", "NaN without an undefined_reason");
      });
}

void CheckChanges(const StudyResults& r, const Checkers& c, const std::string& source) {
  CheckEntries(r.changes, "changes", source, [&](const ChangeEstimate& e) {
    return std::array{NameUse{c.pairs, "pair", e.pair}, NameUse{c.tasks, "task", e.task},
                      NameUse{c.methods, "method", e.method},
                      NameUse{c.metrics, "metric", e.metric}};
  });
}

void CheckRankings(const StudyResults& r, const Checkers& c, const std::string& source) {
  for (std::size_t i = 0; i < r.rankings.size(); ++i) {
    const Ranking& ranking = r.rankings[i];
    const std::string field = fmt::format("rankings[{}]", i);
    c.metrics.Check(ranking.metric, field + ".metric");
    c.methods.Check(ranking.method, field + ".method");
    for (std::size_t t = 0; t < ranking.tasks.size(); ++t) {
      const TaskRanking& task = ranking.tasks[t];
      const std::string task_field = fmt::format("{}.tasks[{}]", field, t);
      c.tasks.Check(task.task, task_field + ".task");
      for (std::size_t k = 0; k < task.entries.size(); ++k) {
        const RankEntry& entry = task.entries[k];
        const std::string entry_field = fmt::format("{}.entries[{}]", task_field, k);
        c.pairs.Check(entry.pair, entry_field + ".pair");
        if (entry.rank < 1 || entry.rank > static_cast<int>(task.entries.size())) {
          throw InputError::At(
              source, 0, entry_field + ".rank",
              fmt::format("{} is out of range 1..{}", entry.rank, task.entries.size()));
        }
        if (k > 0 && entry.rank < task.entries[k - 1].rank)
          throw InputError::At(source, 0, entry_field + ".rank", "entries are not in rank order");
      }
    }
  }
}

void CheckReliability(const StudyResults& r, const Checkers& c, const std::string& source) {
  CheckEntries(r.reliability, "reliability", source, [&](const ReliabilityDiagram& d) {
    return std::array{NameUse{c.models, "model", d.model}, NameUse{c.tasks, "task", d.task},
                      NameUse{c.methods, "method", d.method}};
  });
}

}  // namespace

void Validate(const StudyResults& r, const std::string& source) {
  const Checkers checkers{.models = NameChecker(source, "models", r.models),
                          .pairs = NameChecker(source, "pairs", PairNames(r)),
                          .tasks = NameChecker(source, "tasks", r.tasks),
                          .methods = NameChecker(source, "methods", r.methods),
                          .metrics = NameChecker(source, "metrics", MetricNames(r))};
  CheckPairs(r, checkers.models, source);
  CheckEstimates(r, checkers, source);
  CheckChanges(r, checkers, source);
  CheckRankings(r, checkers, source);
  CheckReliability(r, checkers, source);
}

ResultIndex::ResultIndex(const StudyResults& results) : results_(&results) {
  for (const MetricEstimate& e : results.estimates)
    estimates_.emplace(Key4(e.model, e.task, e.method, e.metric), &e);
  for (const ChangeEstimate& c : results.changes)
    changes_.emplace(Key4(c.pair, c.task, c.method, c.metric), &c);
  for (const ReliabilityDiagram& d : results.reliability)
    reliability_.emplace(Key3(d.model, d.task, d.method), &d);
  for (const MetricInfo& m : results.metrics)
    metrics_.emplace(m.name, &m);
}

namespace {
template <typename Map, typename Key>
auto FindOrNull(const Map& map, const Key& key) -> typename Map::mapped_type {
  const auto it = map.find(key);
  return it == map.end() ? nullptr : it->second;
}
}  // namespace

const MetricEstimate* ResultIndex::Estimate(const std::string& model, const std::string& task,
                                            const std::string& method,
                                            const std::string& metric) const {
  return FindOrNull(estimates_, Key4(model, task, method, metric));
}

const ChangeEstimate* ResultIndex::Change(const std::string& pair, const std::string& task,
                                          const std::string& method,
                                          const std::string& metric) const {
  return FindOrNull(changes_, Key4(pair, task, method, metric));
}

const ReliabilityDiagram* ResultIndex::Reliability(const std::string& model,
                                                   const std::string& task,
                                                   const std::string& method) const {
  return FindOrNull(reliability_, Key3(model, task, method));
}

const MetricInfo* ResultIndex::Metric(const std::string& name) const {
  return FindOrNull(metrics_, name);
}

std::vector<std::string> ResultIndex::UnpairedModels() const {
  std::vector<std::string> out;
  for (const std::string& model : results_->models) {
    const bool paired =
        std::any_of(results_->pairs.begin(), results_->pairs.end(),
                    [&](const ModelPair& p) { return p.base == model || p.instruct == model; });
    if (!paired)
      out.push_back(model);
  }
  return out;
}

std::vector<const MetricInfo*> ResultIndex::CalibrationErrorMetrics() const {
  std::vector<const MetricInfo*> out;
  for (const MetricInfo& m : results_->metrics) {
    if (m.calibration_error)
      out.push_back(&m);
  }
  return out;
}

}  // namespace llmcal::analysis
