// The paper's Figures 1 and 2 (report/figures.h).
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "report/escape.h"
#include "report/figures.h"
#include "report/verdict.h"

namespace llmcal::report {

namespace {

constexpr const char* kChangeLabel = "change rate (IT - PT) / PT, %";

// Change bars: columns 5 (x) and 6 (change rate) are the bar, 7 and 8 its
// interval, 10 and 11 where a significance star goes.
constexpr const char* kChangeColumns[] = {"pair",        "method",      "metric",   "task",
                                          "x",           "change_rate", "ci_lo",    "ci_hi",
                                          "significant", "star_up",     "star_down"};

// Metric-value bars: column 7 (x) and 8 (value) are the bar, 9 and 10 its interval.
constexpr const char* kValueColumns[] = {"pair", "method", "metric", "role",  "model", "task",
                                         "x",    "value",  "ci_lo",  "ci_hi", "n"};

// Where the significance star of a bar goes: beyond the end of its interval
// (or of the bar, without one), above a rise, below a fall; NaN when the
// change is not significant.
struct StarPlace {
  double up = analysis::kNaN;
  double down = analysis::kNaN;
};

StarPlace Star(const analysis::ChangeEstimate* c) {
  if (!c || !c->significant() || !std::isfinite(c->change_rate))
    return {};
  const analysis::Interval ci =
      c->change_rate_ci.value_or(analysis::Interval{c->change_rate, c->change_rate});
  if (c->change_rate >= 0)
    return {.up = std::max(c->change_rate, ci.hi)};
  return {.down = std::min(c->change_rate, ci.lo)};
}

// What one change bar shows; the change itself may be missing.
struct ChangeKey {
  std::string pair;
  std::string method;
  std::string metric;
  std::string task;
};

// The significant column: 1 or 0, NaN when the results have no intervals
// (significance undefined).
double SignificantCode(const analysis::ChangeEstimate* c, bool intervals) {
  if (!intervals)
    return analysis::kNaN;
  return c && c->significant() ? 1.0 : 0.0;
}

void AddChangeRow(DataFile& file, const ChangeKey& key, double x,
                  const analysis::ResultIndex& index) {
  const analysis::ChangeEstimate* c = index.Change(key.pair, key.task, key.method, key.metric);
  const bool defined = c && c->defined();
  const analysis::Interval ci = defined && c->change_rate_ci
                                    ? *c->change_rate_ci
                                    : analysis::Interval{analysis::kNaN, analysis::kNaN};
  const StarPlace star = Star(c);
  file.AddRow({key.pair, key.method, key.metric, key.task, x,
               defined ? c->change_rate : analysis::kNaN, ci.lo, ci.hi,
               SignificantCode(c, index.results().analysis.intervals()), star.up, star.down});
}

// A zero line that every bar panel also plots: gnuplot refuses a plot whose
// every point is undefined ("all points y value undefined"), which a panel
// of undefined values (min of an imported run, a change rate over a zero
// baseline) would otherwise be; its bars are simply absent.
constexpr const char* kZeroLine = "0 notitle with lines lt -1";

// One block of bars in a data file, as the plot clauses below draw it.
struct BarBlock {
  std::string file;
  int block = 0;
  double width = 0;
  std::string color;
  std::string title;
};

// Appends `more` to `plots`.
void Append(std::vector<std::string>& plots, std::vector<std::string> more) {
  plots.insert(plots.end(), std::make_move_iterator(more.begin()),
               std::make_move_iterator(more.end()));
}

// Plot clauses for one block of change bars: the bar and, when the results
// have intervals, its interval (a vector with flat heads: gnuplot's error bars
// would draw a point) and the significance stars. Without intervals those
// columns hold only NaN, so the script does not plot them.
std::vector<std::string> ChangeBarClauses(const BarBlock& bars, bool intervals) {
  std::vector<std::string> clauses = {
      fmt::format("'{}' index {} using 5:6:({}) with boxes lc rgb '{}' title {}", bars.file,
                  bars.block, bars.width, bars.color, GnuplotString(bars.title))};
  if (intervals) {
    for (const char* columns : {"5:7:(0):($8-$7) with vectors heads size screen 0.006,90 lc rgb "
                                "'black' notitle",
                                "5:10:(\"*\") with labels offset 0,0.6 notitle",
                                "5:11:(\"*\") with labels offset 0,-0.6 notitle"}) {
      clauses.push_back(fmt::format("'{}' index {} using {}", bars.file, bars.block, columns));
    }
  }
  return clauses;
}

// Plot clauses for one block of metric-value bars: the bar and, with
// intervals, its interval.
std::vector<std::string> ValueBarClauses(const BarBlock& bars, bool intervals) {
  std::vector<std::string> clauses = {
      fmt::format("'{}' index {} using 7:8:({}) with boxes lc rgb '{}' title {}", bars.file,
                  bars.block, bars.width, bars.color, GnuplotString(bars.title))};
  if (intervals) {
    clauses.push_back(fmt::format(
        "'{}' index {} using 7:9:(0):($10-$9) with vectors heads size screen 0.006,90 lc rgb "
        "'black' notitle",
        bars.file, bars.block));
  }
  return clauses;
}

std::string BarAxes(const std::vector<std::string>& tasks) {
  return fmt::format(
      "  {}"
      "  set xtics rotate by 30 right nomirror\n"
      "  set xrange [-0.6:{}]\n"
      "  set style fill solid 0.85 border rgb 'black'\n"
      "  set grid ytics\n",
      XTicsCommand(tasks), static_cast<double>(tasks.size()) - 0.4);
}

std::vector<const analysis::MetricInfo*> PresentMetrics(const analysis::ResultIndex& index,
                                                        const std::vector<std::string>& wanted) {
  std::vector<const analysis::MetricInfo*> out;
  for (const std::string& name : wanted) {
    if (const analysis::MetricInfo* m = index.Metric(name))
      out.push_back(m);
  }
  return out;
}

const char* RoleName(int role) {
  return role == 0 ? "PT" : "IT";
}

// Left panel data: metric values of PT and IT, one block per (metric, role).
DataFile Figure1Values(const analysis::ResultIndex& index, const std::string& name,
                       const analysis::ModelPair& pair, const std::string& method,
                       const std::vector<const analysis::MetricInfo*>& metrics) {
  const auto& tasks = index.results().tasks;
  DataFile file(name + ".values.dat",
                fmt::format("Figure 1, pair {}, method {}: metric values", pair.name, method),
                {std::begin(kValueColumns), std::end(kValueColumns)});
  const std::size_t bars = metrics.size() * 2;
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    for (int role = 0; role < 2; ++role) {
      const std::string& model = role == 0 ? pair.base : pair.instruct;
      file.StartBlock(fmt::format("{} of {} ({})", metrics[m]->name, model, RoleName(role)));
      for (std::size_t t = 0; t < tasks.size(); ++t) {
        const analysis::MetricEstimate* e =
            index.Estimate(model, tasks[t], method, metrics[m]->name);
        const bool defined = e && e->defined();
        const analysis::Interval ci =
            defined && e->ci ? *e->ci : analysis::Interval{analysis::kNaN, analysis::kNaN};
        file.AddRow({pair.name, method, metrics[m]->name, RoleName(role), model, tasks[t],
                     BarX(t, m * 2 + role, bars), defined ? e->value : analysis::kNaN, ci.lo, ci.hi,
                     e ? static_cast<double>(e->n) : analysis::kNaN});
      }
    }
  }
  return file;
}

// Right panel data: change rates, one block per metric.
DataFile Figure1Changes(const analysis::ResultIndex& index, const std::string& name,
                        const analysis::ModelPair& pair, const std::string& method,
                        const std::vector<const analysis::MetricInfo*>& metrics) {
  const auto& tasks = index.results().tasks;
  DataFile file(name + ".changes.dat",
                fmt::format("Figure 1, pair {}, method {}: change rates", pair.name, method),
                {std::begin(kChangeColumns), std::end(kChangeColumns)});
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    file.StartBlock(fmt::format("change rate of {}", metrics[m]->name));
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      AddChangeRow(file, {pair.name, method, metrics[m]->name, tasks[t]},
                   BarX(t, m, metrics.size()), index);
    }
  }
  return file;
}

