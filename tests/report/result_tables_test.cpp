// The result tables against independent computations: values looked up in
// the data model directly, summary counts by a plain loop over the changes,
// hand-made rank tables with ties, and the paper's Table 1 rebuilt from its
// published change tables (tests/paper_results/choice.csv).
#include "report/result_tables.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calibration/comparisons.h"
#include "report/study_fixture.h"
#include "support/csv_rows.h"
#include "support/test_data.h"

namespace llmcal::report {
namespace {

using nlohmann::json;

// Rows of a rendered table as JSON objects: what a user of --format json reads.
json Rows(const Table& table) {
  return json::parse(RenderTable(table, TableFormat::kJson));
}

double Number(const json& v) {
  return v.is_null() ? NAN : v.get<double>();
}

TEST(MetricsTable, EveryEstimateOnceWithItsValueAndInterval) {
  const analysis::StudyResults r = testing::FixtureStudy();
  const analysis::ResultIndex index(r);
  const json rows = Rows(MetricsTable(index));
  ASSERT_EQ(rows.size(), r.estimates.size());
  int undefined = 0;
  for (const json& row : rows) {
    const auto e = std::find_if(r.estimates.begin(), r.estimates.end(), [&](const auto& x) {
      return x.model == row["model"] && x.task == row["task"] && x.method == row["method"] &&
             x.metric == row["metric"];
    });
    ASSERT_NE(e, r.estimates.end()) << row;
    EXPECT_EQ(row["n"], e->n);
    if (!e->defined()) {
      ++undefined;
      EXPECT_TRUE(row["value"].is_null());
      EXPECT_EQ(row["reason"], e->undefined_reason);
      continue;
    }
    EXPECT_EQ(row["value"].get<double>(), e->value) << row;
    EXPECT_EQ(row["ci"][0].get<double>(), e->ci->lo) << row;
    EXPECT_EQ(row["ci"][1].get<double>(), e->ci->hi) << row;
    EXPECT_TRUE(row["reason"].is_null());
  }
  EXPECT_EQ(undefined, 1);
}

TEST(ChangeTable, SignificanceIsTheDifferenceIntervalExcludingZero) {
  const analysis::StudyResults r = testing::FixtureStudy();
  const json rows = Rows(ChangeTable(analysis::ResultIndex(r)));
  ASSERT_EQ(rows.size(), r.changes.size());
  int significant = 0, not_significant = 0;
  for (const json& row : rows) {
    if (row["difference_ci"].is_null()) {
      EXPECT_TRUE(row["significant"].is_null()) << row;
      EXPECT_FALSE(row["reason"].is_null()) << row;
      continue;
    }
    const double lo = row["difference_ci"][0], hi = row["difference_ci"][1];
    const bool excludes_zero = lo > 0 || hi < 0;
    EXPECT_EQ(row["significant"], excludes_zero ? "yes" : "no") << row;
    (excludes_zero ? significant : not_significant)++;
    EXPECT_EQ(row["difference"].get<double>(), Number(row["it"]) - Number(row["pt"])) << row;
    EXPECT_EQ(row["change_rate"].get<double>(),
              calibration::ChangeRate(row["pt"].get<double>(), row["it"].get<double>()));
  }
  EXPECT_GT(significant, 0);
  EXPECT_GT(not_significant, 0);
}

TEST(ChangeTable, SignificanceIsUndefinedWithoutIntervals) {
  const analysis::StudyResults r = testing::FixtureStudyWithoutIntervals();
  const Table table = ChangeTable(analysis::ResultIndex(r));
  int undefined = 0;
  for (const json& row : Rows(table)) {
    if (!row["reason"].is_null()) {
      EXPECT_TRUE(row["significant"].is_null()) << row;  // the change itself is undefined
      continue;
    }
    EXPECT_EQ(row["significant"], "undefined") << row;
    ++undefined;
  }
  EXPECT_GT(undefined, 0);
  EXPECT_NE(table.note().find("significance is undefined"), std::string::npos);
}

TEST(SummaryTable, CountsNoChangeAsNeitherWithoutIntervals) {
  const analysis::StudyResults r = testing::FixtureStudyWithoutIntervals();
  const Table table = SummaryTable(analysis::ResultIndex(r));
  for (const json& row : Rows(table)) {
    EXPECT_TRUE(row["worse"].is_null()) << row;
    EXPECT_TRUE(row["better"].is_null()) << row;
    EXPECT_TRUE(row["neither"].is_null()) << row;
    EXPECT_EQ(row["combinations"], 9);
  }
  EXPECT_NE(table.note().find("significance is undefined"), std::string::npos);
}

// Naive reference: count straight from the list of changes.
TEST(SummaryTable, CountsEqualAPlainCountOfTheChanges) {
  const analysis::StudyResults r = testing::FixtureStudy();
  const json rows = Rows(SummaryTable(analysis::ResultIndex(r)));
  ASSERT_EQ(rows.size(), r.pairs.size() * r.metrics.size());
  for (const json& row : rows) {
    const analysis::MetricInfo& m =
        *std::find_if(r.metrics.begin(), r.metrics.end(),
                      [&](const analysis::MetricInfo& x) { return x.name == row["metric"]; });
    std::int64_t worse = 0, better = 0, neither = 0, undefined = 0;
    for (const analysis::ChangeEstimate& c : r.changes) {
      if (c.pair != row["pair"] || c.metric != m.name)
        continue;
      if (!c.defined()) {
        ++undefined;
        continue;
      }
      const bool significant = c.difference_ci->lo > 0 || c.difference_ci->hi < 0;
      const bool rose = c.difference > 0;
      if (significant && c.difference != 0 && rose == m.lower_is_better) {
        ++worse;
      } else if (significant && c.difference != 0) {
        ++better;
      } else {
        ++neither;
      }
    }
    EXPECT_EQ(row["worse"], worse) << row;
    EXPECT_EQ(row["better"], better) << row;
    EXPECT_EQ(row["neither"], neither) << row;
    EXPECT_EQ(row["undefined"], undefined) << row;
    EXPECT_EQ(row["combinations"], 9);
  }
}

TEST(SensitivityTable, FlagsThePapersHeadlineCase) {
  const analysis::StudyResults r = testing::FixtureStudy();
  const json rows = Rows(SensitivityTable(analysis::ResultIndex(r)));
  ASSERT_EQ(rows.size(), r.pairs.size() * r.tasks.size() * r.methods.size());
  int flagged = 0;
  for (const json& row : rows) {
    flagged += row["agreement"] != "agree";
    if (row["pair"] == "OLMo_7B" && row["task"] == "hellaswag" && row["method"] == "sum") {
      EXPECT_EQ(row["ece"], "-35.0%*");
      EXPECT_EQ(row["sce"], "+30.0%*");
      EXPECT_EQ(row["agreement"], "significant both ways");
    }
    EXPECT_FALSE(row.contains("accuracy")) << "accuracy is no calibration error";
    EXPECT_TRUE(row.contains("sce_cl"));
  }
  EXPECT_GE(flagged, 1);
}

TEST(SensitivityTable, PromisesNoMarkWithoutIntervals) {
  const analysis::StudyResults r = testing::FixtureStudyWithoutIntervals();
  const Table table = SensitivityTable(analysis::ResultIndex(r));
  EXPECT_EQ(table.title(), "Change rate under every calibration-error metric");
  EXPECT_NE(table.note().find("significance is undefined"), std::string::npos);
  for (const json& row : Rows(table)) {
    if (row["pair"] == "OLMo_7B" && row["task"] == "hellaswag" && row["method"] == "sum") {
      EXPECT_EQ(row["ece"], "-35.0%");
      EXPECT_EQ(row["agreement"], "directions differ");  // both ways, neither significant
    }
    EXPECT_EQ(row.dump().find('*'), std::string::npos) << row;
  }
  // With intervals the title promises the mark and there is no note.
  const Table with = SensitivityTable(analysis::ResultIndex(testing::FixtureStudy()));
  EXPECT_EQ(with.title(), "Change rate under every calibration-error metric (* significant)");
  EXPECT_EQ(with.note(), "");
}

TEST(MetricsTable, SaysWhyItsIntervalsAreEmptyWithoutBootstrap) {
  const analysis::StudyResults r = testing::FixtureStudyWithoutIntervals();
  const Table table = MetricsTable(analysis::ResultIndex(r));
  EXPECT_EQ(table.note(), "No bootstrap intervals were computed (--bootstrap 0).");
  for (const json& row : Rows(table))
    EXPECT_TRUE(row["ci"].is_null()) << row;
  EXPECT_EQ(MetricsTable(analysis::ResultIndex(testing::FixtureStudy())).note(), "");
}

analysis::Ranking HandRanking() {
  // Change rates 40, 25, 25, 10 in task a; b ranks the pairs alike; c differs.
  analysis::Ranking r;
  r.metric = "sce";
  r.method = "choice";
  r.tasks = {{"a", {{"P", 40, 1}, {"Q", 25, 2}, {"R", 25, 2}, {"S", 10, 4}}},
             {"b", {{"P", 9, 1}, {"Q", 7, 2}, {"R", 7, 2}, {"S", 1, 4}}},
             {"c", {{"S", 3, 1}, {"P", 2, 2}, {"Q", 1, 3}, {"R", 0, 4}}}};
  r.concordance = calibration::KendallsW({{40, 25, 25, 10}, {9, 7, 7, 1}, {2, 1, 0, 3}});
  return r;
}

TEST(RankTable, PaperLayoutWithTiesAndMergedTasks) {
  const Table t = RankTable(HandRanking());
  // W by hand: average ranks give rank sums P 4, Q 8, R 9, S 9 (mean 7.5), so
  // S = 17; ties T = 2 * (2^3 - 2) = 12; W = 12 S / (m^2 (n^3 - n) - m T) =
  // 204 / 504 = 0.405; chi-square = m (n - 1) W = 3.643 on 3 df, p = 0.303.
  EXPECT_EQ(RenderTable(t, TableFormat::kText),
            "Rank of the change rate of sce (method choice)\n"
            "\n"
            "rank  a, b    c\n"
            "----  ------  -\n"
            "   1  P       S\n"
            "   2  Q (=2)  P\n"
            "   3  R (=2)  Q\n"
            "   4  S       R\n"
            "\n"
            "Kendall's W = 0.405 (chi-square = 3.643, df = 3, p = 0.303) over 3 tasks. Ranks are "
            "competition ranks of the unrounded change rates (1 = largest); tied pairs share the "
            "lower rank, written (=r).\n");
  EXPECT_EQ(t.columns()[1].key, "a+b");
}

// The paper's Table 1 (PAPER.md): SCE change-rate ranks under the choice
// method, rebuilt from the published change table.
TEST(RankTable, ReproducesThePapersTable1) {
  const std::vector<llmcal::testing::CsvRow> rows =
      llmcal::testing::ReadCsvFile(llmcal::testing::PaperResultsDir() / "choice.csv");
  std::map<std::string, std::vector<analysis::RankEntry>> by_task;
  std::string block;
  for (const auto& row : rows) {
    if (row.size() >= 2 && row[1] == "choice") {
      block = row[0];
    } else if (row.size() >= 7 && !row[0].empty() && !block.empty()) {
      // Columns: model, ece change, ece ratio, ece rank, sce change, sce ratio, sce rank, ...
      by_task[block].push_back({row[0], std::stod(row[5]), std::stoi(row[6])});
    }
  }
  analysis::Ranking ranking;
  ranking.metric = "sce";
  ranking.method = "choice";
  for (const char* task :
       {"arc_easy", "mmlu_stem", "mmlu_humanities", "piqa", "hellaswag", "medmcqa"}) {
    std::vector<analysis::RankEntry> entries = by_task.at(task);
    ASSERT_EQ(entries.size(), 7u) << task;
    std::stable_sort(
        entries.begin(), entries.end(),
        [](const analysis::RankEntry& x, const analysis::RankEntry& y) { return x.rank < y.rank; });
    ranking.tasks.push_back({task, entries});
  }
  const json table = Rows(RankTable(ranking));
  const std::vector<std::vector<std::string>> paper = {
      {"OLMo-7B", "Llama-2-7b", "gemma-7b", "Llama-3-8B", "Mistral-7B", "Llama-3-70B", "Qwen2-72B"},
      {"OLMo-7B", "Llama-2-7b", "gemma-7b", "Llama-3-8B", "Llama-3-70B", "Mistral-7B", "Qwen2-72B"},
      {"OLMo-7B", "gemma-7b", "Llama-2-7b", "Llama-3-70B", "Llama-3-8B", "Mistral-7B",
       "Qwen2-72B"}};
  const std::vector<std::string> keys = {"arc_easy+mmlu_stem+mmlu_humanities+piqa", "hellaswag",
                                         "medmcqa"};
  ASSERT_EQ(table.size(), 7u);
  for (std::size_t k = 0; k < 7; ++k) {
    EXPECT_EQ(table[k]["rank"], k + 1);
    ASSERT_EQ(table[k].size(), 4u) << table[k];
    for (std::size_t c = 0; c < 3; ++c)
      EXPECT_EQ(table[k][keys[c]], paper[c][k]) << "rank " << k + 1 << ", " << keys[c];
  }
}

TEST(ConcordanceTable, HoldsKendallsWOfEveryRanking) {
  const analysis::StudyResults r = testing::FixtureStudy();
  const json rows = Rows(ConcordanceTable(analysis::ResultIndex(r)));
  ASSERT_EQ(rows.size(), r.rankings.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i]["metric"], r.rankings[i].metric);
    EXPECT_EQ(rows[i]["kendall_w"].get<double>(), r.rankings[i].concordance->w);
    EXPECT_EQ(rows[i]["p_value"].get<double>(), r.rankings[i].concordance->p_value);
    EXPECT_EQ(rows[i]["tasks"], 3);
    EXPECT_EQ(rows[i]["pairs"], 2);
  }
}

TEST(ProvenanceTables, ListEveryModelFileAndRun) {
  const analysis::StudyResults r = testing::FixtureStudy();
  const json models = Rows(ModelProvenanceTable(r.provenance));
  ASSERT_EQ(models.size(), 4u);
  EXPECT_EQ(models[0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(Rows(TaskProvenanceTable(r.provenance)).size(), 3u);
  const json runs = Rows(RunProvenanceTable(r.provenance));
  ASSERT_EQ(runs.size(), r.provenance.runs.size());
  EXPECT_EQ(runs[0]["settings"], "bos=auto; ctx_size=4096; split=lm-eval");
}

}  // namespace
}  // namespace llmcal::report
