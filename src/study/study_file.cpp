#include "study/study_file.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <optional>

#include "calibration/confidence_methods.h"
#include "calibration/metric_table.h"
#include "common/error.h"
#include "data/data_dir.h"
#include "engine/engine_options.h"
#include "engine/model_file.h"
#include "fetch/model_source.h"
#include "gguf/logit_scaled_copy.h"
#include "settings/settings.h"
#include "study/toml_table.h"
#include "tasks/fewshot.h"
#include "tasks/task_loader.h"
#include "tasks/task_names.h"

namespace llmcal::study {
namespace {

namespace fs = std::filesystem;

// The words of a comma-separated default ("continuation,choice").
std::vector<std::string> Words(const std::string& list) {
  std::vector<std::string> words;
  for (std::size_t start = 0; start <= list.size();) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    words.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return words;
}

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
      if (const std::string problem = engine::ModelFileProblem(ref.path); !problem.empty())
        throw t.ErrorAt(key, fmt::format("{}: {}", ref.path.string(), problem));
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
  std::map<std::string, std::int64_t> lines;  // pair name -> line of its first declaration
  for (TomlTable& t : tables) {
    StudyPair pair;
    pair.name = t.String("name").value_or("");
    if (pair.name.empty())
      throw t.Missing("name");
    const auto [first, fresh] = lines.emplace(pair.name, t.LineOf("name"));
    if (!fresh) {
      throw t.ErrorAt("name", fmt::format("pair '{}' is declared twice (first at line {})",
                                          pair.name, first->second));
    }
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
  if (!root.Has("tasks"))
    throw root.Missing("tasks");
  std::vector<std::string> names;
  root.Read(settings::kTasks, names);
  for (const std::string& name : names) {
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
  std::vector<std::string> styles = Words(settings::kStyles.fallback);
  root.Read(settings::kStyles, styles);
  for (const std::string& style : styles)
    spec.plan.styles.push_back(*tasks::ParsePromptStyle(style));
}

void ReadItems(TomlTable& root, StudySpec& spec) {
  std::optional<TomlTable> items = root.Table("items");
  if (!items)
    return;
  std::size_t limit = 0;
  std::size_t sample = 0;
  std::uint64_t seed = 0;
  items->Read(settings::kLimit, limit);
  items->Read(settings::kSample, sample);
  items->Read(settings::kSampleSeed, seed);
  items->Finish();
  if (limit > 0 && sample > 0)
    throw items->ErrorAt("sample", "give limit or sample, not both");
  if (items->Has("seed") && sample == 0)
    throw items->ErrorAt("seed", "seed goes with sample");
  if (limit > 0)
    spec.plan.selection = {ItemSelection::Kind::kFirst, limit, 0};
  if (sample > 0)
    spec.plan.selection = {ItemSelection::Kind::kSample, sample, seed};
}

// num_fewshot (every task) and [num_fewshot_by_task] (NAME = K for some of
// the study's tasks).
void ReadFewShot(TomlTable& root, StudySpec& spec) {
  root.Read(settings::kNumFewShot, spec.plan.num_fewshot);
  const auto in_range = [](TomlTable& t, const std::string& key) {
    const std::int64_t value = t.Integer(key).value_or(0);
    if (const std::string problem = settings::IntegerProblem(settings::kNumFewShot, value);
        !problem.empty())
      throw t.ErrorAt(key, problem);
    return static_cast<std::size_t>(value);
  };
  std::optional<TomlTable> by_task = root.Table("num_fewshot_by_task");
  if (!by_task)
    return;
  for (const std::string& name : by_task->Keys()) {
    const bool planned = std::any_of(spec.plan.tasks.begin(), spec.plan.tasks.end(),
                                     [&](const tasks::TaskRef& ref) { return ref.name == name; });
    if (!planned)
      throw by_task->ErrorAt(name, fmt::format("'{}' is not among the study's tasks", name));
    spec.plan.num_fewshot_by_task[name] = in_range(*by_task, name);
  }
  by_task->Finish();
}

void ReadEngine(TomlTable& root, StudySpec& spec) {
  std::optional<TomlTable> t = root.Table("engine");
  if (!t)
    return;
  engine::EngineOptions& e = spec.plan.engine;
  t->Read(settings::kEngineThreads, e.threads);
  t->Read(settings::kWorkers, e.workers);
  t->Read(settings::kBatchSize, e.batch_size);
  t->Read(settings::kCtxSize, e.context_size);
  t->Read(settings::kGpuLayers, e.gpu_layers);
  t->Read(settings::kRpc, e.rpc_servers);
  t->Read(settings::kFlashAttn, e.flash_attention);
  t->Read(settings::kBos, e.bos, engine::kBosModeNames);
  t->Read(settings::kSplit, e.split, engine::kTokenSplitNames);
  t->Read(settings::kPrefixCache, e.prefix_cache, engine::kPrefixCacheNames);
  t->Finish();
}

// The metrics of checked names, each once.
std::vector<calibration::MetricSpec> Metrics(const std::vector<std::string>& names) {
  std::vector<calibration::MetricSpec> specs;
  for (const std::string& name : names) {
    const calibration::MetricSpec spec = calibration::ParseMetricSpec(name);
    if (calibration::IndexOf(specs, spec) == specs.size())
      specs.push_back(spec);
  }
  return specs;
}

void ReadRankings(TomlTable& t, analysis::AnalysisRequest& analysis) {
  std::vector<std::string> rankings;
  t.Read(settings::kRankings, rankings);
  for (const std::string& ranking : rankings) {
    const std::size_t colon = ranking.find(':');
    analysis.rankings.push_back({ranking.substr(0, colon), ranking.substr(colon + 1)});
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
  analysis::AnalysisRequest& a = spec.analysis;
  std::optional<TomlTable> t = root.Table("analysis");
  if (t) {
    t->Read(settings::kAnalysisTasks, a.tasks);
    CheckAnalysisTasks(*t, spec);
    std::vector<std::string> methods;
    t->Read(settings::kMethods, methods);
    for (const std::string& name : methods)
      a.methods.push_back(*calibration::ParseMethod(name));
    std::vector<std::string> metrics;
    t->Read(settings::kMetrics, metrics);
    if (t->Has("metrics"))
      a.metrics = Metrics(metrics);
    t->Read(settings::kBins, a.bins.bins);
    t->Read(settings::kClBins, a.bins.cl_bins);
    t->Read(settings::kBootstrap, a.bootstrap.resamples);
    t->Read(settings::kSeed, a.bootstrap.seed);
    t->Read(settings::kAnalysisThreads, a.bootstrap.threads);
    ReadRankings(*t, a);
    t->Read(settings::kFigure1Metrics, spec.report.figures.figure1_metrics);
    t->Read(settings::kFigure2Metric, spec.report.figures.figure2_metric);
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
  ReadFewShot(root, spec);
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

StudyOutcome RunFullStudy(const StudySpec& spec, const RunnerOptions& options,
                          ProgressSink* analysis_progress) {
  for (const StudyPair& pair : spec.pairs) {
    std::error_code ec;
    if (pair.instruct_logit_scale > 0 && !fs::exists(pair.instruct.path, ec)) {
      fs::create_directories(pair.instruct.path.parent_path());
      gguf::WriteLogitScaledCopy(fetch::LocateModel(pair.base.path, options.hub).file,
                                 pair.instruct.path, pair.instruct_logit_scale);
    }
  }
  StudyOutcome outcome;
  outcome.run = RunStudy(spec.plan, spec.db, options);
  if (outcome.run.interrupted || outcome.run.items_nonfinite > 0)
    return outcome;  // the caller reports why; nothing to analyze yet
  {
    store::Store writer = store::Store::Open(spec.db, store::Database::kReadWrite);
    store::Transaction transaction(writer.database());
    for (const StudyPair& pair : spec.pairs)
      writer.PutPair({pair.name, pair.base.name, pair.instruct.name});
    transaction.Commit();
  }
  store::Store store = store::Store::Open(spec.db, store::Database::kReadOnly);
  outcome.analysis = analysis::AnalyzeStore(store, spec.analysis, analysis_progress);
  outcome.report = report::WriteReport(outcome.analysis.results, spec.report, spec.out);
  return outcome;
}

}  // namespace llmcal::study