// Light and dark shades of one hue per metric: PT light, IT dark.
std::string RoleColor(std::size_t metric, int role) {
  static constexpr const char* kShades[][2] = {{"#88CCEE", "#332288"}, {"#F4A582", "#B2182B"},
                                               {"#B8E186", "#1B7837"}, {"#FEE08B", "#B35806"},
                                               {"#D8B5DE", "#762A83"}, {"#C7C7C7", "#4D4D4D"}};
  return kShades[metric % std::size(kShades)][role];
}

// The titles of Figure 1's panels promise intervals and stars only when the
// results have them.
std::string ValuesPanelTitle(const analysis::AnalysisSettings& a) {
  return a.intervals()
             ? fmt::format("Metric values, PT and IT ({:g}% bootstrap intervals)", a.level * 100)
             : "Metric values, PT and IT";
}

std::string ChangesPanelTitle(const analysis::AnalysisSettings& a) {
  return a.intervals() ? "Change rate (* significant)" : "Change rate";
}

std::string Figure1Script(const Figure& f, const analysis::ModelPair& pair,
                          const std::string& method,
                          const std::vector<const analysis::MetricInfo*>& metrics,
                          const std::vector<std::string>& tasks,
                          const analysis::AnalysisSettings& analysis) {
  const bool intervals = analysis.intervals();
  std::vector<std::string> value_plots, change_plots;
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    for (int role = 0; role < 2; ++role) {
      Append(value_plots,
             ValueBarClauses({.file = f.data[0].file_name(),
                              .block = static_cast<int>(m * 2) + role,
                              .width = BarWidth(metrics.size() * 2),
                              .color = RoleColor(m, role),
                              .title = fmt::format("{} {} ({})", metrics[m]->name, RoleName(role),
                                                   role == 0 ? pair.base : pair.instruct)},
                             intervals));
    }
    Append(change_plots, ChangeBarClauses({.file = f.data[1].file_name(),
                                           .block = static_cast<int>(m),
                                           .width = BarWidth(metrics.size()),
                                           .color = RoleColor(m, 1),
                                           .title = metrics[m]->name},
                                          intervals));
  }
  value_plots.push_back(kZeroLine);
  change_plots.push_back(kZeroLine);
  const std::string body = fmt::format(
      "  set multiplot layout 1,2 title {title}\n"
      "{axes}"
      "  set key below font \",9\"\n"
      "  set title {values_title}\n"
      "  set ylabel 'value'\n"
      "  set yrange [*<0:0<*]\n"
      "  plot {values}\n"
      "  set title {changes_title}\n"
      "  set ylabel {change_label}\n"
      "  set yrange [*<0:0<*]\n"
      "  set xzeroaxis lt -1\n"
      "  plot {changes}\n"
      "  unset multiplot\n",
      fmt::arg("title", GnuplotString(fmt::format("{}, method {}", pair.name, method))),
      fmt::arg("axes", BarAxes(tasks)),
      fmt::arg("values_title", GnuplotString(ValuesPanelTitle(analysis))),
      fmt::arg("values", fmt::join(value_plots, ", \\\n    ")),
      fmt::arg("changes_title", GnuplotString(ChangesPanelTitle(analysis))),
      fmt::arg("change_label", GnuplotString(kChangeLabel)),
      fmt::arg("changes", fmt::join(change_plots, ", \\\n    ")));
  const int width = std::max(900, 120 + 2 * 90 * static_cast<int>(tasks.size()));
  return ScriptFrame(f.name, f.title, width, 480, body);
}

