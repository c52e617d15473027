#include "report/study_results_json.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "common/json_record.h"
#include "common/record_source.h"
#include "report/json_number.h"

namespace llmcal::report {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr double kInf = std::numeric_limits<double>::infinity();

// ---- writing ----

ordered_json IntervalJson(const std::optional<analysis::Interval>& interval) {
  if (!interval)
    return nullptr;
  return ordered_json::array({JsonNumber(interval->lo), JsonNumber(interval->hi)});
}

ordered_json MetricJson(const analysis::MetricInfo& m) {
  return {{"name", m.name},
          {"description", m.description},
          {"lower_is_better", m.lower_is_better},
          {"calibration_error", m.calibration_error}};
}

ordered_json EstimateJson(const analysis::MetricEstimate& e) {
  ordered_json out = {{"model", e.model},
                      {"task", e.task},
                      {"method", e.method},
                      {"metric", e.metric},
                      {"value", JsonNumber(e.value)},
                      {"ci", IntervalJson(e.ci)},
                      {"n", e.n}};
  if (!e.defined())
    out["reason"] = e.undefined_reason;
  return out;
}

ordered_json ChangeJson(const analysis::ChangeEstimate& c) {
  ordered_json out = {{"pair", c.pair},
                      {"task", c.task},
                      {"method", c.method},
                      {"metric", c.metric},
                      {"pt", JsonNumber(c.pt)},
                      {"it", JsonNumber(c.it)},
                      {"difference", JsonNumber(c.difference)},
                      {"difference_ci", IntervalJson(c.difference_ci)},
                      {"change_rate", JsonNumber(c.change_rate)},
                      {"change_rate_ci", IntervalJson(c.change_rate_ci)}};
  if (!c.defined())
    out["reason"] = c.undefined_reason;
  return out;
}

ordered_json RankingJson(const analysis::Ranking& ranking) {
  ordered_json tasks = ordered_json::array();
  for (const analysis::TaskRanking& task : ranking.tasks) {
    ordered_json entries = ordered_json::array();
    for (const analysis::RankEntry& e : task.entries) {
      entries.push_back(
          {{"pair", e.pair}, {"change_rate", JsonNumber(e.change_rate)}, {"rank", e.rank}});
    }
    tasks.push_back({{"task", task.task}, {"entries", entries}});
  }
  ordered_json concordance = nullptr;
  if (ranking.concordance) {
    const analysis::KendallW& w = *ranking.concordance;
    concordance = {{"w", JsonNumber(w.w)},
                   {"chi_square", JsonNumber(w.chi_square)},
                   {"df", w.degrees_of_freedom},
                   {"p_value", JsonNumber(w.p_value)}};
  }
  return {{"metric", ranking.metric},
          {"method", ranking.method},
          {"tasks", tasks},
          {"concordance", concordance}};
}

ordered_json ReliabilityJson(const analysis::ReliabilityDiagram& d) {
  ordered_json bins = ordered_json::array();
  for (const analysis::ReliabilityBin& b : d.bins) {
    bins.push_back({{"lo", JsonNumber(b.lo)},
                    {"hi", JsonNumber(b.hi)},
                    {"count", b.count},
                    {"confidence", JsonNumber(b.confidence)},
                    {"accuracy", JsonNumber(b.accuracy)},
                    {"band", IntervalJson(b.accuracy_band)}});
  }
  ordered_json smooth = ordered_json::array();
  for (const analysis::SmoothPoint& p : d.smooth) {
    smooth.push_back({{"t", JsonNumber(p.t)},
                      {"accuracy", JsonNumber(p.accuracy)},
                      {"band", IntervalJson(p.band)},
                      {"density", JsonNumber(p.density)}});
  }
  return {{"model", d.model},   {"task", d.task},
          {"method", d.method}, {"bandwidth", JsonNumber(d.bandwidth)},
          {"bins", bins},       {"smooth", smooth}};
}

ordered_json ProvenanceJson(const analysis::Provenance& p) {
  ordered_json models = ordered_json::array();
  for (const analysis::ModelProvenance& m : p.models) {
    models.push_back({{"name", m.name},
                      {"path", m.path},
                      {"size_bytes", m.size_bytes},
                      {"sha256", m.sha256},
                      {"architecture", m.architecture},
                      {"parameters", m.parameters}});
  }
  ordered_json tasks = ordered_json::array();
  for (const analysis::TaskProvenance& t : p.tasks) {
    ordered_json files = ordered_json::array();
    for (const analysis::FileProvenance& f : t.files)
      files.push_back({{"path", f.path}, {"size_bytes", f.size_bytes}, {"sha256", f.sha256}});
    tasks.push_back({{"name", t.name}, {"items", t.items}, {"files", files}});
  }
  ordered_json runs = ordered_json::array();
  for (const analysis::RunProvenance& r : p.runs) {
    ordered_json settings = ordered_json::array();
    for (const analysis::Setting& s : r.settings)
      settings.push_back({{"name", s.name}, {"value", s.value}});
    runs.push_back({{"model", r.model},
                    {"task", r.task},
                    {"style", r.style},
                    {"template_version", r.template_version},
                    {"settings", settings}});
  }
  return {{"llmcal_version", p.llmcal_version},
          {"llama_cpp_version", p.llama_cpp_version},
          {"date", p.date},
          {"models", models},
          {"tasks", tasks},
          {"runs", runs}};
}

template <typename T, typename Fn>
ordered_json ArrayOf(const std::vector<T>& items, Fn to_json) {
  ordered_json out = ordered_json::array();
  for (const T& item : items)
    out.push_back(to_json(item));
  return out;
}

// ---- reading ----

double ReadNumber(const JsonField& f) {
  if (f.IsNull())
    return analysis::kNaN;
  if (f.IsString()) {
    const std::string text = f.String();
    if (text == "inf")
      return kInf;
    if (text == "-inf")
      return -kInf;
    throw f.Error("expected a number, null, \"inf\" or \"-inf\", found \"" + text + "\"");
  }
  return f.Number();
}

double NumberMember(const JsonField& object, const std::string& key) {
  return ReadNumber(object.Member(key));
}

// An absent or null member is "".
std::string OptionalString(const JsonField& object, const std::string& key) {
  if (!object.Has(key) || object.Member(key).IsNull())
    return "";
  return object.Member(key).String();
}

std::string StringMember(const JsonField& object, const std::string& key) {
  return object.Member(key).String();
}

std::int64_t NonNegative(const JsonField& f) {
  const std::int64_t v = f.Integer();
  if (v < 0)
    throw f.Error(fmt::format("{} is negative", v));
  return v;
}

// An absent or null member is no interval.
std::optional<analysis::Interval> OptionalInterval(const JsonField& object,
                                                   const std::string& key) {
  if (!object.Has(key) || object.Member(key).IsNull())
    return std::nullopt;
  const JsonField field = object.Member(key);
  const std::vector<JsonField> ends = field.Elements();
  if (ends.size() != 2)
    throw field.Error("expected [lo, hi] or null");
  return analysis::Interval{ReadNumber(ends[0]), ReadNumber(ends[1])};
}

template <typename Fn>
auto OptionalArray(const JsonField& object, const std::string& key, Fn read)
    -> std::vector<decltype(read(object))> {
  std::vector<decltype(read(object))> out;
  if (!object.Has(key))
    return out;
  for (const JsonField& element : object.Member(key).Elements())
    out.push_back(read(element));
  return out;
}

analysis::MetricInfo ReadMetricInfo(const JsonField& f) {
  return {.name = StringMember(f, "name"),
          .description = OptionalString(f, "description"),
          .lower_is_better = f.Member("lower_is_better").Bool(),
          .calibration_error = f.Member("calibration_error").Bool()};
}

analysis::ModelPair ReadPair(const JsonField& f) {
  return {.name = StringMember(f, "name"),
          .base = StringMember(f, "base"),
          .instruct = StringMember(f, "instruct")};
}

analysis::MetricEstimate ReadEstimate(const JsonField& f) {
  analysis::MetricEstimate e{.model = StringMember(f, "model"),
                             .task = StringMember(f, "task"),
                             .method = StringMember(f, "method"),
                             .metric = StringMember(f, "metric"),
                             .value = NumberMember(f, "value"),
                             .ci = OptionalInterval(f, "ci"),
                             .n = f.Has("n") ? NonNegative(f.Member("n")) : 0,
                             .undefined_reason = OptionalString(f, "reason")};
  return e;
}

analysis::ChangeEstimate ReadChange(const JsonField& f) {
  return {.pair = StringMember(f, "pair"),
          .task = StringMember(f, "task"),
          .method = StringMember(f, "method"),
          .metric = StringMember(f, "metric"),
          .pt = NumberMember(f, "pt"),
          .it = NumberMember(f, "it"),
          .difference = NumberMember(f, "difference"),
          .change_rate = NumberMember(f, "change_rate"),
          .difference_ci = OptionalInterval(f, "difference_ci"),
          .change_rate_ci = OptionalInterval(f, "change_rate_ci"),
          .undefined_reason = OptionalString(f, "reason")};
}

analysis::RankEntry ReadRankEntry(const JsonField& f) {
  const std::int64_t rank = f.Member("rank").Integer();
  if (rank < 1 || rank > std::numeric_limits<int>::max())
    throw f.Member("rank").Error(fmt::format("{} is not a rank", rank));
  return {.pair = StringMember(f, "pair"),
          .change_rate = NumberMember(f, "change_rate"),
          .rank = static_cast<int>(rank)};
}

analysis::TaskRanking ReadTaskRanking(const JsonField& f) {
  return {.task = StringMember(f, "task"), .entries = OptionalArray(f, "entries", ReadRankEntry)};
}

analysis::Ranking ReadRanking(const JsonField& f) {
  analysis::Ranking r{.metric = StringMember(f, "metric"),
                      .method = StringMember(f, "method"),
                      .tasks = OptionalArray(f, "tasks", ReadTaskRanking),
                      .concordance = std::nullopt};
  if (f.Has("concordance") && !f.Member("concordance").IsNull()) {
    const JsonField c = f.Member("concordance");
    const std::int64_t df = NonNegative(c.Member("df"));
    r.concordance = analysis::KendallW{.w = NumberMember(c, "w"),
                                       .chi_square = NumberMember(c, "chi_square"),
                                       .degrees_of_freedom = static_cast<int>(df),
                                       .p_value = NumberMember(c, "p_value")};
  }
  return r;
}

analysis::ReliabilityBin ReadBin(const JsonField& f) {
  return {.lo = NumberMember(f, "lo"),
          .hi = NumberMember(f, "hi"),
          .count = NonNegative(f.Member("count")),
          .confidence = NumberMember(f, "confidence"),
          .accuracy = NumberMember(f, "accuracy"),
          .accuracy_band = OptionalInterval(f, "band")};
}

analysis::SmoothPoint ReadSmoothPoint(const JsonField& f) {
  return {.t = NumberMember(f, "t"),
          .accuracy = NumberMember(f, "accuracy"),
          .band = OptionalInterval(f, "band"),
          .density = NumberMember(f, "density")};
}

analysis::ReliabilityDiagram ReadReliability(const JsonField& f) {
  return {.model = StringMember(f, "model"),
          .task = StringMember(f, "task"),
          .method = StringMember(f, "method"),
          .bins = OptionalArray(f, "bins", ReadBin),
          .smooth = OptionalArray(f, "smooth", ReadSmoothPoint),
          .bandwidth = f.Has("bandwidth") ? NumberMember(f, "bandwidth") : analysis::kNaN};
}

analysis::ModelProvenance ReadModelProvenance(const JsonField& f) {
  return {.name = StringMember(f, "name"),
          .path = OptionalString(f, "path"),
          .size_bytes = static_cast<std::uint64_t>(
              f.Has("size_bytes") ? NonNegative(f.Member("size_bytes")) : 0),
          .sha256 = OptionalString(f, "sha256"),
          .architecture = OptionalString(f, "architecture"),
          .parameters = f.Has("parameters") ? NonNegative(f.Member("parameters")) : 0};
}

analysis::FileProvenance ReadFileProvenance(const JsonField& f) {
  return {.path = StringMember(f, "path"),
          .size_bytes = static_cast<std::uint64_t>(
              f.Has("size_bytes") ? NonNegative(f.Member("size_bytes")) : 0),
          .sha256 = OptionalString(f, "sha256")};
}

analysis::TaskProvenance ReadTaskProvenance(const JsonField& f) {
  return {.name = StringMember(f, "name"),
          .files = OptionalArray(f, "files", ReadFileProvenance),
          .items = f.Has("items") ? NonNegative(f.Member("items")) : 0};
}

analysis::Setting ReadSetting(const JsonField& f) {
  return {.name = StringMember(f, "name"), .value = StringMember(f, "value")};
}

analysis::RunProvenance ReadRunProvenance(const JsonField& f) {
  return {.model = StringMember(f, "model"),
          .task = StringMember(f, "task"),
          .style = OptionalString(f, "style"),
          .template_version = OptionalString(f, "template_version"),
          .settings = OptionalArray(f, "settings", ReadSetting)};
}

analysis::Provenance ReadProvenance(const JsonField& f) {
  return {.llmcal_version = OptionalString(f, "llmcal_version"),
          .llama_cpp_version = OptionalString(f, "llama_cpp_version"),
          .date = OptionalString(f, "date"),
          .models = OptionalArray(f, "models", ReadModelProvenance),
          .tasks = OptionalArray(f, "tasks", ReadTaskProvenance),
          .runs = OptionalArray(f, "runs", ReadRunProvenance)};
}

analysis::AnalysisSettings ReadAnalysis(const JsonField& f) {
  analysis::AnalysisSettings a;
  if (f.Has("bins"))
    a.bins = static_cast<int>(NonNegative(f.Member("bins")));
  if (f.Has("resamples"))
    a.resamples = static_cast<int>(NonNegative(f.Member("resamples")));
  if (f.Has("level"))
    a.level = f.Member("level").Number();
  if (f.Has("seed"))
    a.seed = static_cast<std::uint64_t>(NonNegative(f.Member("seed")));
  if (!(a.level > 0 && a.level < 1))
    throw f.Member("level").Error("must be strictly between 0 and 1");
  return a;
}

}  // namespace

