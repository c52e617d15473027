// The estimator-sensitivity panel (report/figures.h).
#include <fmt/format.h>

#include <span>

#include "report/escape.h"
#include "report/figures.h"
#include "report/verdict.h"

namespace llmcal::report {

namespace {

// Cell colours (RdBu, light enough for black text): red worse, blue better.
struct Shade {
  const char* label;
  int rgb;
};
constexpr Shade kSignificantWorse{"significantly worse", 0xD6604D};
constexpr Shade kWorse{"worse, not significant", 0xF4A582};
constexpr Shade kUnchanged{"unchanged", 0xF7F7F7};
constexpr Shade kBetter{"better, not significant", 0x92C5DE};
constexpr Shade kSignificantBetter{"significantly better", 0x4393C3};
constexpr Shade kUndefined{"undefined", 0xD9D9D9};
constexpr Shade kLegend[] = {kSignificantWorse,  kWorse,    kUnchanged, kBetter,
                             kSignificantBetter, kUndefined};
// Without intervals nothing is significant or not: the light shades say only
// the direction, and the dark ones are never drawn.
constexpr Shade kLegendWithoutIntervals[] = {
    {"worse", kWorse.rgb}, kUnchanged, {"better", kBetter.rgb}, kUndefined};

// The legend: every shade the panel may draw.
std::span<const Shade> Legend(bool intervals) {
  if (intervals)
    return kLegend;
  return kLegendWithoutIntervals;
}

// The shade of each direction, not significant and significant.
struct DirectionShades {
  Direction direction;
  const Shade* plain;
  const Shade* significant;
};
constexpr DirectionShades kShades[] = {
    {Direction::kWorse, &kWorse, &kSignificantWorse},
    {Direction::kBetter, &kBetter, &kSignificantBetter},
    {Direction::kUnchanged, &kUnchanged, &kUnchanged},
    {Direction::kUndefined, &kUndefined, &kUndefined},
};

const Shade& ShadeOf(const Verdict& v) {
  for (const DirectionShades& row : kShades) {
    if (row.direction == v.direction)
      return v.significant ? *row.significant : *row.plain;
  }
  return kUndefined;
}

struct Row {
  std::string pair;
  std::string task;
};

struct PanelData {
  DataFile cells;
  DataFile flags;
};

PanelData SensitivityData(const analysis::ResultIndex& index, const std::string& name,
                          const std::string& method,
                          const std::vector<const analysis::MetricInfo*>& metrics,
                          const std::vector<Row>& rows) {
  PanelData d{DataFile(name + ".dat", "Estimator sensitivity, method " + method,
                       {"pair", "task", "method", "metric", "x", "y", "change_rate", "ci_lo",
                        "ci_hi", "significant", "direction", "rgb", "text"}),
              DataFile(name + ".flags.dat",
                       "Estimator sensitivity, method " + method +
                           ": rows where the metrics disagree on the direction",
                       {"pair", "task", "method", "x", "y", "agreement", "text"})};
  d.cells.StartBlock("one cell per (pair, task, metric); direction +1 worse, -1 better");
  d.flags.StartBlock("agreement 1: directions differ; 2: significant both ways");
  const double flag_x = static_cast<double>(metrics.size());
  const bool intervals = index.results().analysis.intervals();  // else significance is undefined
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double y = static_cast<double>(rows.size() - 1 - i);
    std::vector<Verdict> verdicts;
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      const analysis::ChangeEstimate* c =
          index.Change(rows[i].pair, rows[i].task, method, metrics[m]->name);
      const Verdict v = Judge(c, *metrics[m]);
      verdicts.push_back(v);
      const bool defined = c && c->defined();
      const analysis::Interval ci = defined && c->change_rate_ci
                                        ? *c->change_rate_ci
                                        : analysis::Interval{analysis::kNaN, analysis::kNaN};
      const double significant = intervals ? (v.significant ? 1.0 : 0.0) : analysis::kNaN;
      d.cells.AddRow({rows[i].pair, rows[i].task, method, metrics[m]->name, static_cast<double>(m),
                      y, defined ? c->change_rate : analysis::kNaN, ci.lo, ci.hi, significant,
                      DirectionCode(v.direction), static_cast<double>(ShadeOf(v).rgb),
                      ChangeRateText(c)});
    }
    const Agreement a = Compare(verdicts);
    if (a != Agreement::kAgree) {
      d.flags.AddRow({rows[i].pair, rows[i].task, method, flag_x, y, static_cast<double>(a),
                      std::string(AgreementFlag(a))});
    }
  }
  return d;
}

