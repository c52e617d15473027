// The HTML report as written: self-contained (nothing external, every figure
// inlined with ids of its own), complete without gnuplot, honest with one
// model, and failing loudly when gnuplot fails.
#include "report/html_report.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "common/error.h"
#include "report/gnuplot.h"
#include "report/result_tables.h"
#include "report/study_fixture.h"
#include "report/study_results_json.h"
#include "report/svg_inline.h"
#include "report/text_file.h"
#include "support/test_data.h"

namespace llmcal::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

std::vector<std::string> Matches(const std::string& text, const std::regex& re, int group = 1) {
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[group]);
  }
  return out;
}

std::vector<fs::path> FilesWith(const std::vector<fs::path>& files, const std::string& ext) {
  std::vector<fs::path> out;
  for (const fs::path& p : files) {
    if (p.extension() == ext)
      out.push_back(p);
  }
  return out;
}

// The fixture drawn once with gnuplot, shared by the tests that read it.
class DrawnReport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    out_ = new fs::path(llmcal::testing::FreshTempDir("report-html"));
    files_ = new ReportFiles(WriteReport(testing::FixtureStudy(), ReportOptions{}, *out_));
    html_ = new std::string(ReadTextFile(files_->html));
  }
  static void TearDownTestSuite() {
    delete html_;
    delete files_;
    delete out_;
  }
  static fs::path* out_;
  static ReportFiles* files_;
  static std::string* html_;
};
fs::path* DrawnReport::out_ = nullptr;
ReportFiles* DrawnReport::files_ = nullptr;
std::string* DrawnReport::html_ = nullptr;

TEST_F(DrawnReport, InlinesEveryFigure) {
  ASSERT_TRUE(files_->figures_drawn) << "gnuplot missing: scripts/setup.sh installs gnuplot-nox";
  const std::vector<fs::path> svgs = FilesWith(files_->figures, ".svg");
  EXPECT_EQ(svgs.size(), 6u + 1 + 3 + 18);  // figure 1 per pair and method, figure 2,
                                            // sensitivity per method, reliability
  EXPECT_EQ(FilesWith(files_->figures, ".pdf").size(), svgs.size());
  EXPECT_EQ(Count(*html_, "<svg role=\"img\""), static_cast<int>(svgs.size()));
  for (const fs::path& svg : svgs)
    EXPECT_NE(html_->find("<figure id=\"fig-" + svg.stem().string() + "\">"), std::string::npos);
  EXPECT_EQ(html_->find("<?xml"), std::string::npos);
}

TEST_F(DrawnReport, NeedsNothingFromOutside) {
  for (const char* external : {"<script", "<link", "<img", "<iframe", "<object", "<embed",
                               "src=", "@import", "@font-face", "srcset"}) {
    EXPECT_EQ(html_->find(external), std::string::npos) << external;
  }
  for (const std::string& url : Matches(*html_, std::regex(R"(url\(([^)]*)\))")))
    EXPECT_TRUE(url.starts_with("#")) << url;
  for (const std::string& http : Matches(*html_, std::regex(R"re((https?:[^"' <>]*))re"))) {
    EXPECT_TRUE(http == "http://www.w3.org/2000/svg" || http == "http://www.w3.org/1999/xlink")
        << http;  // XML namespace names, never fetched
  }
  // Links point into the page or at files beside it.
  for (const std::string& href : Matches(*html_, std::regex(R"re(href=["']([^"']*)["'])re"))) {
    if (!href.starts_with("#")) {
      EXPECT_TRUE(fs::exists(*out_ / href)) << href;
    }
  }
}

TEST_F(DrawnReport, IdsAreUniqueAndEveryReferenceResolves) {
  const std::vector<std::string> ids = Matches(*html_, std::regex(R"re(\sid=["']([^"']+)["'])re"));
  const std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size());
  EXPECT_GT(ids.size(), 100u);
  for (const std::string& ref : Matches(*html_, std::regex(R"re(href=["']#([^"']+)["'])re")))
    EXPECT_TRUE(unique.contains(ref)) << ref;
  for (const std::string& ref : Matches(*html_, std::regex(R"(url\(#([^)]+)\))")))
    EXPECT_TRUE(unique.contains(ref)) << ref;
}

