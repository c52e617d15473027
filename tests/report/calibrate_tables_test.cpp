// The output of `llmcal calibrate` (report/calibrate_tables.h and
// report/calibrate_json.h), tested by data: every
// tests/report/calibrate_cases/*.case file describes one CalibrateReport and
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
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "calibration/calibrate.h"
#include "calibration/metric_table.h"
#include "report/calibrate_json.h"
#include "report/calibrate_tables.h"
#include "report/table.h"

namespace llmcal::report {
namespace {

namespace cal = calibration;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// ---- Reading a case's report -----------------------------------------------

// MetricValue keeps its reason as a string_view: reasons live here.
std::string_view Stored(const std::string& text) {
  static std::set<std::string> texts;
  return *texts.insert(text).first;
}

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

cal::Band ReadBand(const json& interval, const json& count, int resamples) {
  cal::Band band;
  band.interval.lo = band.interval.hi = std::numeric_limits<double>::quiet_NaN();
  if (!interval.is_null())
    band.interval = {Number(interval.at(0)), Number(interval.at(1))};
  band.defined_resamples = !count.is_null() ? count.get<int>() : interval.is_null() ? 0 : resamples;
  return band;
}

// A cell {"value", "ci", "ci_resamples"?, "reason"?} of a metric or letter-bias table.
cal::Band CellBand(const json& cell, int resamples) {
  return ReadBand(cell.at("ci"), cell.value("ci_resamples", json()), resamples);
}

cal::MetricValue ReadValue(const json& cell) {
  const std::string reason = cell.value("reason", "");
  if (!cell.at("value").is_null())
    return {Number(cell.at("value")), ""};
  if (reason == "+infinity" || reason == "-infinity")
    return {(reason[0] == '+' ? 1 : -1) * std::numeric_limits<double>::infinity(), ""};
  return cal::MetricValue::Undefined(Stored(reason));
}

cal::MetricEstimates ReadEstimates(const json& metrics, int resamples) {
  cal::MetricEstimates out;
  for (const auto& [name, cell] : metrics.items())
    out.push_back({cal::ParseMetricSpec(name), ReadValue(cell), CellBand(cell, resamples)});
  return out;
}

std::vector<cal::ReliabilityBin> ReadBins(const json& bins, int resamples) {
  std::vector<cal::ReliabilityBin> out;
  for (const json& b : bins) {
    out.push_back(
        {Number(b.at("lo")), Number(b.at("hi")), b.at("count").get<std::uint64_t>(),
         Number(b.at("confidence")), Number(b.at("accuracy")),
         ReadBand(b.at("accuracy_ci"), b.value("accuracy_ci_resamples", json()), resamples)});
  }
  return out;
}

cal::SmoothReliability ReadCurve(const json& curve, int resamples) {
  cal::SmoothReliability out{Number(curve.at("sigma")), Number(curve.at("smece")), {}};
  for (const json& p : curve.at("points")) {
    out.points.push_back(
        {Number(p.at("t")), Number(p.at("accuracy")), Number(p.at("density")),
         ReadBand(p.at("accuracy_ci"), p.value("accuracy_ci_resamples", json()), resamples)});
  }
  return out;
}

std::vector<cal::LetterBiasRow> ReadLetterBias(const json& rows, int resamples) {
  std::vector<cal::LetterBiasRow> out;
  for (const json& r : rows) {
    const auto value = [&](const char* key) { return Number(r.at(key).at("value")); };
    const auto band = [&](const char* key) { return CellBand(r.at(key), resamples); };
    out.push_back({{value("prediction_rate"), value("gold_rate"), value("recall"), value("ece")},
                   band("prediction_rate"),
                   band("gold_rate"),
                   band("recall"),
                   band("ece")});
  }
  return out;
}

cal::CalibrateReport ReadReport(const json& j) {
  cal::CalibrateReport r;
  r.n = j.at("n").get<std::size_t>();
  r.bins = {.bins = j.at("bins").get<int>(), .cl_bins = j.at("cl_bins").get<int>()};
  r.resamples = j.value("resamples", 0);
  r.seed = j.value("seed", std::uint64_t{0});
  r.metrics = ReadEstimates(j.at("metrics"), r.resamples);
  if (j.contains("temperature_scaling")) {
    const json& t = j["temperature_scaling"];
    r.temperature = {Number(t.at("split")),
                     Number(t.at("temperature")),
                     t.at("fit_items").get<std::size_t>(),
                     t.at("held_out_items").get<std::size_t>(),
                     ReadEstimates(t.at("before"), r.resamples),
                     ReadEstimates(t.at("after"), r.resamples)};
  }
  if (j.contains("recalibration")) {
    const json& b = j["recalibration"];
    r.recalibration = {
        b.at("reference").get<std::string>(),      Number(b.at("temperature")),
        b.at("agreeing_items").get<std::size_t>(), Number(b.at("supervised_temperature")),
        ReadEstimates(b.at("base"), r.resamples),  ReadEstimates(b.at("before"), r.resamples),
        ReadEstimates(b.at("after"), r.resamples), ReadEstimates(b.at("supervised"), r.resamples)};
  }
  if (j.contains("reliability"))
    r.reliability = ReadBins(j["reliability"], r.resamples);
  if (j.contains("smooth_reliability"))
    r.smooth_reliability = ReadCurve(j["smooth_reliability"], r.resamples);
  if (j.contains("letter_bias"))
    r.letter_bias = ReadLetterBias(j["letter_bias"], r.resamples);
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

TableFormat FormatNamed(const std::string& name, const fs::path& path) {
  const auto format = ParseTableFormat(name);
  if (!format)
    throw std::runtime_error(path.string() + ": unknown format " + name);
  return *format;
}

// The lines up to `end`, each with its line break.
std::string Block(std::ifstream& in) {
  std::string text, line;
  while (std::getline(in, line) && line != "end")
    text += line + "\n";
  return text;
}

Case ReadCase(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  Case c;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("#")) {
      continue;
    } else if (line == "report") {
      c.report = json::parse(Block(in));
    } else if (line.starts_with("expect ")) {
      c.expectations.push_back({FormatNamed(line.substr(7), path), Block(in)});
    } else if (line.starts_with("error ") && line.find(": ") != std::string::npos) {
      const std::size_t colon = line.find(": ");
      c.expectations.push_back(
          {FormatNamed(line.substr(6, colon - 6), path), line.substr(colon + 2), true});
    } else {
      throw std::runtime_error(path.string() + ": cannot read line: " + line);
    }
  }
  return c;
}

std::vector<fs::path> CaseFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(REPORT_TEST_DIR) / "calibrate_cases")) {
    if (entry.path().extension() == ".case")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class CalibrateCase : public ::testing::TestWithParam<fs::path> {};

TEST_P(CalibrateCase, RendersAsExpected) {
  const Case c = ReadCase(GetParam());
  ASSERT_FALSE(c.report.is_null()) << GetParam() << " has no report";
  ASSERT_FALSE(c.expectations.empty()) << GetParam() << " expects nothing";
  const cal::CalibrateReport report = ReadReport(c.report);
  for (const Expectation& e : c.expectations) {
    const std::string where =
        GetParam().filename().string() + ", format " + std::string(TableFormatName(e.format));
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

INSTANTIATE_TEST_SUITE_P(Cases, CalibrateCase, ::testing::ValuesIn(CaseFiles()),
                         [](const ::testing::TestParamInfo<fs::path>& param_info) {
                           return param_info.param.stem().string();
                         });

TEST(CalibrateCases, ThereAreCases) {
  EXPECT_GE(CaseFiles().size(), 8u);
}

TEST(PositionName, LettersThenNumbers) {
  EXPECT_EQ(PositionName(0), "A");
  EXPECT_EQ(PositionName(25), "Z");
  EXPECT_EQ(PositionName(26), "26");
}

}  // namespace
}  // namespace llmcal::report
