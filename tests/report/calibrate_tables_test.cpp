// The output of `llmcal calibrate` (report/calibrate_output.h: the tables of
// report/calibrate_tables.h and the JSON of report/calibrate_json.h), tested
// by data: every tests/report/calibrate_cases/*.case file describes one
// analysis::CalibrateReport and
// states its exact rendering in one or more formats, or the error a format
// gives.
//
// Case file layout (lines):
//   # comment               anywhere outside a block
//   report                  the report as the JSON document of `calibrate
//   ...                     --format json` (docs/calibration.md), on any number
//   end                     of lines, plus the keys below
//   expect FORMAT           a TableFormatName; RenderCalibrateReport's output
//   ...                     follows verbatim, up to a line holding only `end`
//   end
//   error FORMAT: TEXT      RenderCalibrateReport throws std::invalid_argument
//                           whose message holds TEXT
//
// Keys the report may carry besides the documented ones: "resamples" and
// "seed" (default 0); a band's count of defined resamples, "ci_resamples" in a
// metric or letter-bias cell and "accuracy_ci_resamples" in a bin or a point
// (default: every resample when the interval is given, else 0). A bound "inf"
// or "-inf" is an infinite one; a value null with "reason": "+infinity" is an
// infinite value.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/calibrate.h"
#include "calibration/metric_table.h"
#include "report/calibrate_output.h"
#include "report/table.h"
#include "support/case_file.h"

namespace llmcal::report {
namespace {

namespace cal = calibration;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// ---- Reading a case's report -----------------------------------------------

double Number(const json& v) {
  if (v.is_null())
    return std::numeric_limits<double>::quiet_NaN();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s != "inf" && s != "-inf")
      throw std::runtime_error("not a number: " + s);
    return (s == "inf" ? 1 : -1) * std::numeric_limits<double>::infinity();
  }
  return v.get<double>();
}

// An interval and the resamples that define it, as Calibrate makes them: no
// interval without bootstrap or when no resample defines it.
struct ReadInterval {
  std::optional<Interval> ci;
  int resamples = 0;
};

ReadInterval ReadBand(const json& interval, const json& count, int resamples) {
  const int defined = !count.is_null() ? count.get<int>() : interval.is_null() ? 0 : resamples;
  ReadInterval out{.ci = std::nullopt, .resamples = resamples > 0 ? defined : 0};
  if (resamples > 0 && defined > 0 && !interval.is_null())
    out.ci = Interval{Number(interval.at(0)), Number(interval.at(1))};
  return out;
}

// A cell {"value", "ci", "ci_resamples"?, "reason"?} of a metric or letter-bias table.
ReadInterval CellBand(const json& cell, int resamples) {
  return ReadBand(cell.at("ci"), cell.value("ci_resamples", json()), resamples);
}

analysis::MetricEstimate ReadEstimate(const std::string& name, const json& cell, int resamples,
                                      std::size_t n) {
  analysis::MetricEstimate e;
  e.metric = cal::ParseMetricSpec(name).Name();
  e.n = static_cast<std::int64_t>(n);
  const std::string reason = cell.value("reason", "");
  if (!cell.at("value").is_null()) {
    e.value = Number(cell.at("value"));
  } else if (reason == "+infinity" || reason == "-infinity") {
    e.value = (reason[0] == '+' ? 1 : -1) * std::numeric_limits<double>::infinity();
  } else {
    e.undefined_reason = reason;
  }
  const ReadInterval band = CellBand(cell, resamples);
  e.ci = band.ci;
  e.ci_resamples = band.resamples;
  return e;
}

analysis::MetricEstimates ReadEstimates(const json& metrics, int resamples, std::size_t n) {
  analysis::MetricEstimates out;
  for (const auto& [name, cell] : metrics.items())
    out.push_back(ReadEstimate(name, cell, resamples, n));
  return out;
}

analysis::ReliabilityDiagram ReadDiagram(const json& bins, const json* curve, int resamples) {
  analysis::ReliabilityDiagram out;
  for (const json& b : bins) {
    const ReadInterval band =
        ReadBand(b.at("accuracy_ci"), b.value("accuracy_ci_resamples", json()), resamples);
    out.bins.push_back({.lo = Number(b.at("lo")),
                        .hi = Number(b.at("hi")),
                        .count = b.at("count").get<std::int64_t>(),
                        .confidence = Number(b.at("confidence")),
                        .accuracy = Number(b.at("accuracy")),
                        .accuracy_band = band.ci,
                        .band_resamples = band.resamples});
  }
  if (curve == nullptr)
    return out;
  out.bandwidth = Number(curve->at("sigma"));
  out.smece = Number(curve->at("smece"));
  for (const json& p : curve->at("points")) {
    out.smooth.push_back(
        {.t = Number(p.at("t")),
         .accuracy = Number(p.at("accuracy")),
         .band =
             ReadBand(p.at("accuracy_ci"), p.value("accuracy_ci_resamples", json()), resamples).ci,
         .density = Number(p.at("density"))});
  }
  return out;
}

