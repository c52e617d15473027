// Reliability diagrams (report/figures.h).
#include <fmt/format.h>

#include "report/escape.h"
#include "report/figures.h"

namespace llmcal::report {

namespace {

// One model drawn in a reliability figure.
struct Curve {
  std::string role;  // "PT", "IT", or "" for an unpaired model
  std::string model;
  const analysis::ReliabilityDiagram* data;
  std::string color;
};

// Bins: columns 9 (confidence), 10 (accuracy), 11 and 12 (its band) are the
// points; 13 (x), 8 (share) and 14 (width) the histogram bars.
constexpr const char* kBinColumns[] = {"model",   "role",    "task",   "method",     "lo",
                                       "hi",      "count",   "share",  "confidence", "accuracy",
                                       "band_lo", "band_hi", "hist_x", "hist_width"};

// Smooth curve: column 5 (t) with 6 (accuracy), 7 and 8 (its band), and 10
// (the density scaled to a bin) over the histogram.
constexpr const char* kSmoothColumns[] = {"model",   "role",           "task",    "method",
                                          "t",       "accuracy",       "band_lo", "band_hi",
                                          "density", "density_per_bin"};

std::string CurveName(const Curve& c) {
  return c.role.empty() ? c.model : fmt::format("{} {}", c.role, c.model);
}

// A diagram with nothing to draw gets no curve (a plot needs a point).
const analysis::ReliabilityDiagram* Drawable(const analysis::ReliabilityDiagram* d) {
  return d && (!d->bins.empty() || !d->smooth.empty()) ? d : nullptr;
}

double BinWidth(const analysis::ReliabilityDiagram& d) {
  return d.bins.empty() ? analysis::kNaN : d.bins.front().hi - d.bins.front().lo;
}

// Binned points and the histogram: one block per curve. hist_x places the
// curves' histogram bars of a bin side by side.
DataFile BinsData(const std::string& name, const std::string& title,
                  const std::vector<Curve>& curves) {
  DataFile file(name + ".bins.dat", title + ": equal-width bins",
                {std::begin(kBinColumns), std::end(kBinColumns)});
  for (std::size_t c = 0; c < curves.size(); ++c) {
    const analysis::ReliabilityDiagram& d = *curves[c].data;
    file.StartBlock(fmt::format("bins of {}", CurveName(curves[c])));
    std::int64_t total = 0;
    for (const analysis::ReliabilityBin& b : d.bins)
      total += b.count;
    for (const analysis::ReliabilityBin& b : d.bins) {
      const double width = (b.hi - b.lo) / static_cast<double>(curves.size());
      const double x = b.lo + width * (static_cast<double>(c) + 0.5);
      const analysis::Interval band =
          b.accuracy_band.value_or(analysis::Interval{analysis::kNaN, analysis::kNaN});
      file.AddRow(
          {d.model, curves[c].role, d.task, d.method, b.lo, b.hi, static_cast<double>(b.count),
           total > 0 ? static_cast<double>(b.count) / static_cast<double>(total) : analysis::kNaN,
           b.confidence, b.accuracy, band.lo, band.hi, x, 0.9 * width});
    }
  }
  return file;
}

// The smooth curve, its band and the kernel density; density_per_bin is the
// density times the bin width, the share of items a bin would hold, drawn over
// the histogram.
DataFile SmoothData(const std::string& name, const std::string& title,
                    const std::vector<Curve>& curves) {
  DataFile file(name + ".smooth.dat", title + ": smooth reliability curve",
                {std::begin(kSmoothColumns), std::end(kSmoothColumns)});
  for (const Curve& curve : curves) {
    const analysis::ReliabilityDiagram& d = *curve.data;
    file.StartBlock(
        fmt::format("model={} role={} bandwidth={}", curve.model, curve.role, d.bandwidth));
    for (const analysis::SmoothPoint& p : d.smooth) {
      const analysis::Interval band =
          p.band.value_or(analysis::Interval{analysis::kNaN, analysis::kNaN});
      file.AddRow({d.model, curve.role, d.task, d.method, p.t, p.accuracy, band.lo, band.hi,
                   p.density, p.density * BinWidth(d)});
    }
  }
  return file;
}

// The top panel: the diagonal, then per curve the smooth curve and the bins.
// With intervals the smooth curve has its shaded band and each bin its error
// bar; without, the script plots neither (their columns hold only NaN).
std::string CurvePlots(const Figure& f, const std::vector<Curve>& curves, bool intervals) {
  const std::string bins = f.data[0].file_name(), smooth = f.data[1].file_name();
  std::vector<std::string> plots = {
      "x with lines dt 2 lc rgb '#888888' title 'perfect calibration'"};
  for (std::size_t c = 0; c < curves.size(); ++c) {
    const Curve& curve = curves[c];
    if (!curve.data->smooth.empty()) {
      if (intervals) {
        plots.push_back(fmt::format(
            "'{}' index {} using 5:7:8 with filledcurves fc rgb '{}' fs transparent solid 0.2 "
            "noborder notitle",
            smooth, c, curve.color));
      }
      plots.push_back(fmt::format("'{}' index {} using 5:6 with lines lw 2 lc rgb '{}' title {}",
                                  smooth, c, curve.color,
                                  GnuplotString(CurveName(curve) + ": smooth")));
    }
    if (!curve.data->bins.empty()) {
      plots.push_back(fmt::format("'{}' index {} using {} pt 7 ps 0.8 lc rgb '{}' title {}", bins,
                                  c, intervals ? "9:10:11:12 with yerrorbars" : "9:10 with points",
                                  curve.color, GnuplotString(CurveName(curve) + ": bins")));
    }
  }
  return fmt::format("{}", fmt::join(plots, ", \\\n    "));
}

std::string HistogramPlots(const Figure& f, const std::vector<Curve>& curves) {
  const std::string bins = f.data[0].file_name(), smooth = f.data[1].file_name();
  std::vector<std::string> plots;
  for (std::size_t c = 0; c < curves.size(); ++c) {
    if (!curves[c].data->bins.empty()) {
      plots.push_back(fmt::format("'{}' index {} using 13:8:14 with boxes lc rgb '{}' notitle",
                                  bins, c, curves[c].color));
    }
    if (!curves[c].data->smooth.empty()) {
      plots.push_back(fmt::format("'{}' index {} using 5:10 with lines lw 1.5 lc rgb '{}' notitle",
                                  smooth, c, curves[c].color));
    }
  }
  return fmt::format("{}", fmt::join(plots, ", \\\n    "));
}

std::string ReliabilityScript(const Figure& f, const std::vector<Curve>& curves, bool intervals) {
  const std::string body = fmt::format(
      "  set multiplot\n"
      "  set lmargin at screen 0.11\n"
      "  set rmargin at screen 0.97\n"
      "  set tmargin at screen 0.91\n"
      "  set bmargin at screen 0.37\n"
      "  set title {title}\n"
      "  set xrange [0:1]\n"
      "  set yrange [0:1]\n"
      "  set format x ''\n"
      "  set ylabel 'accuracy'\n"
      "  set grid\n"
      "  set key top left Left reverse font ',9'\n"
      "  plot {curves}\n"
      "  unset title\n"
      "  set tmargin at screen 0.34\n"
      "  set bmargin at screen 0.10\n"
      "  set format x '%g'\n"
      "  set xlabel 'confidence (probability of the predicted choice)'\n"
      "  set ylabel 'share of items'\n"
      "  set yrange [0:*]\n"
      "  set style fill solid 0.6 border rgb 'black'\n"
      "  plot {histogram}\n"
      "  unset multiplot\n",
      fmt::arg("title", GnuplotString(f.title)),
      fmt::arg("curves", CurvePlots(f, curves, intervals)),
      fmt::arg("histogram", HistogramPlots(f, curves)));
  return ScriptFrame(f.name, f.title, 720, 640, body);
}

constexpr const char* kCaption =
    "Top: accuracy against confidence. Points are equal-width bins (mean confidence, accuracy) "
    "with the bootstrap band of the accuracy; the line is the smooth reliability curve (the "
    "smooth-ECE kernel) with its shaded bootstrap band; the dashed diagonal is perfect "
    "calibration, so points below it are overconfident. Bottom: the share of items in each "
    "bin, with the kernel density of the confidences scaled to a bin.";

constexpr const char* kCaptionWithoutIntervals =
    "Top: accuracy against confidence. Points are equal-width bins (mean confidence, accuracy); "
    "the line is the smooth reliability curve (the smooth-ECE kernel); the dashed diagonal is "
    "perfect calibration, so points below it are overconfident. Bottom: the share of items in "
    "each bin, with the kernel density of the confidences scaled to a bin. No bootstrap "
    "intervals were computed (--bootstrap 0), so no band is drawn.";

Figure ReliabilityFigure(const std::string& name, const std::string& title,
                         const std::vector<Curve>& curves, bool intervals) {
  Figure f;
  f.name = name;
  f.title = title;
  f.caption = intervals ? kCaption : kCaptionWithoutIntervals;
  f.data.push_back(BinsData(name, title, curves));
  f.data.push_back(SmoothData(name, title, curves));
  f.script = ReliabilityScript(f, curves, intervals);
  return f;
}

}  // namespace

std::vector<Figure> ReliabilityFigures(const analysis::ResultIndex& index, FigureNames& names) {
  const analysis::StudyResults& r = index.results();
  const bool intervals = r.analysis.intervals();
  std::vector<Figure> figures;
  for (const analysis::ModelPair& pair : r.pairs) {
    for (const std::string& task : r.tasks) {
      for (const std::string& method : r.methods) {
        std::vector<Curve> curves;
        if (const analysis::ReliabilityDiagram* d =
                Drawable(index.Reliability(pair.base, task, method)))
          curves.push_back({"PT", pair.base, d, SeriesColor(0)});
        if (const analysis::ReliabilityDiagram* d =
                Drawable(index.Reliability(pair.instruct, task, method)))
          curves.push_back({"IT", pair.instruct, d, SeriesColor(1)});
        if (curves.empty())
          continue;
        figures.push_back(ReliabilityFigure(
            names.Claim(fmt::format("reliability_{}_{}_{}", pair.name, task, method)),
            fmt::format("Reliability: {}, {}, method {}", pair.name, task, method), curves,
            intervals));
      }
    }
  }
  for (const std::string& model : index.UnpairedModels()) {
    for (const std::string& task : r.tasks) {
      for (const std::string& method : r.methods) {
        const analysis::ReliabilityDiagram* d = Drawable(index.Reliability(model, task, method));
        if (!d)
          continue;
        figures.push_back(
            ReliabilityFigure(names.Claim(fmt::format("reliability_{}_{}_{}", model, task, method)),
                              fmt::format("Reliability: {}, {}, method {}", model, task, method),
                              {{"", model, d, SeriesColor(0)}}, intervals));
      }
    }
  }
  return figures;
}

}  // namespace llmcal::report
