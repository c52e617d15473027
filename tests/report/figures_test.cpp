// Figures: the numbers in every data file the report writes equal the tables'
// numbers (read back from the files, compared exactly); names come out of a
// real gnuplot as themselves; a broken, stuck or missing gnuplot is an error
// naming the figure, never a crash or a hang.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "report/figures.h"
#include "report/gnuplot.h"
#include "report/html_report.h"
#include "report/result_tables.h"
#include "report/study_fixture.h"
#include "report/text_file.h"
#include "support/test_data.h"

namespace llmcal::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// One data file read back: per block, rows as column name -> text.
using DatRow = std::map<std::string, std::string>;
struct DatFile {
  std::vector<std::string> columns;
  std::vector<std::vector<DatRow>> blocks;
};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, '\t'))
    out.push_back(cell);
  return out;
}

DatFile ReadDat(const fs::path& path) {
  std::ifstream in(path);
  DatFile dat;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("# columns: ")) {
      dat.columns = SplitTabs(line.substr(11));
    } else if (line.starts_with("# block ")) {
      dat.blocks.emplace_back();
    } else if (!line.empty() && !line.starts_with("#")) {
      const std::vector<std::string> cells = SplitTabs(line);
      EXPECT_EQ(cells.size(), dat.columns.size()) << path << ": " << line;
      DatRow row;
      for (std::size_t j = 0; j < cells.size() && j < dat.columns.size(); ++j)
        row[dat.columns[j]] = cells[j];
      dat.blocks.back().push_back(row);
    }
  }
  return dat;
}

// A plotted number: NaN when missing.
double Plotted(const DatRow& row, const std::string& column) {
  const std::string& text = row.at(column);
  return text == "NaN" ? NAN : std::stod(text);  // strtod: the nearest double, so exact
}

// A table number: NaN for null (undefined or missing).
double Tabled(const json& v) {
  return v.is_null() ? NAN : v.get<double>();
}

bool Same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

using Key = std::tuple<std::string, std::string, std::string, std::string>;

std::map<Key, json> IndexRows(const Table& table, const char* a, const char* b, const char* c,
                              const char* d) {
  std::map<Key, json> out;
  for (const json& row : json::parse(RenderTable(table, TableFormat::kJson)))
    out[Key(row[a], row[b], row[c], row[d])] = row;
  return out;
}

class PlottedValues : public ::testing::Test {
 protected:
  void SetUp() override {
    results_ = testing::FixtureStudy();
    ReportOptions options;
    options.gnuplot = "llmcal-test-no-such-gnuplot";  // the data files are written regardless
    out_ = llmcal::testing::FreshTempDir("report-figures");
    WriteReport(results_, options, out_);
    const analysis::ResultIndex index(results_);
    metrics_ = IndexRows(MetricsTable(index), "model", "task", "method", "metric");
    changes_ = IndexRows(ChangeTable(index), "pair", "task", "method", "metric");
    sensitivity_ = json::parse(RenderTable(SensitivityTable(index), TableFormat::kJson));
  }

  std::vector<fs::path> DataFiles(const std::string& prefix, const std::string& suffix) const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(out_ / "figures")) {
      const std::string name = e.path().filename().string();
      if (name.starts_with(prefix) && name.ends_with(suffix))
        out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // Checks a change-bar row against the change table; returns 1.
  int CheckChangeRow(const DatRow& row) {
    const json& c =
        changes_.at(Key(row.at("pair"), row.at("task"), row.at("method"), row.at("metric")));
    EXPECT_TRUE(Same(Plotted(row, "change_rate"), Tabled(c["change_rate"]))) << c;
    EXPECT_TRUE(Same(Plotted(row, "ci_lo"), Tabled(c["change_rate_ci"][0]))) << c;
    EXPECT_TRUE(Same(Plotted(row, "ci_hi"), Tabled(c["change_rate_ci"][1]))) << c;
    EXPECT_EQ(row.at("significant") == "1", c["significant"] == "yes") << c;
    return 1;
  }

  analysis::StudyResults results_;
  fs::path out_;
  std::map<Key, json> metrics_, changes_;
  json sensitivity_;
};