std::string SensitivityScript(const Figure& f,
                              const std::vector<const analysis::MetricInfo*>& metrics,
                              const std::vector<Row>& rows, bool any_flag,
                              std::span<const Shade> shades) {
  std::vector<std::string> xtics, ytics, legend;
  for (std::size_t m = 0; m < metrics.size(); ++m)
    xtics.push_back(fmt::format("{} {}", GnuplotString(metrics[m]->name), m));
  xtics.push_back(fmt::format("'disagree' {}", metrics.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ytics.push_back(fmt::format("{} {}",
                                GnuplotString(fmt::format("{} / {}", rows[i].pair, rows[i].task)),
                                rows.size() - 1 - i));
  }
  for (const Shade& s : shades) {
    legend.push_back(
        fmt::format("keyentry with boxes fc rgb '#{:06X}' title '{}'", s.rgb, s.label));
  }
  std::string plots = fmt::format(
      "'{c}' index 0 using 5:6:(0.5):(0.5):12 with boxxyerror fc rgb variable notitle, \\\n"
      "    '{c}' index 0 using 5:6:(valid(8) ? sprintf(\"%s\\n[%.1f, %.1f]\", strcol(13), $8, $9) "
      ": strcol(13)) with labels font ',8' notitle",
      fmt::arg("c", f.data[0].file_name()));
  if (any_flag) {
    plots += fmt::format(
        ", \\\n    '{}' index 0 using 4:5:7 with labels font ',13' tc rgb '#B2182B' notitle",
        f.data[1].file_name());
  }
  const std::string body = fmt::format(
      "  set title {title}\n"
      "  set xrange [-0.5:{xmax}]\n"
      "  set yrange [-0.5:{ymax}]\n"
      "  unset xtics\n"
      "  set link x2\n"
      "  set x2tics ({xtics}) rotate by 30 left scale 0\n"
      "  set ytics ({ytics}) scale 0 font ',9'\n"
      "  set style fill solid 1.0 border rgb 'white'\n"
      "  set key outside right top Left reverse font ',9'\n"
      "  plot {plots}, \\\n    {legend}\n",
      fmt::arg("title", GnuplotString(f.title)),
      fmt::arg("xmax", static_cast<double>(metrics.size()) + 0.5),
      fmt::arg("ymax", static_cast<double>(rows.size()) - 0.5),
      fmt::arg("xtics", fmt::join(xtics, ", ")), fmt::arg("ytics", fmt::join(ytics, ", ")),
      fmt::arg("plots", plots), fmt::arg("legend", fmt::join(legend, ", \\\n    ")));
  const int width = 420 + 85 * static_cast<int>(metrics.size() + 1);
  return ScriptFrame(f.name, f.title, width, 150 + 34 * static_cast<int>(rows.size()), body);
}

std::string SensitivityCaption(const analysis::AnalysisSettings& a) {
  if (!a.intervals()) {
    return fmt::format(
        "Each cell is the change rate (IT - PT) / PT of one calibration-error metric for one "
        "pair and task. Red: calibration got worse under that metric; blue: better. ≠ flags a "
        "row where the metrics disagree on the direction. {}",
        kNoIntervalsSentence);
  }
  return "Each cell is the change rate (IT - PT) / PT of one calibration-error metric for one "
         "pair and task, with its paired-bootstrap interval beneath; * marks a significant "
         "change (the interval of the difference excludes 0). Red: calibration got worse under "
         "that metric; blue: better; darker: significant. ≠ flags a row where the metrics "
         "disagree on the direction; ≠ ! where both directions are significant.";
}

}  // namespace

std::vector<Figure> SensitivityFigures(const analysis::ResultIndex& index, FigureNames& names) {
  const analysis::StudyResults& r = index.results();
  const std::vector<const analysis::MetricInfo*> metrics = index.CalibrationErrorMetrics();
  std::vector<Figure> figures;
  if (r.pairs.empty() || metrics.empty() || r.tasks.empty())
    return figures;
  std::vector<Row> rows;
  for (const analysis::ModelPair& pair : r.pairs) {
    for (const std::string& task : r.tasks)
      rows.push_back({pair.name, task});
  }
  for (const std::string& method : r.methods) {
    Figure f;
    f.name = names.Claim("sensitivity_" + method);
    f.title = fmt::format("Estimator sensitivity, method {}", method);
    f.caption = SensitivityCaption(r.analysis);
    PanelData data = SensitivityData(index, f.name, method, metrics, rows);
    const bool any_flag = data.flags.rows() > 0;
    f.data.push_back(std::move(data.cells));
    f.data.push_back(std::move(data.flags));
    f.script = SensitivityScript(f, metrics, rows, any_flag, Legend(r.analysis.intervals()));
    figures.push_back(std::move(f));
  }
  return figures;
}

}  // namespace llmcal::report
