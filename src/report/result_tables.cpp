#include "report/result_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/verdict.h"

namespace llmcal::report {

namespace {

std::string LevelLabel(const StudyResults& r) {
  return fmt::format("{:g}% CI", r.analysis.level * 100);
}

Cell Text(const std::string& s) {
  return s.empty() ? Cell() : Cell(s);
}

Cell Optional(const std::optional<Interval>& interval) {
  return interval ? Cell(*interval) : Cell();
}

Cell YesNo(bool yes) {
  return std::string(yes ? "yes" : "no");
}

const ModelPair* FindPair(const StudyResults& r, const std::string& name) {
  const auto it = std::find_if(r.pairs.begin(), r.pairs.end(),
                               [&](const ModelPair& p) { return p.name == name; });
  return it == r.pairs.end() ? nullptr : &*it;
}

// Calls fn(a, b, c, d) for every combination of the four lists, in order.
template <typename Fn>
void ForEachKey(const std::vector<std::string>& a, const std::vector<std::string>& b,
                const std::vector<std::string>& c, const std::vector<MetricInfo>& d, Fn fn) {
  for (const std::string& x : a)
    for (const std::string& y : b)
      for (const std::string& z : c)
        for (const MetricInfo& m : d)
          fn(x, y, z, m.name);
}

std::vector<std::string> PairNames(const StudyResults& r) {
  std::vector<std::string> names;
  for (const ModelPair& p : r.pairs)
    names.push_back(p.name);
  return names;
}

// Identical rankings (same pair and rank at every position) share a column.
struct RankColumn {
  std::vector<std::string> tasks;
  const TaskRanking* ranking;
};

bool SameOrder(const TaskRanking& a, const TaskRanking& b) {
  return std::equal(
      a.entries.begin(), a.entries.end(), b.entries.begin(), b.entries.end(),
      [](const RankEntry& x, const RankEntry& y) { return x.pair == y.pair && x.rank == y.rank; });
}

std::vector<RankColumn> MergeIdenticalRankings(const Ranking& ranking) {
  std::vector<RankColumn> columns;
  for (const TaskRanking& task : ranking.tasks) {
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

bool IsTied(const TaskRanking& task, std::size_t k) {
  const int rank = task.entries[k].rank;
  return (k > 0 && task.entries[k - 1].rank == rank) ||
         (k + 1 < task.entries.size() && task.entries[k + 1].rank == rank);
}

std::string ConcordanceNote(const Ranking& ranking) {
  const std::string ties =
      "Ranks are competition ranks of the unrounded change rates "
      "(1 = largest); tied pairs share the lower rank, written (=r).";
  if (!ranking.concordance)
    return ties;
  const KendallW& w = *ranking.concordance;
  return fmt::format(
      "Kendall's W = {:.3f} (chi-square = {:.3f}, df = {}, p = {:.3g}) over {} "
      "tasks. {}",
      w.w, w.chi_square, w.degrees_of_freedom, w.p_value, ranking.tasks.size(), ties);
}

std::string SettingsText(const std::vector<Setting>& settings) {
  std::vector<std::string> parts;
  for (const Setting& s : settings)
    parts.push_back(s.name + "=" + s.value);
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace

Table MetricsTable(const ResultIndex& index) {
  const StudyResults& r = index.results();
  Table table("Metrics", {Column::Text("model", "model"), Column::Text("task", "task"),
                          Column::Text("method", "method"), Column::Text("metric", "metric"),
                          Column::Number("value", "value"), Column::Interval("ci", LevelLabel(r)),
                          Column::Integer("n", "n"), Column::Text("reason", "undefined because")});
  ForEachKey(r.models, r.tasks, r.methods, r.metrics,
             [&](const std::string& model, const std::string& task, const std::string& method,
                 const std::string& metric) {
               const MetricEstimate* e = index.Estimate(model, task, method, metric);
               if (!e)
                 return;
               table.AddRow({model, task, method, metric, e->defined() ? Cell(e->value) : Cell(),
                             Optional(e->ci), e->n, Text(e->undefined_reason)});
             });
  return table;
}

Table ChangeTable(const ResultIndex& index) {
  const StudyResults& r = index.results();
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
        const ChangeEstimate* c = index.Change(pair, task, method, metric);
        if (!c)
          return;
        const ModelPair& p = *FindPair(r, pair);
        const bool defined = c->defined();
        table.AddRow({pair, p.base, p.instruct, task, method, metric, c->pt, c->it, c->difference,
                      Optional(c->difference_ci), c->change_rate, Optional(c->change_rate_ci),
                      defined ? YesNo(c->significant()) : Cell(), Text(c->undefined_reason)});
      });
  return table;
}

Table RankTable(const Ranking& ranking) {
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
      const TaskRanking& task = *c.ranking;
      if (k >= task.entries.size()) {
        row.emplace_back();
        continue;
      }
      const RankEntry& entry = task.entries[k];
      row.push_back(IsTied(task, k) ? fmt::format("{} (={})", entry.pair, entry.rank) : entry.pair);
    }
    table.AddRow(std::move(row));
  }
  table.set_note(ConcordanceNote(ranking));
  return table;
}

Table RankListTable(const ResultIndex& index) {
  Table table("Ranks of the change rates",
              {Column::Text("metric", "metric"), Column::Text("method", "method"),
               Column::Text("task", "task"), Column::Integer("rank", "rank"),
               Column::Text("pair", "pair"), Column::Number("change_rate", "change %", 2)});
  for (const Ranking& ranking : index.results().rankings) {
    for (const TaskRanking& task : ranking.tasks) {
      for (const RankEntry& e : task.entries) {
        table.AddRow({ranking.metric, ranking.method, task.task, std::int64_t{e.rank}, e.pair,
                      e.change_rate});
      }
    }
  }
  return table;
}

Table ConcordanceTable(const ResultIndex& index) {
  Table table("Concordance of the rankings across tasks (Kendall's W)",
              {Column::Text("metric", "metric"), Column::Text("method", "method"),
               Column::Integer("tasks", "tasks"), Column::Integer("pairs", "pairs"),
               Column::Number("kendall_w", "W", 3), Column::Number("chi_square", "chi-square", 3),
               Column::Integer("df", "df"), Column::Number("p_value", "p", 4)});
  for (const Ranking& ranking : index.results().rankings) {
    if (!ranking.concordance)
      continue;
    const KendallW& w = *ranking.concordance;
    const std::size_t pairs = ranking.tasks.empty() ? 0 : ranking.tasks.front().entries.size();
    table.AddRow({ranking.metric, ranking.method, static_cast<std::int64_t>(ranking.tasks.size()),
                  static_cast<std::int64_t>(pairs), w.w, w.chi_square,
                  std::int64_t{w.degrees_of_freedom}, w.p_value});
  }
  return table;
}

Table SummaryTable(const ResultIndex& index) {
  const StudyResults& r = index.results();
  Table table("Significant changes over every (task, method)",
              {Column::Text("pair", "pair"), Column::Text("metric", "metric"),
               Column::Integer("worse", "significantly worse"),
               Column::Integer("better", "significantly better"),
               Column::Integer("neither", "neither"), Column::Integer("undefined", "undefined"),
               Column::Integer("combinations", "(task, method)")});
  for (const ModelPair& pair : r.pairs) {
    for (const MetricInfo& metric : r.metrics) {
      std::int64_t worse = 0, better = 0, neither = 0, undefined = 0;
      for (const std::string& task : r.tasks) {
        for (const std::string& method : r.methods) {
          const Verdict v = Judge(index.Change(pair.name, task, method, metric.name), metric);
          if (v.direction == Direction::kUndefined) {
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
      table.AddRow({pair.name, metric.name, worse, better, neither, undefined,
                    static_cast<std::int64_t>(r.tasks.size() * r.methods.size())});
    }
  }
  return table;
}

Table SensitivityTable(const ResultIndex& index) {
  const StudyResults& r = index.results();
  const std::vector<const MetricInfo*> metrics = index.CalibrationErrorMetrics();
  std::vector<Column> columns = {Column::Text("pair", "pair"), Column::Text("task", "task"),
                                 Column::Text("method", "method")};
  for (const MetricInfo* m : metrics)
    columns.push_back(Column::Text(m->name, m->name));
  columns.push_back(Column::Text("agreement", "agreement"));
  Table table("Change rate under every calibration-error metric (* significant)",
              std::move(columns));
  for (const ModelPair& pair : r.pairs) {
    for (const std::string& task : r.tasks) {
      for (const std::string& method : r.methods) {
        std::vector<Cell> row = {pair.name, task, method};
        std::vector<Verdict> verdicts;
        for (const MetricInfo* m : metrics) {
          const ChangeEstimate* change = index.Change(pair.name, task, method, m->name);
          row.push_back(ChangeRateText(change));
          verdicts.push_back(Judge(change, *m));
        }
        row.push_back(std::string(AgreementName(Compare(verdicts))));
        table.AddRow(std::move(row));
      }
    }
  }
  return table;
}

Table MetricLegendTable(const StudyResults& results) {
  Table table("Metrics",
              {Column::Text("metric", "metric"), Column::Text("description", "description"),
               Column::Text("lower_is_better", "lower is better"),
               Column::Text("calibration_error", "calibration error")});
  for (const MetricInfo& m : results.metrics) {
    table.AddRow(
        {m.name, Text(m.description), YesNo(m.lower_is_better), YesNo(m.calibration_error)});
  }
  return table;
}

Table ModelProvenanceTable(const Provenance& provenance) {
  Table table("Models", {Column::Text("name", "model"), Column::Text("path", "file"),
                         Column::Integer("size_bytes", "bytes"), Column::Text("sha256", "SHA-256"),
                         Column::Text("architecture", "architecture"),
                         Column::Integer("parameters", "parameters")});
  for (const ModelProvenance& m : provenance.models) {
    table.AddRow({m.name, Text(m.path), static_cast<std::int64_t>(m.size_bytes), Text(m.sha256),
                  Text(m.architecture), m.parameters});
  }
  return table;
}

Table TaskProvenanceTable(const Provenance& provenance) {
  Table table("Task files", {Column::Text("task", "task"), Column::Integer("items", "items"),
                             Column::Text("path", "file"), Column::Integer("size_bytes", "bytes"),
                             Column::Text("sha256", "SHA-256")});
  for (const TaskProvenance& t : provenance.tasks) {
    if (t.files.empty())
      table.AddRow({t.name, t.items, Cell(), Cell(), Cell()});
    for (const FileProvenance& f : t.files) {
      table.AddRow(
          {t.name, t.items, Text(f.path), static_cast<std::int64_t>(f.size_bytes), Text(f.sha256)});
    }
  }
  return table;
}

Table RunProvenanceTable(const Provenance& provenance) {
  Table table("Runs", {Column::Text("model", "model"), Column::Text("task", "task"),
                       Column::Text("style", "prompt style"), Column::Text("template", "template"),
                       Column::Text("settings", "settings")});
  for (const RunProvenance& run : provenance.runs) {
    table.AddRow({run.model, run.task, Text(run.style), Text(run.template_version),
                  Text(SettingsText(run.settings))});
  }
  return table;
}

}  // namespace llmcal::report