TEST_F(PlottedValues, Figure1MetricBarsEqualTheMetricsTable) {
  int rows = 0;
  for (const fs::path& path : DataFiles("figure1_", ".values.dat")) {
    for (const auto& block : ReadDat(path).blocks) {
      for (const DatRow& row : block) {
        const json& m =
            metrics_.at(Key(row.at("model"), row.at("task"), row.at("method"), row.at("metric")));
        EXPECT_TRUE(Same(Plotted(row, "value"), Tabled(m["value"]))) << path << m;
        EXPECT_TRUE(Same(Plotted(row, "ci_lo"), Tabled(m["ci"][0]))) << path << m;
        EXPECT_TRUE(Same(Plotted(row, "ci_hi"), Tabled(m["ci"][1]))) << path << m;
        EXPECT_EQ(Plotted(row, "n"), m["n"].get<double>());
        ++rows;
      }
    }
  }
  // 2 pairs x 3 methods figures, each 2 metrics x 2 models x 3 tasks.
  EXPECT_EQ(rows, 2 * 3 * 2 * 2 * 3);
}

TEST_F(PlottedValues, ChangeBarsEqualTheChangeTable) {
  int figure1 = 0, figure2 = 0;
  for (const fs::path& path : DataFiles("figure1_", ".changes.dat")) {
    for (const auto& block : ReadDat(path).blocks) {
      for (const DatRow& row : block)
        figure1 += CheckChangeRow(row);
    }
  }
  for (const fs::path& path : DataFiles("figure2_", ".dat")) {
    for (const auto& block : ReadDat(path).blocks) {
      for (const DatRow& row : block) {
        EXPECT_EQ(row.at("metric"), "sce");
        figure2 += CheckChangeRow(row);
      }
    }
  }
  EXPECT_EQ(figure1, 2 * 3 * 2 * 3);  // pairs x methods x metrics x tasks
  EXPECT_EQ(figure2, 3 * 2 * 3);      // methods x pairs x tasks
}

TEST_F(PlottedValues, SensitivityCellsEqualTheTables) {
  int cells = 0, flags = 0;
  for (const fs::path& path : DataFiles("sensitivity_", ".dat")) {
    const bool is_flags = path.string().ends_with(".flags.dat");
    for (const auto& block : ReadDat(path).blocks) {
      for (const DatRow& row : block) {
        const auto table_row =
            std::find_if(sensitivity_.begin(), sensitivity_.end(), [&](const json& r) {
              return r["pair"] == row.at("pair") && r["task"] == row.at("task") &&
                     r["method"] == row.at("method");
            });
        ASSERT_NE(table_row, sensitivity_.end());
        if (is_flags) {
          EXPECT_EQ((*table_row)["agreement"],
                    row.at("agreement") == "2" ? "significant both ways" : "directions differ");
          ++flags;
          continue;
        }
        EXPECT_EQ(row.at("text"), (*table_row)[row.at("metric")]) << path;
        const json& c =
            changes_.at(Key(row.at("pair"), row.at("task"), row.at("method"), row.at("metric")));
        EXPECT_TRUE(Same(Plotted(row, "change_rate"), Tabled(c["change_rate"])));
        const double difference = Tabled(c["difference"]);
        if (!std::isnan(difference) && difference != 0) {
          // Every calibration-error metric is lower-is-better: a rise is worse (+1).
          EXPECT_EQ(Plotted(row, "direction"), difference > 0 ? 1 : -1);
        }
        ++cells;
      }
    }
  }
  EXPECT_EQ(cells, 3 * 2 * 3 * 10);  // methods x pairs x tasks x calibration-error metrics
  int disagreeing = 0;
  for (const json& r : sensitivity_)
    disagreeing += r["agreement"] != "agree";
  EXPECT_EQ(flags, disagreeing);
  EXPECT_GE(flags, 1);
}

