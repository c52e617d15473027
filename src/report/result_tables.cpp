#include "report/result_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/verdict.h"

namespace llmcal::report {

namespace {

std::string LevelLabel(const analysis::StudyResults& r) {
  return fmt::format("{:g}% CI", r.analysis.level * 100);
}

// The metrics table's note when no interval was computed: its interval
// column is empty by design, not for want of data.
constexpr const char* kNoMetricIntervalsNote =
    "No bootstrap intervals were computed (--bootstrap 0).";

Cell Text(const std::string& s) {
  return s.empty() ? Cell() : Cell(s);
}

Cell Optional(const std::optional<Interval>& interval) {
  return interval ? Cell(*interval) : Cell();
}

// "yes" or "no"; "undefined" without an interval of the difference.
Cell Significance(const analysis::ChangeEstimate& c) {
  if (!c.significance_known())
    return std::string("undefined");
  return std::string(c.significant() ? "yes" : "no");
}

Cell YesNo(bool yes) {
  return std::string(yes ? "yes" : "no");
}

const analysis::ModelPair* FindPair(const analysis::StudyResults& r, const std::string& name) {
  const auto it = std::find_if(r.pairs.begin(), r.pairs.end(),
                               [&](const analysis::ModelPair& p) { return p.name == name; });
  return it == r.pairs.end() ? nullptr : &*it;
}

// Calls fn(a, b, c, d) for every combination of the four lists, in order.
template <typename Fn>
void ForEachKey(const std::vector<std::string>& a, const std::vector<std::string>& b,
                const std::vector<std::string>& c, const std::vector<analysis::MetricInfo>& d,
                Fn fn) {
  for (const std::string& x : a)
    for (const std::string& y : b)
      for (const std::string& z : c)
        for (const analysis::MetricInfo& m : d)
          fn(x, y, z, m.name);
}

std::vector<std::string> PairNames(const analysis::StudyResults& r) {
  std::vector<std::string> names;
  for (const analysis::ModelPair& p : r.pairs)
    names.push_back(p.name);
  return names;
}

// Identical rankings (same pair and rank at every position) share a column.
struct RankColumn {
  std::vector<std::string> tasks;
  const analysis::TaskRanking* ranking;
};

bool SameOrder(const analysis::TaskRanking& a, const analysis::TaskRanking& b) {
  return std::equal(a.entries.begin(), a.entries.end(), b.entries.begin(), b.entries.end(),
                    [](const analysis::RankEntry& x, const analysis::RankEntry& y) {
                      return x.pair == y.pair && x.rank == y.rank;
                    });
}

std::vector<RankColumn> MergeIdenticalRankings(const analysis::Ranking& ranking) {
  std::vector<RankColumn> columns;
  for (const analysis::TaskRanking& task : ranking.tasks) {
    const auto same = std::find_if(columns.begin(), columns.end(), [&](const RankColumn& c) {
      return SameOrder(*c.ranking, task);
    });
    if (same != columns.end()) {
      same->tasks.push_back(task.task);
    } else {
      columns.push_back({{task.task}, &task});
    }
  }
  return columns;
}

bool IsTied(const analysis::TaskRanking& task, std::size_t k) {
  const int rank = task.entries[k].rank;
  return (k > 0 && task.entries[k - 1].rank == rank) ||
         (k + 1 < task.entries.size() && task.entries[k + 1].rank == rank);
}

std::string ConcordanceNote(const analysis::Ranking& ranking) {
  const std::string ties =
      "Ranks are competition ranks of the unrounded change rates "
      "(1 = largest); tied pairs share the lower rank, written (=r).";
  if (!ranking.concordance)
    return ties;
  const analysis::KendallW& w = *ranking.concordance;
  return fmt::format(
      "Kendall's W = {:.3f} (chi-square = {:.3f}, df = {}, p = {:.3g}) over {} "
      "tasks. {}",
      w.w, w.chi_square, w.degrees_of_freedom, w.p_value, ranking.tasks.size(), ties);
}

std::string SettingsText(const std::vector<analysis::Setting>& settings) {
  std::vector<std::string> parts;
  for (const analysis::Setting& s : settings)
    parts.push_back(s.name + "=" + s.value);
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace

Table MetricsTable(const analysis::ResultIndex& index) {
  const analysis::StudyResults& r = index.results();
  Table table("Metrics", {Column::Text("model", "model"), Column::Text("task", "task"),
                          Column::Text("method", "method"), Column::Text("metric", "metric"),
                          Column::Number("value", "value"), Column::Interval("ci", LevelLabel(r)),
                          Column::Integer("n", "n"), Column::Text("reason", "undefined because")});
  ForEachKey(r.models, r.tasks, r.methods, r.metrics,
             [&](const std::string& model, const std::string& task, const std::string& method,
                 const std::string& metric) {
               const analysis::MetricEstimate* e = index.Estimate(model, task, method, metric);
               if (!e)
                 return;
               table.AddRow({model, task, method, metric, e->defined() ? Cell(e->value) : Cell(),
                             Optional(e->ci), e->n, Text(e->undefined_reason)});
             });
  if (!r.analysis.intervals())
    table.set_note(kNoMetricIntervalsNote);
  return table;
}

Table ChangeTable(const analysis::ResultIndex& index) {
  const analysis::StudyResults& r = index.results();
  const std::string level = LevelLabel(r);
  Table table(
      "Changes from pretrained (PT) to instruction-tuned (IT)",
      {Column::Text("pair", "pair"), Column::Text("base", "PT model"),
       Column::Text("instruct", "IT model"), Column::Text("task", "task"),
       Column::Text("method", "method"), Column::Text("metric", "metric"),
       Column::Number("pt", "PT"), Column::Number("it", "IT"),
       Column::Number("difference", "IT - PT"), Column::Interval("difference_ci", level),
       Column::Number("change_rate", "change %", 2),
       Column::Interval("change_rate_ci", "change % " + level, 2),
       Column::Text("significant", "significant"), Column::Text("reason", "undefined because")});
  ForEachKey(
      PairNames(r), r.tasks, r.methods, r.metrics,
      [&](const std::string& pair, const std::string& task, const std::string& method,
          const std::string& metric) {
        const analysis::ChangeEstimate* c = index.Change(pair, task, method, metric);
        if (!c)
          return;
        const analysis::ModelPair& p = *FindPair(r, pair);
        const bool defined = c->defined();
        table.AddRow({pair, p.base, p.instruct, task, method, metric, c->pt, c->it, c->difference,
                      Optional(c->difference_ci), c->change_rate, Optional(c->change_rate_ci),
                      defined ? Significance(*c) : Cell(), Text(c->undefined_reason)});
      });
  if (!r.analysis.intervals())
    table.set_note(kNoIntervalsSentence);
  return table;
}

Table RankTable(const analysis::Ranking& ranking) {
  const std::vector<RankColumn> merged = MergeIdenticalRankings(ranking);
  std::vector<Column> columns = {Column::Integer("rank", "rank")};
  std::size_t positions = 0;
  for (const RankColumn& c : merged) {
    columns.push_back(Column::Text(fmt::format("{}", fmt::join(c.tasks, "+")),
                                   fmt::format("{}", fmt::join(c.tasks, ", "))));
    positions = std::max(positions, c.ranking->entries.size());
  }
  Table table(
      fmt::format("Rank of the change rate of {} (method {})", ranking.metric, ranking.method),
      std::move(columns));
  for (std::size_t k = 0; k < positions; ++k) {
    std::vector<Cell> row = {static_cast<std::int64_t>(k + 1)};
    for (const RankColumn& c : merged) {
      const analysis::TaskRanking& task = *c.ranking;
      if (k >= task.entries.size()) {
        row.emplace_back();
        continue;
      }
      const analysis::RankEntry& entry = task.entries[k];
      row.push_back(IsTied(task, k) ? fmt::format("{} (={})", entry.pair, entry.rank) : entry.pair);
    }
    table.AddRow(std::move(row));
  }
  table.set_note(ConcordanceNote(ranking));
  return table;
}

Table RankListTable(const analysis::ResultIndex& index) {
  Table table("Ranks of the change rates",
              {Column::Text("metric", "metric"), Column::Text("method", "method"),
               Column::Text("task", "task"), Column::Integer("rank", "rank"),
               Column::Text("pair", "pair"), Column::Number("change_rate", "change %", 2)});
  for (const analysis::Ranking& ranking : index.results().rankings) {
    for (const analysis::TaskRanking& task : ranking.tasks) {
      for (const analysis::RankEntry& e : task.entries) {
        table.AddRow({ranking.metric, ranking.method, task.task, std::int64_t{e.rank}, e.pair,
                      e.change_rate});
      }
    }
  }
  return table;
}

Table ConcordanceTable(const analysis::ResultIndex& index) {
  Table table("Concordance of the rankings across tasks (Kendall's W)",
              {Column::Text("metric", "metric"), Column::Text("method", "method"),
               Column::Integer("tasks", "tasks"), Column::Integer("pairs", "pairs"),
               Column::Number("kendall_w", "W", 3), Column::Number("chi_square", "chi-square", 3),
               Column::Integer("df", "df"), Column::Number("p_value", "p", 4)});
  for (const analysis::Ranking& ranking : index.results().rankings) {
    if (!ranking.concordance)
      continue;
    const analysis::KendallW& w = *ranking.concordance;
    const std::size_t pairs = ranking.tasks.empty() ? 0 : ranking.tasks.front().entries.size();
    table.AddRow({ranking.metric, ranking.method, static_cast<std::int64_t>(ranking.tasks.size()),
                  static_cast<std::int64_t>(pairs), w.w, w.chi_square,
                  std::int64_t{w.degrees_of_freedom}, w.p_value});
  }
  return table;
}

Table SummaryTable(const analysis::ResultIndex& index) {
  const analysis::StudyResults& r = index.results();
  Table table("Significant changes over every (task, method)",
              {Column::Text("pair", "pair"), Column::Text("metric", "metric"),
               Column::Integer("worse", "significantly worse"),
               Column::Integer("better", "significantly better"),
               Column::Integer("neither", "neither"), Column::Integer("undefined", "undefined"),
               Column::Integer("combinations", "(task, method)")});
  for (const analysis::ModelPair& pair : r.pairs) {
    for (const analysis::MetricInfo& metric : r.metrics) {
      std::int64_t worse = 0, better = 0, neither = 0, undefined = 0;
      for (const std::string& task : r.tasks) {
        for (const std::string& method : r.methods) {
          const Verdict v = Judge(index.Change(pair.name, task, method, metric.name), metric);
          if (v.direction == Direction::kUndefined || !v.significance_known) {
            ++undefined;
          } else if (v.significant && v.direction == Direction::kWorse) {
            ++worse;
          } else if (v.significant && v.direction == Direction::kBetter) {
            ++better;
          } else {
            ++neither;
          }
        }
      }
      const bool judged = r.analysis.intervals();
      table.AddRow({pair.name, metric.name, judged ? Cell(worse) : Cell(),
                    judged ? Cell(better) : Cell(), judged ? Cell(neither) : Cell(), undefined,
                    static_cast<std::int64_t>(r.tasks.size() * r.methods.size())});
    }
  }
  if (!r.analysis.intervals())
    table.set_note(kNoIntervalsSentence);
  return table;
}

Table SensitivityTable(const analysis::ResultIndex& index) {
  const analysis::StudyResults& r = index.results();
  const std::vector<const analysis::MetricInfo*> metrics = index.CalibrationErrorMetrics();
  std::vector<Column> columns = {Column::Text("pair", "pair"), Column::Text("task", "task"),
                                 Column::Text("method", "method")};
  for (const analysis::MetricInfo* m : metrics)
    columns.push_back(Column::Text(m->name, m->name));
  columns.push_back(Column::Text("agreement", "agreement"));
  const bool intervals = r.analysis.intervals();
  Table table(intervals ? "Change rate under every calibration-error metric (* significant)"
                        : "Change rate under every calibration-error metric",
              std::move(columns));
  for (const analysis::ModelPair& pair : r.pairs) {
    for (const std::string& task : r.tasks) {
      for (const std::string& method : r.methods) {
        std::vector<Cell> row = {pair.name, task, method};
        std::vector<Verdict> verdicts;
        for (const analysis::MetricInfo* m : metrics) {
          const analysis::ChangeEstimate* change = index.Change(pair.name, task, method, m->name);
          row.push_back(ChangeRateText(change));
          verdicts.push_back(Judge(change, *m));
        }
        row.push_back(std::string(AgreementName(Compare(verdicts))));
        table.AddRow(std::move(row));
      }
    }
  }
  if (!intervals)
    table.set_note(kNoIntervalsSentence);
  return table;
}

Table MetricLegendTable(const analysis::StudyResults& results) {
  Table table("Metrics",
              {Column::Text("metric", "metric"), Column::Text("description", "description"),
               Column::Text("lower_is_better", "lower is better"),
               Column::Text("calibration_error", "calibration error")});
  for (const analysis::MetricInfo& m : results.metrics) {
    table.AddRow(
        {m.name, Text(m.description), YesNo(m.lower_is_better), YesNo(m.calibration_error)});
  }
  return table;
}

Table ModelProvenanceTable(const analysis::Provenance& provenance) {
  Table table("Models", {Column::Text("name", "model"), Column::Text("path", "file"),
                         Column::Integer("size_bytes", "bytes"), Column::Text("sha256", "SHA-256"),
                         Column::Text("architecture", "architecture"),
                         Column::Integer("parameters", "parameters")});
  for (const analysis::ModelProvenance& m : provenance.models) {
    table.AddRow({m.name, Text(m.path), static_cast<std::int64_t>(m.size_bytes), Text(m.sha256),
                  Text(m.architecture), m.parameters});
  }
  return table;
}

Table TaskProvenanceTable(const analysis::Provenance& provenance) {
  Table table("Task files", {Column::Text("task", "task"), Column::Integer("items", "items"),
                             Column::Text("path", "file"), Column::Integer("size_bytes", "bytes"),
                             Column::Text("sha256", "SHA-256")});
  for (const analysis::TaskProvenance& t : provenance.tasks) {
    if (t.files.empty())
      table.AddRow({t.name, t.items, Cell(), Cell(), Cell()});
    for (const analysis::FileProvenance& f : t.files) {
      table.AddRow(
          {t.name, t.items, Text(f.path), static_cast<std::int64_t>(f.size_bytes), Text(f.sha256)});
    }
  }
  return table;
}

Table RunProvenanceTable(const analysis::Provenance& provenance) {
  Table table("Runs", {Column::Text("model", "model"), Column::Text("task", "task"),
                       Column::Text("style", "prompt style"), Column::Text("template", "template"),
                       Column::Text("settings", "settings")});
  for (const analysis::RunProvenance& run : provenance.runs) {
    table.AddRow({run.model, run.task, Text(run.style), Text(run.template_version),
                  Text(SettingsText(run.settings))});
  }
  return table;
}

}  // namespace llmcal::report
