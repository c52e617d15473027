#include "study/study_file.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <set>

#include "calibration/confidence_methods.h"
#include "calibration/metric_table.h"
#include "common/error.h"
#include "data/data_dir.h"
#include "engine/engine_options.h"
#include "fetch/model_source.h"
#include "logit_scaled_copy.h"
#include "tasks/task_loader.h"
#include "tasks/task_names.h"

namespace llmcal::study {
namespace {

namespace fs = std::filesystem;

// One TOML table of the study file, read key by key: every accessor returns
// a value of the asked-for type or throws an InputError naming the file, the
// line and the key's dotted path; Finish() refuses the keys nobody read.
class TomlTable {
 public:
  TomlTable(const toml::table& table, std::string file, std::string path)
      : table_(table), file_(std::move(file)), path_(std::move(path)) {}

  std::optional<std::string> String(const std::string& key) {
    return Scalar<std::string>(key, "a string");
  }
  std::optional<std::int64_t> Integer(const std::string& key) {
    return Scalar<std::int64_t>(key, "an integer");
  }
  // A float or an integer, as a double.
  std::optional<double> Number(const std::string& key) {
    const toml::node* node = Take(key);
    if (node == nullptr)
      return std::nullopt;
    const std::optional<double> value = node->value<double>();
    if (!value)
      throw Error(*node, key, "expected a number");
    return value;
  }

  std::optional<std::vector<std::string>> Strings(const std::string& key) {
    const toml::node* node = Take(key);
    if (node == nullptr)
      return std::nullopt;
    const toml::array* array = node->as_array();
    if (array == nullptr)
      throw Error(*node, key, "expected an array of strings");
    std::vector<std::string> values;
    for (const toml::node& element : *array) {
      const std::optional<std::string> value = element.value<std::string>();
      if (!value)
        throw Error(element, key, "expected an array of strings");
      values.push_back(*value);
    }
    return values;
  }

  std::optional<TomlTable> Table(const std::string& key) {
    const toml::node* node = Take(key);
    if (node == nullptr)
      return std::nullopt;
    if (!node->is_table())
      throw Error(*node, key, "expected a table");
    return TomlTable(*node->as_table(), file_, Path(key));
  }

  std::vector<TomlTable> Tables(const std::string& key) {
    const toml::node* node = Take(key);
    std::vector<TomlTable> tables;
    if (node == nullptr)
      return tables;
    const toml::array* array = node->as_array();
    if (array == nullptr || !array->is_array_of_tables())
      throw Error(*node, key, fmt::format("expected [[{}]] tables", key));
    for (std::size_t i = 0; i < array->size(); ++i) {
      tables.emplace_back(*(*array)[i].as_table(), file_, fmt::format("{}[{}]", Path(key), i));
    }
    return tables;
  }

  // Throws for the first key of this table that no accessor read.
  void Finish() const {
    for (const auto& [key, node] : table_) {
      if (!read_.contains(std::string(key.str()))) {
        throw Error(node, std::string(key.str()), "unknown key");
      }
    }
  }

  // An InputError at this table's key `key`.
  InputError ErrorAt(const std::string& key, const std::string& what) const {
    const toml::node* node = table_.get(key);
    return node != nullptr ? Error(*node, key, what)
                           : InputError::At(file_, Line(table_), Path(key), what);
  }

  // The error for this table as a whole (a missing required key).
  InputError Missing(const std::string& key) const {
    return InputError::At(file_, Line(table_), Path(key), "missing");
  }

 private:
  template <typename T>
  std::optional<T> Scalar(const std::string& key, const char* expected) {
    const toml::node* node = Take(key);
    if (node == nullptr)
      return std::nullopt;
    const std::optional<T> value = node->value_exact<T>();
    if (!value)
      throw Error(*node, key, fmt::format("expected {}", expected));
    return value;
  }

  const toml::node* Take(const std::string& key) {
    read_.insert(key);
    return table_.get(key);
  }

  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  static std::int64_t Line(const toml::node& node) {
    return static_cast<std::int64_t>(node.source().begin.line);
  }

  InputError Error(const toml::node& node, const std::string& key, const std::string& what) const {
    return InputError::At(file_, Line(node), Path(key), what);
  }