std::vector<analysis::LetterBiasRow> ReadLetterBias(const json& rows, int resamples) {
  std::vector<analysis::LetterBiasRow> out;
  for (const json& r : rows) {
    const auto cell = [&](const char* key) {
      const ReadInterval band = CellBand(r.at(key), resamples);
      return analysis::BandedValue{
          .value = Number(r.at(key).at("value")), .ci = band.ci, .ci_resamples = band.resamples};
    };
    out.push_back({.position = r.at("position").get<std::string>(),
                   .prediction_rate = cell("prediction_rate"),
                   .gold_rate = cell("gold_rate"),
                   .recall = cell("recall"),
                   .ece = cell("ece")});
  }
  return out;
}

analysis::CalibrateReport ReadReport(const json& j) {
  analysis::CalibrateReport r;
  r.n = j.at("n").get<std::size_t>();
  r.settings.bins = j.at("bins").get<int>();
  r.cl_bins = j.at("cl_bins").get<int>();
  r.settings.resamples = j.value("resamples", 0);
  r.settings.seed = j.value("seed", std::uint64_t{0});
  const int resamples = r.settings.resamples;
  r.metrics = ReadEstimates(j.at("metrics"), resamples, r.n);
  if (j.contains("temperature_scaling")) {
    const json& t = j["temperature_scaling"];
    const auto held_out = t.at("held_out_items").get<std::size_t>();
    r.temperature = {Number(t.at("split")),
                     Number(t.at("temperature")),
                     t.at("fit_items").get<std::size_t>(),
                     held_out,
                     ReadEstimates(t.at("before"), resamples, held_out),
                     ReadEstimates(t.at("after"), resamples, held_out)};
  }
  if (j.contains("recalibration")) {
    const json& b = j["recalibration"];
    r.recalibration = {b.at("reference").get<std::string>(),
                       Number(b.at("temperature")),
                       b.at("agreeing_items").get<std::size_t>(),
                       Number(b.at("supervised_temperature")),
                       ReadEstimates(b.at("base"), resamples, r.n),
                       ReadEstimates(b.at("before"), resamples, r.n),
                       ReadEstimates(b.at("after"), resamples, r.n),
                       ReadEstimates(b.at("supervised"), resamples, r.n)};
  }
  if (j.contains("reliability")) {
    r.reliability = ReadDiagram(
        j["reliability"], j.contains("smooth_reliability") ? &j["smooth_reliability"] : nullptr,
        resamples);
  }
  if (j.contains("letter_bias"))
    r.letter_bias = ReadLetterBias(j["letter_bias"], resamples);
  return r;
}

// ---- Case files ------------------------------------------------------------

struct Expectation {
  TableFormat format;
  std::string text;  // the rendering, or the error message's part
  bool error = false;
};

struct Case {
  json report;
  std::vector<Expectation> expectations;
};

Case ReadCase(const fs::path& path) {
  testing::CaseReader reader(path);
  Case c;
  const auto format_named = [](const testing::CaseLine& line, const std::string& name) {
    const auto format = ParseTableFormat(name);
    if (!format)
      line.Fail("unknown format " + name);
    return *format;
  };
  while (const std::optional<testing::CaseLine> line = reader.Next()) {
    const std::size_t colon = line->rest.find(": ");
    if (line->keyword == "report") {
      c.report = json::parse(testing::JoinLines(reader.Block()));
    } else if (line->keyword == "expect") {
      c.expectations.push_back(
          {format_named(*line, line->rest), testing::JoinLines(reader.Block())});
    } else if (line->keyword == "error" && colon != std::string::npos) {
      c.expectations.push_back(
          {format_named(*line, line->rest.substr(0, colon)), line->rest.substr(colon + 2), true});
    } else {
      line->Fail("unknown keyword");
    }
  }
  return c;
}

const fs::path kCasesDir = fs::path(REPORT_TEST_DIR) / "calibrate_cases";

class CalibrateCase : public ::testing::TestWithParam<std::string> {};

TEST_P(CalibrateCase, RendersAsExpected) {
  const Case c = ReadCase(kCasesDir / (GetParam() + ".case"));
  ASSERT_FALSE(c.report.is_null()) << GetParam() << " has no report";
  ASSERT_FALSE(c.expectations.empty()) << GetParam() << " expects nothing";
  const analysis::CalibrateReport report = ReadReport(c.report);
  for (const Expectation& e : c.expectations) {
    const std::string where =
        GetParam() + ".case, format " + std::string(TableFormatName(e.format));
    if (!e.error) {
      EXPECT_EQ(RenderCalibrateReport(report, e.format), e.text) << where;
      continue;
    }
    try {
      RenderCalibrateReport(report, e.format);
      ADD_FAILURE() << where << ": no error";
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find(e.text), std::string::npos)
          << where << ": " << error.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, CalibrateCase,
                         ::testing::ValuesIn(testing::CaseNames(kCasesDir, ".case")),
                         testing::CaseParamName);

TEST(CalibrateCases, ThereAreCases) {
  EXPECT_GE(testing::CaseNames(kCasesDir, ".case").size(), 8u);
}

TEST(PositionName, LettersThenNumbers) {
  EXPECT_EQ(analysis::PositionName(0), "A");
  EXPECT_EQ(analysis::PositionName(25), "Z");
  EXPECT_EQ(analysis::PositionName(26), "26");
}

}  // namespace
}  // namespace llmcal::report