std::string Figure1Caption(const analysis::AnalysisSettings& a) {
  if (!a.intervals()) {
    return fmt::format(
        "Left: each metric of the pretrained (PT, light) and instruction-tuned (IT, dark) model "
        "per task. Right: the change rate (IT - PT) / PT per metric. {}",
        kNoIntervalsSentence);
  }
  return "Left: each metric of the pretrained (PT, light) and instruction-tuned (IT, dark) "
         "model per task, with its bootstrap interval. Right: the change rate "
         "(IT - PT) / PT per metric, with its paired-bootstrap interval; * marks a change whose "
         "interval of the difference excludes 0.";
}

std::string Figure2Caption(const analysis::AnalysisSettings& a, const std::string& metric) {
  if (!a.intervals()) {
    return fmt::format(
        "One panel per confidence method: the change rate (IT - PT) / PT of {} per task, one bar "
        "per pair. {}",
        metric, kNoIntervalsSentence);
  }
  return fmt::format(
      "One panel per confidence method: the change rate (IT - PT) / PT of {} per task, one bar "
      "per pair, with its paired-bootstrap interval; * marks a significant change.",
      metric);
}

}  // namespace

std::vector<Figure> PaperFigure1(const analysis::ResultIndex& index, const FigureOptions& options,
                                 FigureNames& names) {
  const analysis::StudyResults& r = index.results();
  const std::vector<const analysis::MetricInfo*> metrics =
      PresentMetrics(index, options.figure1_metrics);
  std::vector<Figure> figures;
  if (metrics.empty())
    return figures;
  for (const analysis::ModelPair& pair : r.pairs) {
    for (const std::string& method : r.methods) {
      Figure f;
      f.name = names.Claim(fmt::format("figure1_{}_{}", pair.name, method));
      f.title = fmt::format("Figure 1: {}, method {}", pair.name, method);
      f.caption = Figure1Caption(r.analysis);
      f.data.push_back(Figure1Values(index, f.name, pair, method, metrics));
      f.data.push_back(Figure1Changes(index, f.name, pair, method, metrics));
      f.script = Figure1Script(f, pair, method, metrics, r.tasks, r.analysis);
      figures.push_back(std::move(f));
    }
  }
  return figures;
}