TEST_F(PlottedValues, ReliabilityPointsEqualTheData) {
  const analysis::ResultIndex index(results_);
  int bins = 0, points = 0;
  for (const fs::path& path : DataFiles("reliability_", ".bins.dat")) {
    for (const auto& block : ReadDat(path).blocks) {
      ASSERT_FALSE(block.empty());
      const analysis::ReliabilityDiagram* d =
          index.Reliability(block[0].at("model"), block[0].at("task"), block[0].at("method"));
      ASSERT_NE(d, nullptr);
      ASSERT_EQ(block.size(), d->bins.size());
      std::int64_t total = 0;
      for (const analysis::ReliabilityBin& b : d->bins)
        total += b.count;
      for (std::size_t i = 0; i < block.size(); ++i) {
        const analysis::ReliabilityBin& b = d->bins[i];
        EXPECT_EQ(Plotted(block[i], "lo"), b.lo);
        EXPECT_EQ(Plotted(block[i], "count"), static_cast<double>(b.count));
        EXPECT_TRUE(Same(Plotted(block[i], "confidence"), b.confidence));
        EXPECT_TRUE(Same(Plotted(block[i], "accuracy"), b.accuracy));
        EXPECT_TRUE(
            Same(Plotted(block[i], "band_lo"), b.accuracy_band ? b.accuracy_band->lo : NAN));
        EXPECT_EQ(Plotted(block[i], "share"),
                  static_cast<double>(b.count) / static_cast<double>(total));
        ++bins;
      }
    }
  }
  for (const fs::path& path : DataFiles("reliability_", ".smooth.dat")) {
    for (const auto& block : ReadDat(path).blocks) {
      const analysis::ReliabilityDiagram* d =
          index.Reliability(block.at(0).at("model"), block[0].at("task"), block[0].at("method"));
      ASSERT_NE(d, nullptr);
      ASSERT_EQ(block.size(), d->smooth.size());
      for (std::size_t i = 0; i < block.size(); ++i) {
        EXPECT_EQ(Plotted(block[i], "t"), d->smooth[i].t);
        EXPECT_EQ(Plotted(block[i], "accuracy"), d->smooth[i].accuracy);
        EXPECT_EQ(Plotted(block[i], "band_hi"), d->smooth[i].band->hi);
        EXPECT_EQ(Plotted(block[i], "density"), d->smooth[i].density);
        ++points;
      }
    }
  }
  EXPECT_EQ(bins, 4 * 3 * 3 * 10);    // models x tasks x methods x bins
  EXPECT_EQ(points, 4 * 3 * 3 * 51);  // ... x grid points
}

// Without intervals a data file says that significance is undefined (NaN),
// not that a change is insignificant (0), and holds no interval or star.
TEST(PlottedWithoutIntervals, SignificanceIsUndefined) {
  ReportOptions options;
  options.gnuplot = "llmcal-test-no-such-gnuplot";
  const fs::path out = llmcal::testing::FreshTempDir("report-figures-nointervals");
  WriteReport(testing::FixtureStudyWithoutIntervals(), options, out);
  int rows = 0;
  for (const auto& e : fs::directory_iterator(out / "figures")) {
    const std::string name = e.path().filename().string();
    const bool changes = name.ends_with(".changes.dat") || name.starts_with("figure2_") ||
                         (name.starts_with("sensitivity_") && !name.ends_with(".flags.dat"));
    if (!changes || !name.ends_with(".dat"))
      continue;
    for (const auto& block : ReadDat(e.path()).blocks) {
      for (const DatRow& row : block) {
        for (const char* column : {"significant", "ci_lo", "ci_hi"})
          EXPECT_EQ(row.at(column), "NaN") << name << " " << column;
        if (row.contains("star_up")) {
          EXPECT_EQ(row.at("star_up"), "NaN") << name;
          EXPECT_EQ(row.at("star_down"), "NaN") << name;
        }
        ++rows;
      }
    }
  }
  // Figure 1 changes, Figure 2, sensitivity cells (as in PlottedValues).
  EXPECT_EQ(rows, 2 * 3 * 2 * 3 + 3 * 2 * 3 + 3 * 2 * 3 * 10);
}

// ---- gnuplot itself ----

fs::path GnuplotPath() {
  const std::optional<fs::path> exe = FindProgram("gnuplot");
  if (!exe)
    ADD_FAILURE() << "gnuplot is not on PATH: scripts/setup.sh installs gnuplot-nox";
  return exe.value_or("gnuplot");
}

