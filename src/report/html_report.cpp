#include "report/html_report.h"

#include <fmt/format.h>

#include <optional>

#include "common/error.h"
#include "report/escape.h"
#include "report/gnuplot.h"
#include "report/result_tables.h"
#include "report/study_results_json.h"
#include "report/svg_inline.h"
#include "report/table.h"
#include "report/text_file.h"
#include "report/verdict.h"

namespace llmcal::report {

namespace {

namespace fs = std::filesystem;

// No external resource of any kind: system fonts only, no images, no script.
constexpr const char* kStyle = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
  margin:0 auto;max-width:1100px;padding:0 12px 40px;line-height:1.45;color:#1f1f1f;background:#fff}
h1{font-size:1.6em;margin:0.8em 0 0.2em}
h2{font-size:1.3em;border-bottom:1px solid #ccc;margin-top:2em}
h3{font-size:1.05em}
nav ul{padding-left:1.2em}
figure{margin:1.2em 0}
figure svg{display:block;width:100%;height:auto;max-width:100%}
figcaption{font-size:0.9em;color:#444}
p,li,figcaption{overflow-wrap:anywhere}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:0.88em;margin:0.4em 0}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{padding:2px 8px;border-bottom:1px solid #e3e3e3;text-align:left;white-space:nowrap}
th{border-bottom:2px solid #999}
.num{text-align:right;font-variant-numeric:tabular-nums}
.table-note{font-size:0.85em;color:#444}
.notice{background:#fff6d5;border:1px solid #e2c765;padding:8px 12px;border-radius:4px}
.missing{background:#f4f4f4;border:1px dashed #bbb;padding:12px}
code{background:#f2f2f2;padding:0 3px}
details{margin:0.6em 0}
summary{cursor:pointer;font-weight:600}
)css";

constexpr const char* kGnuplotMissing =
    "Figures need gnuplot, which was not found. Install it (Debian and Ubuntu: "
    "<code>apt-get install gnuplot-nox</code>) and run <code>llmcal report</code> again, or draw "
    "each figure from the script and data already written: <code>cd figures &amp;&amp; gnuplot "
    "NAME.gp</code>.";

constexpr const char* kNeedPair =
    "Comparisons need a pair: these results hold no pretrained/instruction-tuned pair of "
    "models (pair them with <code>--pair BASE:INSTRUCT</code>). Change rates, Figures 1 and 2, "
    "the estimator-sensitivity panel and the rank tables are therefore absent; the per-model "
    "metrics and reliability diagrams follow.";

// A drawn figure and its inlined SVG (empty when not drawn).
struct FigureEntry {
  Figure figure;
  std::string svg;
};

std::string Section(const std::string& id, const std::string& heading, const std::string& content) {
  return fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n", id, EscapeHtml(heading),
                     content);
}

std::string Paragraph(const std::string& html, const std::string& css_class = "") {
  return css_class.empty() ? fmt::format("<p>{}</p>\n", html)
                           : fmt::format("<p class=\"{}\">{}</p>\n", css_class, html);
}

std::string TableHtml(const Table& table) {
  return fmt::format("<div class=\"scroll\">\n{}</div>\n", RenderTable(table, TableFormat::kHtml));
}

std::string Details(const std::string& summary, const std::string& content) {
  return fmt::format("<details>\n<summary>{}</summary>\n{}</details>\n", EscapeHtml(summary),
                     content);
}

std::string FigureHtml(const FigureEntry& entry) {
  const Figure& f = entry.figure;
  const std::string drawing =
      entry.svg.empty()
          ? Paragraph("Not drawn: gnuplot was not found (see the note at the top).", "missing")
          : entry.svg + "\n";
  const std::string files =
      entry.svg.empty()
          ? fmt::format("figures/{0}.gp, figures/{0}*.dat", f.name)
          : fmt::format(
                "<a href=\"figures/{0}.pdf\">PDF</a>, <a href=\"figures/{0}.svg\">SVG</a>, "
                "<a href=\"figures/{0}.gp\">gnuplot script</a>, figures/{0}*.dat",
                f.name);
  return fmt::format(
      "<figure id=\"fig-{name}\">\n{drawing}<figcaption><strong>{title}.</strong> {caption} "
      "Files: {files}.</figcaption>\n</figure>\n",
      fmt::arg("name", f.name), fmt::arg("drawing", drawing),
      fmt::arg("title", EscapeHtml(f.title)), fmt::arg("caption", EscapeHtml(f.caption)),
      fmt::arg("files", files));
}

std::string FiguresHtml(const std::vector<FigureEntry>& figures) {
  std::string out;
  for (const FigureEntry& f : figures)
    out += FigureHtml(f);
  return out;
}

// Writes and, with gnuplot, draws every figure; keeps the inlined SVGs.
class FigureDrawer {
 public:
  FigureDrawer(const fs::path& dir, const ReportOptions& options, ReportFiles& files)
      : dir_(dir), files_(files) {
    if (const std::optional<fs::path> exe = FindProgram(options.gnuplot))
      gnuplot_.emplace(*exe, options.gnuplot_timeout);
    files_.figures_drawn = gnuplot_.has_value();
  }

  std::vector<FigureEntry> Draw(std::vector<Figure> figures) {
    std::vector<FigureEntry> out;
    for (Figure& f : figures) {
      for (const fs::path& p : WriteFigureFiles(dir_, f))
        files_.figures.push_back(p);
      std::string svg;
      if (gnuplot_) {
        const std::vector<fs::path> drawn = gnuplot_->Draw(dir_, f);
        files_.figures.insert(files_.figures.end(), drawn.begin(), drawn.end());
        svg = InlineSvg(ReadTextFile(drawn.front()), "fig-" + f.name, f.title);
      }
      out.push_back({std::move(f), std::move(svg)});
    }
    return out;
  }

 private:
  fs::path dir_;
  ReportFiles& files_;
  std::optional<Gnuplot> gnuplot_;
};

fs::path MakeDirectory(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw InputError::At(dir.string(), 0, "", "cannot create the folder: " + ec.message());
  return dir;
}

// Writes `table` as tables/NAME.EXT in every format of `formats`.
void WriteTable(const fs::path& dir, const std::string& name, const Table& table,
                std::initializer_list<TableFormat> formats, ReportFiles& files) {
  for (TableFormat format : formats) {
    const fs::path path = dir / fmt::format("{}.{}", name, TableFormatExtension(format));
    WriteTextFile(path, RenderTable(table, format));
    files.tables.push_back(path);
  }
}

constexpr std::initializer_list<TableFormat> kFileFormats = {
    TableFormat::kCsv, TableFormat::kJson, TableFormat::kMarkdown, TableFormat::kLatex};

class ReportBuilder {
 public:
  ReportBuilder(const analysis::StudyResults& results, const ReportOptions& options,
                const fs::path& out)
      : results_(results), index_(results), options_(options), out_(out) {}

  ReportFiles Build() {
    const fs::path tables = MakeDirectory(out_ / "tables");
    const DrawnFigures figures = DrawFigures();
    WriteTables(tables);
    std::string body = Header() + Contents() + SummarySection();
    if (!results_.pairs.empty())
      body += ComparisonSections(figures);
    body += ReliabilitySection(figures.reliability) + TablesSection() + ProvenanceSection();
    files_.html = out_ / "report.html";
    WriteTextFile(files_.html, Page(body));
    files_.results_json = out_ / "study_results.json";
    WriteTextFile(files_.results_json, StudyResultsToJson(results_).dump(1) + "\n");
    return std::move(files_);
  }

 private:
  struct DrawnFigures {
    std::vector<FigureEntry> figure1, figure2, sensitivity, reliability;
  };

  DrawnFigures DrawFigures() {
    FigureDrawer drawer(MakeDirectory(out_ / "figures"), options_, files_);
    FigureNames names;
    DrawnFigures out;
    out.figure1 = drawer.Draw(PaperFigure1(index_, options_.figures, names));
    out.figure2 = drawer.Draw(PaperFigure2(index_, options_.figures, names));
    out.sensitivity = drawer.Draw(SensitivityFigures(index_, names));
    out.reliability = drawer.Draw(ReliabilityFigures(index_, names));
    return out;
  }

  void WriteTables(const fs::path& dir) {
    WriteTable(dir, "metrics", MetricsTable(index_), kFileFormats, files_);
    WriteTable(dir, "metric_legend", MetricLegendTable(results_), kFileFormats, files_);
    if (!results_.pairs.empty()) {
      WriteTable(dir, "changes", ChangeTable(index_), kFileFormats, files_);
      WriteTable(dir, "summary", SummaryTable(index_), kFileFormats, files_);
      WriteTable(dir, "sensitivity", SensitivityTable(index_), kFileFormats, files_);
    }
    if (!results_.rankings.empty()) {
      WriteTable(dir, "ranks", RankListTable(index_), kFileFormats, files_);
      WriteTable(dir, "concordance", ConcordanceTable(index_), kFileFormats, files_);
    }
    for (const analysis::Ranking& ranking : results_.rankings) {
      const Table table = RankTable(ranking);
      const std::string stem =
          FileStem(fmt::format("table1_{}_{}", ranking.metric, ranking.method));
      WriteTable(dir, stem, table, {TableFormat::kMarkdown, TableFormat::kLatex}, files_);
      const fs::path html = dir / (stem + ".html");
      WriteTextFile(html, Page(TableHtml(table)));
      files_.tables.push_back(html);
    }
    const analysis::Provenance& p = results_.provenance;
    WriteTable(dir, "provenance_models", ModelProvenanceTable(p), kFileFormats, files_);
    WriteTable(dir, "provenance_tasks", TaskProvenanceTable(p), kFileFormats, files_);
    WriteTable(dir, "provenance_runs", RunProvenanceTable(p), kFileFormats, files_);
  }

  std::string Page(const std::string& body) const {
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        EscapeHtml(options_.title), kStyle, body);
  }

  std::string Header() const {
    const analysis::Provenance& p = results_.provenance;
    const analysis::AnalysisSettings& a = results_.analysis;
    std::string out = fmt::format("<h1>{}</h1>\n", EscapeHtml(options_.title));
    const std::string intervals =
        a.intervals() ? fmt::format(
                            "{:g}% percentile intervals from {} bootstrap resamples "
                            "(seed {})",
                            a.level * 100, a.resamples, a.seed)
                      : std::string(
                            "no bootstrap intervals were computed (--bootstrap 0), so "
                            "significance is undefined");
    out += Paragraph(EscapeHtml(fmt::format(
        "{} models, {} pairs, {} tasks, {} confidence methods, {} metrics. Computed {}with "
        "llmcal {} and llama.cpp {}. {} equal-width bins; {}.",
        results_.models.size(), results_.pairs.size(), results_.tasks.size(),
        results_.methods.size(), results_.metrics.size(),
        p.date.empty() ? "" : "on " + p.date + " ", Or(p.llmcal_version), Or(p.llama_cpp_version),
        a.bins, intervals)));
    if (!files_.figures_drawn)
      out += Paragraph(kGnuplotMissing, "notice");
    return out;
  }

  static std::string Or(const std::string& s) { return s.empty() ? "(unknown)" : s; }

  std::string Contents() const {
    std::vector<std::pair<std::string, std::string>> entries = {{"summary", "Summary"}};
    if (!results_.pairs.empty()) {
      entries.insert(entries.end(), {{"figure1", "Figure 1: metric values and change rates"},
                                     {"figure2", "Figure 2: change rate per method"},
                                     {"sensitivity", "Estimator sensitivity"},
                                     {"ranks", "Rank tables (Table 1)"}});
    }
    entries.insert(entries.end(), {{"reliability", "Reliability diagrams"},
                                   {"tables", "Tables"},
                                   {"provenance", "Provenance"}});
    std::string items;
    for (const auto& [id, label] : entries)
      items += fmt::format("<li><a href=\"#{}\">{}</a></li>\n", id, EscapeHtml(label));
    return fmt::format("<nav>\n<ul>\n{}</ul>\n</nav>\n", items);
  }

  std::string SummarySection() const {
    if (results_.pairs.empty())
      return Section("summary", "Summary", Paragraph(kNeedPair, "notice"));
    if (!results_.analysis.intervals())
      return Section("summary", "Summary", SummaryWithoutIntervals());
    std::string out = Paragraph(EscapeHtml(fmt::format(
        "For each pair: over the {} (task, method) combinations, how often each metric changed "
        "significantly for the worse or for the better from the pretrained to the "
        "instruction-tuned model (significant: the {:g}% paired-bootstrap interval of IT - PT "
        "excludes 0; for a metric where higher is better, such as accuracy, a rise is better).",
        results_.tasks.size() * results_.methods.size(), results_.analysis.level * 100)));
    out += DisagreementSentence();
    out += TableHtml(SummaryTable(index_));
    return Section("summary", "Summary", out);
  }

  // Without intervals there is nothing to count as significant: the summary
  // table would hold only empty cells, so the summary says so instead and
  // points to where the changes are.
  std::string SummaryWithoutIntervals() const {
    return Paragraph(
               EscapeHtml(fmt::format(
                   "{} This report therefore counts no significant changes and draws no "
                   "intervals. Every change from the pretrained (PT) to the instruction-tuned (IT) "
                   "model, with its direction and change rate, is in the table of every change "
                   "(Tables, below) and, for the calibration-error metrics, in the "
                   "estimator-sensitivity panel.",
                   kNoIntervalsSentence)),
               "notice") +
           DisagreementSentence();
  }

  std::string DisagreementSentence() const {
    int differ = 0, both = 0, total = 0;
    for (const analysis::ModelPair& pair : results_.pairs) {
      for (const std::string& task : results_.tasks) {
        for (const std::string& method : results_.methods) {
          const Agreement a = MetricAgreement(index_, pair.name, task, method);
          differ += a != Agreement::kAgree;
          both += a == Agreement::kSignificantBothWays;
          ++total;
        }
      }
    }
    const std::string significant_both_ways =
        results_.analysis.intervals()
            ? fmt::format(", {} of them with significant changes both ways", both)
            : "";
    return Paragraph(EscapeHtml(fmt::format(
        "The calibration-error metrics disagree on the direction of the change in {} of {} "
        "(pair, task, method) combinations{}: see the estimator-sensitivity panel.",
        differ, total, significant_both_ways)));
  }

  std::string MissingFigure1() const {
    return EscapeHtml(fmt::format("Figure 1 needs the metrics {}, which these results lack.",
                                  fmt::join(options_.figures.figure1_metrics, ", ")));
  }

  std::string MissingFigure2() const {
    return EscapeHtml(fmt::format("Figure 2 needs the metric '{}', which these results lack.",
                                  options_.figures.figure2_metric));
  }

  std::string ComparisonSections(const DrawnFigures& figures) const {
    std::string out = Section("figure1", "Figure 1: metric values and change rates",
                              figures.figure1.empty() ? Paragraph(MissingFigure1(), "missing")
                                                      : FiguresHtml(figures.figure1));
    out += Section("figure2", "Figure 2: change rate per confidence method",
                   figures.figure2.empty() ? Paragraph(MissingFigure2(), "missing")
                                           : FiguresHtml(figures.figure2));
    out += Section("sensitivity", "Estimator sensitivity",
                   FiguresHtml(figures.sensitivity) + TableHtml(SensitivityTable(index_)));
    return out + RankSection();
  }

  static std::string ReliabilitySection(const std::vector<FigureEntry>& figures) {
    return Section("reliability", "Reliability diagrams",
                   figures.empty() ? Paragraph("These results hold no reliability data.", "missing")
                                   : FiguresHtml(figures));
  }

  std::string RankSection() const {
    if (results_.rankings.empty()) {
      return Section(
          "ranks", "Rank tables (Table 1)",
          Paragraph("These results hold no rankings (they need two or more pairs).", "missing"));
    }
    std::string out;
    for (const analysis::Ranking& ranking : results_.rankings)
      out += TableHtml(RankTable(ranking));
    out += TableHtml(ConcordanceTable(index_));
    return Section("ranks", "Rank tables (Table 1)", out);
  }

  std::string TablesSection() const {
    std::string out = TableHtml(MetricLegendTable(results_));
    out += Details(fmt::format("Every metric ({} values)", results_.estimates.size()),
                   TableHtml(MetricsTable(index_)));
    if (!results_.pairs.empty()) {
      out += Details(fmt::format("Every change ({} values)", results_.changes.size()),
                     TableHtml(ChangeTable(index_)));
    }
    out += Paragraph("Every table is also in tables/ as CSV, JSON, Markdown and LaTeX.");
    return Section("tables", "Tables", out);
  }

  std::string ProvenanceSection() const {
    const analysis::Provenance& p = results_.provenance;
    std::string out = Paragraph(
        EscapeHtml(fmt::format("llmcal {}, llama.cpp {}, results computed {}.",
                               Or(p.llmcal_version), Or(p.llama_cpp_version), Or(p.date))));
    out += TableHtml(ModelProvenanceTable(p)) + TableHtml(TaskProvenanceTable(p)) +
           TableHtml(RunProvenanceTable(p));
    return Section("provenance", "Provenance", out);
  }

  const analysis::StudyResults& results_;
  const analysis::ResultIndex index_;
  const ReportOptions& options_;
  fs::path out_;
  ReportFiles files_;
};

}  // namespace

ReportFiles WriteReport(const analysis::StudyResults& results, const ReportOptions& options,
                        const fs::path& out_dir) {
  analysis::Validate(results, "study results");
  MakeDirectory(out_dir);
  return ReportBuilder(results, options, out_dir).Build();
}

}  // namespace llmcal::report