std::vector<Figure> PaperFigure2(const analysis::ResultIndex& index, const FigureOptions& options,
                                 FigureNames& names) {
  const analysis::StudyResults& r = index.results();
  const analysis::MetricInfo* metric = index.Metric(options.figure2_metric);
  if (r.pairs.empty() || !metric || r.methods.empty())
    return {};
  Figure f;
  f.name = names.Claim(fmt::format("figure2_{}", metric->name));
  f.title = fmt::format("Figure 2: change rate of {} per confidence method", metric->name);
  f.caption = Figure2Caption(r.analysis, metric->name);
  DataFile file(f.name + ".dat", fmt::format("Figure 2: change rates of {}", metric->name),
                {std::begin(kChangeColumns), std::end(kChangeColumns)});
  std::string panels;
  for (const std::string& method : r.methods) {
    std::vector<std::string> plots;
    for (std::size_t p = 0; p < r.pairs.size(); ++p) {
      file.StartBlock(fmt::format("method {}, pair {}", method, r.pairs[p].name));
      for (std::size_t t = 0; t < r.tasks.size(); ++t) {
        AddChangeRow(file, {r.pairs[p].name, method, metric->name, r.tasks[t]},
                     BarX(t, p, r.pairs.size()), index);
      }
      Append(plots, ChangeBarClauses({.file = f.name + ".dat",
                                      .block = file.blocks() - 1,
                                      .width = BarWidth(r.pairs.size()),
                                      .color = SeriesColor(p),
                                      .title = r.pairs[p].name},
                                     r.analysis.intervals()));
    }
    plots.push_back(kZeroLine);
    panels += fmt::format("  set title {}\n  plot {}\n",
                          GnuplotString(fmt::format("{}: method {}", metric->name, method)),
                          fmt::join(plots, ", \\\n    "));
  }
  f.data.push_back(std::move(file));
  const std::string body = fmt::format(
      "  set multiplot layout {n},1\n"
      "{axes}"
      "  set key outside right top font \",9\"\n"
      "  set ylabel {label}\n"
      "  set yrange [*<0:0<*]\n"
      "  set xzeroaxis lt -1\n"
      "{panels}"
      "  unset multiplot\n",
      fmt::arg("n", r.methods.size()), fmt::arg("axes", BarAxes(r.tasks)),
      fmt::arg("label", GnuplotString(kChangeLabel)), fmt::arg("panels", panels));
  const int width = std::max(900, 260 + 70 * static_cast<int>(r.tasks.size() * r.pairs.size()));
  f.script =
      ScriptFrame(f.name, f.title, width, 60 + 280 * static_cast<int>(r.methods.size()), body);
  return {std::move(f)};
}

}  // namespace llmcal::report