std::string Unescaped(std::string svg) {
  for (const auto& [entity, text] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}) {
    for (std::size_t at = svg.find(entity); at != std::string::npos;
         at = svg.find(entity, at + text.size())) {
      svg.replace(at, entity.size(), text);
    }
  }
  return svg;
}

// The fixture's first pair on one task and method, renamed with every
// character that means something to gnuplot, SVG or a shell.
analysis::StudyResults AwkwardNames() {
  const analysis::StudyResults fixture = testing::FixtureStudy();
  const std::string base = "base_1 it's \"q\" $HOME", chat = "chat<b>&{x}^2@";
  const std::map<std::string, std::string> rename = {{"llama-2-7b", base},
                                                     {"llama-2-7b-chat", chat}};
  const auto kept = [](const std::string& task, const std::string& method) {
    return task == "arc_easy" && method == "choice";
  };
  analysis::StudyResults r;
  r.models = {base, chat};
  r.pairs = {{"Pair_A 'quoted' & <tagged>", base, chat}};
  r.tasks = {"arc_easy"};
  r.methods = {"choice"};
  r.metrics = fixture.metrics;
  for (analysis::MetricEstimate e : fixture.estimates) {
    if (rename.contains(e.model) && kept(e.task, e.method)) {
      e.model = rename.at(e.model);
      r.estimates.push_back(e);
    }
  }
  for (analysis::ChangeEstimate c : fixture.changes) {
    if (c.pair == "Llama-2-7b" && kept(c.task, c.method)) {
      c.pair = r.pairs[0].name;
      r.changes.push_back(c);
    }
  }
  for (analysis::ReliabilityDiagram d : fixture.reliability) {
    if (rename.contains(d.model) && kept(d.task, d.method)) {
      d.model = rename.at(d.model);
      r.reliability.push_back(d);
    }
  }
  return r;
}

TEST(Gnuplot, DrawsNamesAsThemselves) {
  const analysis::StudyResults r = AwkwardNames();
  ReportOptions options;
  options.gnuplot = GnuplotPath().string();
  const fs::path out = llmcal::testing::FreshTempDir("report-names");
  const ReportFiles files = WriteReport(r, options, out);
  ASSERT_TRUE(files.figures_drawn);
  int svgs = 0;
  for (const fs::path& p : files.figures) {
    if (p.extension() == ".pdf") {
      EXPECT_TRUE(ReadTextFile(p).starts_with("%PDF")) << p;
    }
    if (p.extension() != ".svg")
      continue;
    ++svgs;
    const std::string svg = Unescaped(ReadTextFile(p));
    const std::string name = p.filename().string();
    if (name.starts_with("figure1") || name.starts_with("reliability")) {
      EXPECT_NE(svg.find("base_1 it's \"q\" $HOME"), std::string::npos) << name;
      EXPECT_NE(svg.find("chat<b>&{x}^2@"), std::string::npos) << name;
    }
    EXPECT_NE(svg.find("Pair_A 'quoted' & <tagged>"), std::string::npos) << name;
  }
  EXPECT_EQ(svgs, 4);  // figure 1, figure 2, sensitivity, reliability
  const std::string html = ReadTextFile(files.html);
  EXPECT_NE(html.find("Pair_A &#39;quoted&#39; &amp; &lt;tagged&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<tagged>"), std::string::npos);
}

Figure ScriptOnly(const std::string& name, const std::string& script) {
  Figure f;
  f.name = name;
  f.title = name;
  f.script = script;
  return f;
}

std::string DrawError(const Figure& f, std::chrono::milliseconds timeout) {
  const fs::path dir = llmcal::testing::FreshTempDir("report-gnuplot");
  WriteFigureFiles(dir, f);
  try {
    Gnuplot(GnuplotPath(), timeout).Draw(dir, f);
  } catch (const FigureError& e) {
    return e.what();
  }
  return "drawn";
}