  const toml::table& table_;
  std::string file_;
  std::string path_;
  std::set<std::string> read_;
};

// `value` relative to the study file's folder, unless absolute.
fs::path Resolve(const fs::path& base_dir, const std::string& value) {
  const fs::path p(value);
  return p.is_absolute() ? p : (base_dir / p).lexically_normal();
}

// Reads `key` (a model file or an hf: reference) and `name_key` into `ref`;
// the file must exist unless `made_later`, the reference must be well formed
// (the runner fetches it).
void ReadModel(TomlTable& t, const fs::path& dir, const char* key, const char* name_key,
               const std::string& default_name, bool made_later, ModelRef& ref) {
  if (!made_later) {
    const std::optional<std::string> path = t.String(key);
    if (!path)
      throw t.Missing(key);
    if (fetch::IsHubReference(*path)) {
      try {
        fetch::ParseHubReference(*path);
      } catch (const InputError& e) {
        throw t.ErrorAt(key, e.what());
      }
      ref.path = *path;
    } else {
      ref.path = Resolve(dir, *path);
      std::error_code ec;
      if (!fs::is_regular_file(ref.path, ec))
        throw t.ErrorAt(key, fmt::format("no such model file: {}", ref.path.string()));
    }
  }
  ref.name = t.String(name_key).value_or(default_name);
  if (!IsValidModelName(ref.name)) {
    throw t.ErrorAt(name_key, fmt::format("'{}' is not a usable model name (1 to 64 of "
                                          "A-Z a-z 0-9 . _ -; set {} to name it)",
                                          ref.name, name_key));
  }
}

// instruct_logit_scale: the instruct model is a scaled copy of the base,
// kept beside the store.
double ReadLogitScale(TomlTable& t, const StudySpec& spec, StudyPair& pair) {
  const std::optional<double> scale = t.Number("instruct_logit_scale");
  if (!scale)
    return 0;
  if (t.String("instruct"))
    throw t.ErrorAt("instruct_logit_scale", "give instruct or instruct_logit_scale, not both");
  if (!std::isfinite(*scale) || *scale <= 0)
    throw t.ErrorAt("instruct_logit_scale", "must be a number greater than 0");
  pair.instruct.path =
      spec.db.parent_path() /
      fmt::format("{}-logits-x{:g}.gguf", fetch::ModelFileStem(pair.base.path), *scale);
  return *scale;
}

void ReadPairs(TomlTable& root, const fs::path& dir, StudySpec& spec) {
  std::vector<TomlTable> tables = root.Tables("pairs");
  if (tables.empty())
    throw root.Missing("pairs");
  for (TomlTable& t : tables) {
    StudyPair pair;
    pair.name = t.String("name").value_or("");
    if (pair.name.empty())
      throw t.Missing("name");
    ReadModel(t, dir, "base", "base_name", pair.name + "-base", false, pair.base);
    pair.instruct_logit_scale = ReadLogitScale(t, spec, pair);
    ReadModel(t, dir, "instruct", "instruct_name", pair.name + "-instruct",
              pair.instruct_logit_scale > 0, pair.instruct);
    t.Finish();
    spec.pairs.push_back(pair);
  }
}

// Every pair's models, each name once; a name used for two files is an error.
void CollectModels(const TomlTable& root, StudySpec& spec) {
  for (const StudyPair& pair : spec.pairs) {
    for (const ModelRef& model : {pair.base, pair.instruct}) {
      const auto same = std::find_if(spec.plan.models.begin(), spec.plan.models.end(),
                                     [&](const ModelRef& m) { return m.name == model.name; });
      if (same == spec.plan.models.end()) {
        spec.plan.models.push_back(model);
      } else if (same->path != model.path) {
        throw root.ErrorAt("pairs",
                           fmt::format("model name '{}' names two files: {} and {}", model.name,
                                       same->path.string(), model.path.string()));
      }
    }
  }
}

void ReadTasks(TomlTable& root, const fs::path& dir, StudySpec& spec) {
  const std::optional<std::vector<std::string>> names = root.Strings("tasks");
  if (!names || names->empty())
    throw root.Missing("tasks");
  for (const std::string& name : *names) {
    try {
      tasks::TaskRef ref = tasks::ParseTaskRef(name);
      if (ref.path)
        ref.path = Resolve(dir, ref.path->string());
      spec.plan.tasks.push_back(ref);
    } catch (const InputError& e) {
      throw root.ErrorAt("tasks", e.what());
    }
  }
  if (const std::optional<std::string> data = root.String("data"))
    spec.plan.data_dir = Resolve(dir, *data);
  const std::vector<std::string> styles =
      root.Strings("styles").value_or(std::vector<std::string>{"continuation", "choice"});
  for (const std::string& style : styles) {
    const std::optional<tasks::PromptStyle> parsed = tasks::ParsePromptStyle(style);
    if (!parsed)
      throw root.ErrorAt("styles", fmt::format("unknown style '{}' (continuation, choice)", style));
    spec.plan.styles.push_back(*parsed);
  }
}

void ReadItems(TomlTable& root, StudySpec& spec) {
  std::optional<TomlTable> items = root.Table("items");
  if (!items)
    return;
  const std::optional<std::int64_t> limit = items->Integer("limit");
  const std::optional<std::int64_t> sample = items->Integer("sample");
  const std::optional<std::int64_t> seed = items->Integer("seed");
  items->Finish();
  if (limit && sample)
    throw items->ErrorAt("sample", "give limit or sample, not both");
  if ((limit && *limit < 1) || (sample && *sample < 1))
    throw items->ErrorAt(limit ? "limit" : "sample", "must be at least 1");
  if (seed && !sample)
    throw items->ErrorAt("seed", "seed goes with sample");
  if (limit)
    spec.plan.selection = {ItemSelection::Kind::kFirst, static_cast<std::size_t>(*limit), 0};
  if (sample) {
    spec.plan.selection = {ItemSelection::Kind::kSample, static_cast<std::size_t>(*sample),
                           static_cast<std::uint64_t>(seed.value_or(0))};
  }
}

// A non-negative integer setting that fits an int.
int Count(TomlTable& table, const std::string& key, int fallback, int minimum = 0) {
  const std::optional<std::int64_t> value = table.Integer(key);
  if (!value)
    return fallback;
  if (*value < minimum || *value > (1 << 30))
    throw table.ErrorAt(key, fmt::format("must be an integer from {} to {}", minimum, 1 << 30));
  return static_cast<int>(*value);
}

void ReadEngine(TomlTable& root, StudySpec& spec) {
  std::optional<TomlTable> t = root.Table("engine");
  if (!t)
    return;
  engine::EngineOptions& e = spec.plan.engine;
  e.threads = Count(*t, "threads", e.threads);
  e.workers = Count(*t, "workers", e.workers);
  e.batch_size = Count(*t, "batch_size", e.batch_size);
  e.context_size = Count(*t, "ctx_size", e.context_size);
  e.gpu_layers = Count(*t, "gpu_layers", e.gpu_layers, -1);
  e.rpc_servers = t->Strings("rpc").value_or(e.rpc_servers);
  if (const std::optional<std::string> fa = t->String("flash_attn")) {
    if (*fa != "on" && *fa != "off" && *fa != "auto")
      throw t->ErrorAt("flash_attn", "expected on, off or auto");
    e.flash_attention = *fa;
  }
  if (const std::optional<std::string> bos = t->String("bos")) {
    const std::optional<engine::BosMode> mode = engine::ParseBosMode(*bos);
    if (!mode)
      throw t->ErrorAt("bos", "expected auto, on, off or lm-eval-0.4");
    e.bos = *mode;
  }
  if (const std::optional<std::string> split = t->String("split")) {
    const std::optional<engine::TokenSplit> mode = engine::ParseTokenSplit(*split);
    if (!mode)
      throw t->ErrorAt("split", "expected common-prefix or lm-eval");
    e.split = *mode;
  }
  t->Finish();
}

std::vector<calibration::MetricSpec> Metrics(TomlTable& t, const std::string& key,
                                             const std::vector<std::string>& names) {
  std::vector<calibration::MetricSpec> specs;
  for (const std::string& name : names) {
    try {
      const calibration::MetricSpec spec = calibration::ParseMetricSpec(name);
      if (calibration::IndexOf(specs, spec) == specs.size())
        specs.push_back(spec);
    } catch (const std::invalid_argument& e) {
      throw t.ErrorAt(key, e.what());
    }
  }
  return specs;
}

void ReadRankings(TomlTable& t, report::AnalysisRequest& analysis) {
  for (const std::string& ranking : t.Strings("rankings").value_or(std::vector<std::string>{})) {
    const std::size_t colon = ranking.find(':');
    if (colon == std::string::npos)
      throw t.ErrorAt("rankings", fmt::format("'{}': expected METRIC:METHOD", ranking));
    const std::string metric = ranking.substr(0, colon);
    const std::string method = ranking.substr(colon + 1);
    Metrics(t, "rankings", {metric});
    if (!calibration::ParseMethod(method))
      throw t.ErrorAt("rankings", fmt::format("'{}': unknown method '{}'", ranking, method));
    analysis.rankings.push_back({metric, method});
  }
}

// Refuses an analysis task that the plan's tasks cannot provide: one of them,
// or an MMLU group or subject when the plan runs mmlu.
void CheckAnalysisTasks(TomlTable& t, const StudySpec& spec) {
  const auto planned = [&](const std::string& name) {
    return std::any_of(spec.plan.tasks.begin(), spec.plan.tasks.end(),
                       [&](const tasks::TaskRef& ref) { return ref.name == name; });
  };
  for (const std::string& task : spec.analysis.tasks) {
    const std::optional<tasks::TaskSpec> known = tasks::FindTaskSpec(task);
    const bool pooled = known && known->benchmark == tasks::Benchmark::kMmlu && planned("mmlu");
    if (!planned(task) && !pooled) {
      throw t.ErrorAt("tasks", fmt::format("'{}' is not among the study's tasks (nor an MMLU "
                                           "group or subject of its mmlu task)",
                                           task));
    }
  }
}

void ReadAnalysis(TomlTable& root, StudySpec& spec) {
  report::AnalysisRequest& a = spec.analysis;
  std::optional<TomlTable> t = root.Table("analysis");
  if (t) {
    a.tasks = t->Strings("tasks").value_or(a.tasks);
    CheckAnalysisTasks(*t, spec);
    for (const std::string& name : t->Strings("methods").value_or(std::vector<std::string>{})) {
      const std::optional<calibration::ConfidenceMethod> method = calibration::ParseMethod(name);
      if (!method) {
        throw t->ErrorAt("methods", fmt::format("unknown method '{}' (sum, min, mean, chars, "
                                                "bytes, choice)",
                                                name));
      }
      a.methods.push_back(*method);
    }
    if (const auto names = t->Strings("metrics"))
      a.metrics = Metrics(*t, "metrics", *names);
    a.bins.bins = Count(*t, "bins", a.bins.bins, 1);
    a.bins.cl_bins = Count(*t, "cl_bins", a.bins.cl_bins, 1);
    a.bootstrap.resamples = Count(*t, "bootstrap", a.bootstrap.resamples);
    a.bootstrap.seed = static_cast<std::uint64_t>(Count(*t, "seed", 0));
    a.bootstrap.threads = Count(*t, "threads", a.bootstrap.threads);
    ReadRankings(*t, a);
    if (const auto figure1 = t->Strings("figure1_metrics")) {
      Metrics(*t, "figure1_metrics", *figure1);
      spec.report.figures.figure1_metrics = *figure1;
    }
    if (const auto figure2 = t->String("figure2_metric")) {
      Metrics(*t, "figure2_metric", {*figure2});
      spec.report.figures.figure2_metric = *figure2;
    }
    t->Finish();
  }
  for (const StudyPair& pair : spec.pairs)
    a.pairs.push_back({.name = pair.name, .base = pair.base.name, .instruct = pair.instruct.name});
}

}  // namespace

StudySpec ReadStudyFile(const fs::path& path, const StudyOverrides& overrides) {
  const std::string file = path.string();
  toml::table document;
  try {
    document = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    throw InputError::At(file, static_cast<std::int64_t>(e.source().begin.line), "",
                         std::string(e.description()));
  }
  const fs::path dir = fs::absolute(path).parent_path();
  StudySpec spec;
  spec.source = path;
  TomlTable root(document, file, "");
  spec.title = root.String("title").value_or("llmcal study: " + path.stem().string());
  spec.db = Resolve(dir, root.String("db").value_or(path.stem().string() + ".sqlite"));
  spec.out = Resolve(dir, root.String("out").value_or(path.stem().string() + "-report"));
  if (!overrides.db.empty())
    spec.db = overrides.db;
  if (!overrides.out.empty())
    spec.out = overrides.out;
  ReadPairs(root, dir, spec);
  CollectModels(root, spec);
  ReadTasks(root, dir, spec);
  ReadItems(root, spec);
  ReadEngine(root, spec);
  ReadAnalysis(root, spec);
  root.Finish();
  if (!overrides.data.empty())
    spec.plan.data_dir = overrides.data;
  if (!spec.plan.data_dir)
    spec.plan.data_dir = data::DefaultDataDir("");
  spec.report.title = spec.title;
  return spec;
}

StudyOutcome RunFullStudy(const StudySpec& spec, const RunnerOptions& options) {
  for (const StudyPair& pair : spec.pairs) {
    std::error_code ec;
    if (pair.instruct_logit_scale > 0 && !fs::exists(pair.instruct.path, ec)) {
      fs::create_directories(pair.instruct.path.parent_path());
      synthetic::WriteLogitScaledCopy(fetch::LocateModel(pair.base.path, options.hub).file,
                                      pair.instruct.path, pair.instruct_logit_scale);
    }
  }
  StudyOutcome outcome;
  outcome.run = RunStudy(spec.plan, spec.db, options);
  if (outcome.run.interrupted)
    return outcome;
  {
    store::Store writer = store::Store::Open(spec.db, store::Database::kReadWrite);
    store::Transaction transaction(writer.database());
    for (const StudyPair& pair : spec.pairs)
      writer.PutPair({pair.name, pair.base.name, pair.instruct.name});
    transaction.Commit();
  }
  store::Store store = store::Store::Open(spec.db, store::Database::kReadOnly);
  outcome.analysis = report::AnalyzeStore(store, spec.analysis);
  outcome.report = report::WriteReport(outcome.analysis.results, spec.report, spec.out);
  return outcome;
}

}  // namespace llmcal::study