ordered_json StudyResultsToJson(const analysis::StudyResults& r) {
  const analysis::AnalysisSettings& a = r.analysis;
  return {
      {"models", r.models},
      {"pairs",
       ArrayOf(r.pairs,
               [](const analysis::ModelPair& p) {
                 return ordered_json{{"name", p.name}, {"base", p.base}, {"instruct", p.instruct}};
               })},
      {"tasks", r.tasks},
      {"methods", r.methods},
      {"metrics", ArrayOf(r.metrics, MetricJson)},
      {"analysis",
       {{"bins", a.bins}, {"resamples", a.resamples}, {"level", a.level}, {"seed", a.seed}}},
      {"estimates", ArrayOf(r.estimates, EstimateJson)},
      {"changes", ArrayOf(r.changes, ChangeJson)},
      {"rankings", ArrayOf(r.rankings, RankingJson)},
      {"reliability", ArrayOf(r.reliability, ReliabilityJson)},
      {"provenance", ProvenanceJson(r.provenance)}};
}

analysis::StudyResults StudyResultsFromJson(const json& value, const std::string& source) {
  const RecordLocation where{source, 0};
  const JsonField root(value, where, "");
  if (!root.IsObject())
    throw where.Error("", "expected a JSON object");
  analysis::StudyResults r;
  r.models = root.Member("models").Strings();
  r.pairs = OptionalArray(root, "pairs", ReadPair);
  r.tasks = root.Member("tasks").Strings();
  r.methods = root.Member("methods").Strings();
  r.metrics = OptionalArray(root, "metrics", ReadMetricInfo);
  if (root.Has("analysis"))
    r.analysis = ReadAnalysis(root.Member("analysis"));
  r.estimates = OptionalArray(root, "estimates", ReadEstimate);
  r.changes = OptionalArray(root, "changes", ReadChange);
  r.rankings = OptionalArray(root, "rankings", ReadRanking);
  r.reliability = OptionalArray(root, "reliability", ReadReliability);
  if (root.Has("provenance"))
    r.provenance = ReadProvenance(root.Member("provenance"));
  analysis::Validate(r, source);
  return r;
}

analysis::StudyResults ReadStudyResults(const std::filesystem::path& path) {
  const FileText file = ReadWholeFile(path);
  return StudyResultsFromJson(ParseJsonDocument(file), path.string());
}

}  // namespace llmcal::report