TEST(Gnuplot, AnErrorNamesTheFigureAndQuotesGnuplot) {
  const std::string message = DrawError(
      ScriptOnly("broken_fig",
                 ScriptFrame("broken_fig", "t", 100, 100, "  plot sin(x) with nonsense_style\n")),
      std::chrono::seconds(60));
  EXPECT_NE(message.find("figure 'broken_fig': gnuplot exited with status"), std::string::npos)
      << message;
  EXPECT_NE(message.find("unrecognized plot type"), std::string::npos)
      << message;  // gnuplot's words
}

TEST(Gnuplot, AStuckGnuplotIsStoppedAtTheTimeLimit) {
  const std::string message = DrawError(
      ScriptOnly("stuck_fig", ScriptFrame("stuck_fig", "t", 100, 100, "  pause 30\n  plot x\n")),
      std::chrono::milliseconds(300));
  EXPECT_NE(message.find("figure 'stuck_fig': gnuplot ran past the time limit of 0.3 s per figure"),
            std::string::npos)
      << message;
}

TEST(Gnuplot, ASilentScriptThatDrawsNothingIsAnError) {
  const std::string message =
      DrawError(ScriptOnly("empty_fig", "print 'nothing'\n"), std::chrono::seconds(60));
  EXPECT_NE(message.find("figure 'empty_fig': gnuplot wrote no empty_fig.svg"), std::string::npos)
      << message;
}

TEST(Gnuplot, AMissingProgramCannotStart) {
  const fs::path dir = llmcal::testing::FreshTempDir("report-gnuplot");
  const Figure f = ScriptOnly("f", "plot x\n");
  WriteFigureFiles(dir, f);
  try {
    Gnuplot(dir / "no-gnuplot-here", std::chrono::seconds(5)).Draw(dir, f);
    ADD_FAILURE() << "drawn";
  } catch (const FigureError& e) {
    EXPECT_NE(std::string(e.what()).find("figure 'f': cannot start"), std::string::npos)
        << e.what();
  }
}

TEST(FindProgram, LooksOnPathOrTakesAPath) {
  ASSERT_TRUE(FindProgram("sh"));
  EXPECT_TRUE(fs::exists(*FindProgram("sh")));
  EXPECT_FALSE(FindProgram("llmcal-no-such-program"));
  EXPECT_FALSE(FindProgram(""));
  const fs::path dir = llmcal::testing::FreshTempDir("report-find");
  WriteTextFile(dir / "not-executable", "");
  EXPECT_FALSE(FindProgram((dir / "not-executable").string()));
  EXPECT_TRUE(FindProgram("/bin/sh"));
}

TEST(FigureNames, StemsAreSafeAndUnique) {
  FigureNames names;
  EXPECT_EQ(names.Claim("figure1_Llama-2 7b/chat_choice"), "figure1_Llama-2_7b_chat_choice");
  EXPECT_EQ(names.Claim("a_b"), "a_b");
  EXPECT_EQ(names.Claim("a.b"), "a_b-2");
  EXPECT_EQ(names.Claim("a  b"), "a_b-3");
  EXPECT_EQ(names.Claim("selective_acc@0.1"), "selective_acc_0_1");
  EXPECT_EQ(names.Claim("ünï"), "_n_");
}

TEST(DataFile, LabelsStayInTheirColumnAndMissingNumbersAreNaN) {
  DataFile file("x.dat", "test", {"label", "value"});
  EXPECT_THROW(file.AddRow({std::string("before a block"), 1.0}), std::logic_error);
  file.StartBlock("first");
  file.AddRow({std::string("tab\there \"quoted\"\nnext"), NAN});
  file.AddRow({std::string(), INFINITY});
  file.AddRow({std::string("x"), 0.1 + 0.2});
  EXPECT_THROW(file.AddRow({1.0}), std::logic_error);
  file.StartBlock("second");
  EXPECT_EQ(file.text(),
            "# test\n# columns: label\tvalue\n# block 0: first\n"
            "tab here 'quoted' next\tNaN\n-\tNaN\nx\t0.30000000000000004\n"
            "\n\n# block 1: second\n");
  EXPECT_EQ(file.rows(), 3);
  EXPECT_EQ(file.blocks(), 2);
}

}  // namespace
}  // namespace llmcal::report