TEST_F(DrawnReport, OpensWithTheSummaryAndEndsWithProvenance) {
  const std::vector<std::string> sections =
      Matches(*html_, std::regex(R"re(<section id="([^"]+)">)re"));
  EXPECT_EQ(sections, (std::vector<std::string>{"summary", "figure1", "figure2", "sensitivity",
                                                "ranks", "reliability", "tables", "provenance"}));
  const analysis::StudyResults r = testing::FixtureStudy();
  const json sensitivity =
      json::parse(RenderTable(SensitivityTable(analysis::ResultIndex(r)), TableFormat::kJson));
  int differ = 0;
  for (const json& row : sensitivity)
    differ += row["agreement"] != "agree";
  EXPECT_NE(html_->find("disagree on the direction of the change in " + std::to_string(differ) +
                        " of 18 (pair, task, method) combinations"),
            std::string::npos);
  EXPECT_NE(html_->find(r.provenance.models[0].sha256), std::string::npos);
  EXPECT_NE(html_->find("v0.5.0 (node-llama-cpp 3.22.1)"), std::string::npos);
  EXPECT_NE(html_->find("name=\"viewport\""), std::string::npos);
}

TEST_F(DrawnReport, WritesEveryTableAndTheResultsItDrew) {
  for (const char* name :
       {"metrics.csv", "changes.json", "summary.md", "sensitivity.tex", "concordance.csv",
        "ranks.json", "table1_sce_choice.md", "table1_sce_choice.tex", "table1_sce_choice.html",
        "provenance_models.csv"}) {
    EXPECT_TRUE(fs::exists(*out_ / "tables" / name)) << name;
  }
  EXPECT_NE(ReadTextFile(*out_ / "tables" / "table1_ece_sum.tex").find("\\toprule"),
            std::string::npos);
  EXPECT_EQ(StudyResultsToJson(ReadStudyResults(files_->results_json)).dump(),
            StudyResultsToJson(testing::FixtureStudy()).dump());
}

// Words that claim an interval, a band or significance, with where they
// appear. Each is in the report of results with intervals (so the list tests
// something) and none is in the report of results without.
constexpr const char* kIntervalClaims[] = {
    "paired-bootstrap interval",      // summary; captions of Figures 1, 2, sensitivity
    "with its bootstrap interval",    // Figure 1's caption
    "bootstrap band",                 // reliability captions
    "% bootstrap intervals",          // Figure 1's left panel (SVG)
    "(* significant)",                // Figure 1's right panel (SVG), sensitivity table
    "* marks",                        // captions of Figures 1, 2, sensitivity
    "darker: significant",            // sensitivity caption
    "significantly worse",            // summary table, sensitivity legend (SVG)
    "not significant",                // sensitivity legend (SVG)
    "significant changes both ways",  // the disagreement sentence
    "excludes 0",                     // summary, captions
};

// What the scripts draw only from intervals: interval bars, stars, bands,
// error bars, the shades of significance.
constexpr const char* kIntervalPlots[] = {"with vectors", "with labels offset", "filledcurves",
                                          "yerrorbars", "significant"};

std::string Scripts(const ReportFiles& files) {
  std::string out;
  for (const fs::path& gp : FilesWith(files.figures, ".gp"))
    out += ReadTextFile(gp);
  return out;
}

TEST_F(DrawnReport, WithoutIntervalsNothingClaimsOrDrawsThem) {
  const fs::path out = llmcal::testing::FreshTempDir("report-nointervals");
  const ReportFiles files =
      WriteReport(testing::FixtureStudyWithoutIntervals(), ReportOptions{}, out);
  ASSERT_TRUE(files.figures_drawn);
  const std::string html = ReadTextFile(files.html);
  for (const char* claim : kIntervalClaims) {
    EXPECT_NE(html_->find(claim), std::string::npos) << claim;
    EXPECT_EQ(html.find(claim), std::string::npos) << claim;
  }
  const std::string with_scripts = Scripts(*files_), scripts = Scripts(files);
  for (const char* plot : kIntervalPlots) {
    EXPECT_NE(with_scripts.find(plot), std::string::npos) << plot;
    EXPECT_EQ(scripts.find(plot), std::string::npos) << plot;
  }
  // Said plainly: the summary, the captions of Figure 1 (6), Figure 2 (1) and
  // the sensitivity panels (3), and the notes of the sensitivity table and of
  // the table of every change.
  EXPECT_EQ(Count(html,
                  "No bootstrap intervals were computed (--bootstrap 0): significance is "
                  "undefined."),
            1 + 6 + 1 + 3 + 2);
  EXPECT_EQ(Count(html,
                  "No bootstrap intervals were computed (--bootstrap 0), so no band is "
                  "drawn."),
            18);
  EXPECT_NE(html.find("no bootstrap intervals were computed (--bootstrap 0), so significance is "
                      "undefined."),
            std::string::npos);  // the header
  // The summary table would hold only empty counts: the summary says why instead.
  EXPECT_EQ(html.find("<caption>Significant changes over every (task, method)"), std::string::npos);
  EXPECT_NE(html.find("disagree on the direction of the change in"), std::string::npos);
  // Every figure is still drawn, and the table files keep their columns.
  EXPECT_EQ(FilesWith(files.figures, ".svg").size(), FilesWith(files_->figures, ".svg").size());
  EXPECT_TRUE(fs::exists(out / "tables" / "summary.csv"));
}

TEST(InlineSvg, PrefixesIdsAndReferencesButNotText) {
  const std::string svg =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg viewBox='0 0 10 10'>\n<title>Gnuplot</title>"
      "<defs><path id='gpPt0' d='M0,0'/><use xlink:href='#gpPt0' id=\"gpPt1\"/></defs>"
      "<g clip-path=\"url(#clip1)\"><clipPath id='clip1'/></g>"
      "<text>id='gpPt0' href='#x' url(#y) &lt;b&gt;</text></svg>";
  EXPECT_EQ(InlineSvg(svg, "fig-a", "A & B"),
            "<svg role=\"img\" aria-label=\"A &amp; B\" viewBox='0 0 10 10'>\n<title>A &amp; "
            "B</title><defs><path id='fig-a-gpPt0' d='M0,0'/><use xlink:href='#fig-a-gpPt0' "
            "id=\"fig-a-gpPt1\"/></defs><g clip-path=\"url(#fig-a-clip1)\"><clipPath "
            "id='fig-a-clip1'/></g><text>id='gpPt0' href='#x' url(#y) &lt;b&gt;</text></svg>");
  EXPECT_THROW(InlineSvg("<html/>", "p", "t"), std::invalid_argument);
}

ReportOptions WithoutGnuplot() {
  ReportOptions options;
  options.gnuplot = "llmcal-test-no-such-gnuplot";
  return options;
}

TEST(HtmlReport, WithoutGnuplotEveryTableRemainsAndItSaysHowToGetFigures) {
  const fs::path out = llmcal::testing::FreshTempDir("report-nognuplot");
  // A drawing of the same figure left by an earlier run must not pass for this one's.
  WriteReport(testing::FixtureStudy(), ReportOptions{}, out);
  const ReportFiles files = WriteReport(testing::FixtureStudy(), WithoutGnuplot(), out);
  EXPECT_FALSE(files.figures_drawn);
  const std::string html = ReadTextFile(files.html);
  EXPECT_NE(html.find("apt-get install gnuplot-nox"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  for (const char* caption : {"Significant changes over every (task, method)",
                              "Change rate under every calibration-error metric",
                              "Rank of the change rate of sce (method choice)", "Metrics",
                              "Changes from pretrained (PT) to instruction-tuned (IT)", "Runs"}) {
    EXPECT_NE(html.find(std::string("<caption>") + caption), std::string::npos) << caption;
  }
  EXPECT_EQ(FilesWith(files.figures, ".gp").size(), 28u);
  for (const auto& entry : fs::directory_iterator(out / "figures")) {
    EXPECT_NE(entry.path().extension(), ".svg") << entry.path();
    EXPECT_NE(entry.path().extension(), ".pdf") << entry.path();
  }
}

TEST(HtmlReport, OneModelGetsItsFiguresAndIsToldComparisonsNeedAPair) {
  const fs::path out = llmcal::testing::FreshTempDir("report-single");
  const ReportFiles files = WriteReport(testing::SingleModelStudy(), ReportOptions{}, out);
  const std::string html = ReadTextFile(files.html);
  EXPECT_NE(html.find("Comparisons need a pair"), std::string::npos);
  const std::vector<fs::path> svgs = FilesWith(files.figures, ".svg");
  EXPECT_EQ(svgs.size(), 9u);  // reliability per task and method
  for (const fs::path& svg : svgs)
    EXPECT_TRUE(svg.filename().string().starts_with("reliability_llama-2-7b_")) << svg;
  EXPECT_EQ(html.find("<section id=\"figure1\">"), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "tables" / "metrics.csv"));
  EXPECT_FALSE(fs::exists(out / "tables" / "changes.csv"));
}

TEST(HtmlReport, AMissingFigureMetricIsSaid) {
  ReportOptions options = WithoutGnuplot();
  options.figures.figure2_metric = "no_such_metric";
  options.figures.figure1_metrics = {"no_such_metric"};
  const fs::path out = llmcal::testing::FreshTempDir("report-nometric");
  const std::string html = ReadTextFile(WriteReport(testing::FixtureStudy(), options, out).html);
  EXPECT_NE(html.find("Figure 2 needs the metric &#39;no_such_metric&#39;"), std::string::npos);
  EXPECT_NE(html.find("Figure 1 needs the metrics no_such_metric"), std::string::npos);
}

TEST(HtmlReport, AFailingGnuplotNamesTheFigure) {
  const fs::path dir = llmcal::testing::FreshTempDir("report-fakegnuplot");
  const fs::path fake = dir / "gnuplot";
  WriteTextFile(fake, "#!/bin/sh\necho 'boom: no terminal' >&2\nexit 4\n");
  chmod(fake.c_str(), 0755);
  ReportOptions options;
  options.gnuplot = fake.string();
  try {
    WriteReport(testing::FixtureStudy(), options, dir / "out");
    ADD_FAILURE() << "written";
  } catch (const FigureError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("figure 'figure1_Llama-2-7b_sum': gnuplot exited with status 4"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("boom: no terminal"), std::string::npos) << message;
  }
}

TEST(HtmlReport, InvalidResultsAreRefused) {
  analysis::StudyResults r = testing::FixtureStudy();
  r.estimates[0].model = "ghost";
  EXPECT_THROW(WriteReport(r, WithoutGnuplot(), llmcal::testing::FreshTempDir("report-invalid")),
               InputError);
}

}  // namespace
}  // namespace llmcal::report
