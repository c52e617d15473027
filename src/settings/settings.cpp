#include "settings/settings.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <deque>
#include <limits>
#include <stdexcept>
#include <string>

#include "calibration/bootstrap.h"
#include "calibration/confidence_methods.h"
#include "calibration/metric_table.h"
#include "calibration/metrics.h"
#include "engine/engine_options.h"
#include "fetch/url.h"
#include "tasks/fewshot.h"
#include "tasks/prompt_builder.h"

namespace llmcal::settings {

namespace {

namespace cal = calibration;

constexpr std::int64_t kMaxSeed = std::numeric_limits<std::int64_t>::max();
// ggml's GGML_MAX_N_THREADS: llama.cpp aborts above it.
constexpr std::int64_t kMaxEngineThreads = 512;
constexpr std::int64_t kMaxItems = 1'000'000'000;

std::vector<std::string> MethodNames() {
  return NamesOf(cal::kConfidenceMethodNames);
}
std::vector<std::string> BosNames() {
  return NamesOf(engine::kBosModeNames);
}
std::vector<std::string> SplitNames() {
  return NamesOf(engine::kTokenSplitNames);
}
std::vector<std::string> FlashAttentionNames() {
  return {std::begin(engine::kFlashAttentionModes), std::end(engine::kFlashAttentionModes)};
}
std::vector<std::string> PrefixCacheNames() {
  return NamesOf(engine::kPrefixCacheNames);
}
std::vector<std::string> StyleNames() {
  return NamesOf(tasks::kPromptStyleNames);
}
// What `calibrate --recalibrate` fits the input's temperature to.
std::vector<std::string> RecalibrationNames() {
  return {"base"};
}

std::string MetricProblem(std::string_view name) {
  try {
    cal::ParseMetricSpec(name);
    return "";
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

// METRIC:METHOD, as a rank table is asked for.
std::string RankingProblem(std::string_view ranking) {
  const std::size_t colon = ranking.find(':');
  if (colon == std::string_view::npos)
    return fmt::format("'{}': expected METRIC:METHOD", ranking);
  if (std::string problem = MetricProblem(ranking.substr(0, colon)); !problem.empty())
    return fmt::format("'{}': {}", ranking, problem);
  const std::string_view method = ranking.substr(colon + 1);
  if (!cal::ParseMethod(method)) {
    return fmt::format("'{}': '{}' is not one of {}", ranking, method, JoinWords(MethodNames()));
  }
  return "";
}

std::string Text(std::int64_t value) {
  return std::to_string(value);
}

const engine::EngineOptions kEngineDefaults;

// Every declaration, in the order of this file; a deque keeps them in place.
std::deque<Setting>& Declarations() {
  static std::deque<Setting> declarations;
  return declarations;
}

// Keeps `setting` among AllSettings() and returns it.
const Setting& Declare(Setting setting) {
  return Declarations().emplace_back(std::move(setting));
}

}  // namespace

const Setting& kBins =
    Declare({.table = "analysis",
             .key = "bins",
             .flag = "--bins",
             .type = Type::kInteger,
             .help = "bins of ece, ece_em, mce, sce, the Brier decomposition and the reliability "
                     "diagrams; ranges per class of ace",
             .min = 1,
             .max = 100000,
             .fallback = Text(cal::BinOptions{}.bins)});
const Setting& kClBins = Declare({.table = "analysis",
                                  .key = "cl_bins",
                                  .flag = "--cl-bins",
                                  .type = Type::kInteger,
                                  .help = "bins of ece_cl and sce_cl (calibration_library)",
                                  .min = 1,
                                  .max = 100000,
                                  .fallback = Text(cal::BinOptions{}.cl_bins)});
const Setting& kBootstrap = Declare({.table = "analysis",
                                     .key = "bootstrap",
                                     .flag = "--bootstrap",
                                     .type = Type::kInteger,
                                     .help = "bootstrap resamples (0: no intervals)",
                                     .min = 0,
                                     .max = 1000000,
                                     .fallback = Text(cal::kDefaultResamples)});
const Setting& kSeed =
    Declare({.table = "analysis",
             .key = "seed",
             .flag = "--seed",
             .type = Type::kInteger,
             .help = "bootstrap seed",
             .min = 0,
             .max = kMaxSeed,
             .fallback = Text(static_cast<std::int64_t>(cal::BootstrapOptions{}.seed))});
const Setting& kAnalysisThreads = Declare({.table = "analysis",
                                           .key = "threads",
                                           .flag = "--threads",
                                           .type = Type::kInteger,
                                           .help = "bootstrap threads (0: all cores)",
                                           .min = 0,
                                           .max = 1024,
                                           .fallback = Text(cal::BootstrapOptions{}.threads)});
const Setting& kMethods = Declare({.table = "analysis",
                                   .key = "methods",
                                   .flag = "--method",
                                   .type = Type::kNames,
                                   .help = "confidence methods (default: sum, min, choice)",
                                   .names = MethodNames});
const Setting& kMetrics = Declare({.table = "analysis",
                                   .key = "metrics",
                                   .flag = "--metric",
                                   .type = Type::kNames,
                                   .help = "metrics (default: all): " + cal::KnownMetricNames(),
                                   .check = MetricProblem});
const Setting& kAnalysisTasks =
    Declare({.table = "analysis",
             .key = "tasks",
             .flag = "--task",
             .type = Type::kTexts,
             .help = "tasks, or MMLU groups/subjects of an mmlu run (default: "
                     "every task stored, mmlu followed by its four groups)"});
const Setting& kRankings = Declare({.table = "analysis",
                                    .key = "rankings",
                                    .type = Type::kTexts,
                                    .help = "rank tables, METRIC:METHOD each",
                                    .check = RankingProblem});
const Setting& kFigure1Metrics = Declare({.table = "analysis",
                                          .key = "figure1_metrics",
                                          .flag = "--figure1-metrics",
                                          .type = Type::kNames,
                                          .help = "metrics of Figure 1, comma-separated",
                                          .check = MetricProblem});
const Setting& kFigure2Metric = Declare({.table = "analysis",
                                         .key = "figure2_metric",
                                         .flag = "--figure2-metric",
                                         .type = Type::kName,
                                         .help = "metric of Figure 2",
                                         .check = MetricProblem});
const Setting& kRankMetric = Declare({.flag = "--metric",
                                      .type = Type::kName,
                                      .help = "the metric whose change rate ranks the pairs",
                                      .fallback = "sce",
                                      .check = MetricProblem});
const Setting& kRankMethod = Declare({.flag = "--method",
                                      .type = Type::kName,
                                      .help = "the confidence method",
                                      .fallback = "choice",
                                      .names = MethodNames});
const Setting& kCalibrateMethod = Declare({.flag = "--method",
                                           .type = Type::kName,
                                           .help = "confidence method for `llmcal score` output",
                                           .fallback = "sum",
                                           .names = MethodNames});

const Setting& kEngineThreads = Declare({.table = "engine",
                                         .key = "threads",
                                         .flag = "--threads,-t",
                                         .type = Type::kInteger,
                                         .help = "CPU threads (0 = all cores)",
                                         .min = 0,
                                         .max = kMaxEngineThreads,
                                         .fallback = Text(kEngineDefaults.threads)});
const Setting& kWorkers =
    Declare({.table = "engine",
             .key = "workers",
             .flag = "--workers",
             .type = Type::kInteger,
             .help = "llama contexts decoding in parallel, the threads split among them "
                     "(0 = one per thread for models under 100M parameters on CPU, "
                     "else 1)",
             .min = 0,
             .max = kMaxEngineThreads,
             .fallback = Text(kEngineDefaults.workers)});
const Setting& kBatchSize =
    Declare({.table = "engine",
             .key = "batch_size",
             .flag = "--batch-size,-b",
             .type = Type::kInteger,
             .help = "tokens packed into one decode (0 = 256 for models under 100M "
                     "parameters on CPU, else 512)",
             .min = 0,
             .max = 1 << 20,
             .fallback = Text(kEngineDefaults.batch_size)});
const Setting& kCtxSize =
    Declare({.table = "engine",
             .key = "ctx_size",
             .flag = "--ctx-size,-c",
             .type = Type::kInteger,
             .help = "window contexts are cut to (0 = the model's training context)",
             .min = 0,
             .max = 1 << 24,
             .fallback = Text(kEngineDefaults.context_size)});
const Setting& kGpuLayers = Declare({.table = "engine",
                                     .key = "gpu_layers",
                                     .flag = "--gpu-layers,--ngl",
                                     .type = Type::kInteger,
                                     .help = "layers to offload to GPU or RPC devices (-1 = all)",
                                     .min = -1,
                                     .max = 100000,
                                     .fallback = Text(kEngineDefaults.gpu_layers)});
const Setting& kRpc =
    Declare({.table = "engine",
             .key = "rpc",
             .flag = "--rpc",
             .type = Type::kTexts,
             .help = "llama.cpp rpc-server endpoints host:port,... to spread the model over"});
const Setting& kFlashAttn =
    Declare({.table = "engine",
             .key = "flash_attn",
             .flag = "--flash-attn",
             .type = Type::kName,
             .help = "flash attention: on, off, or auto (on when layers run on a GPU)",
             .fallback = kEngineDefaults.flash_attention,
             .names = FlashAttentionNames});
const Setting& kBos = Declare(
    {.table = "engine",
     .key = "bos",
     .flag = "--bos",
     .type = Type::kName,
     .help = "BOS token before every context (auto: as the GGUF metadata says; lm-eval-0.4: off "
             "except for Gemma models, as lm-evaluation-harness v0.4.2-v0.4.9)",
     .fallback = std::string(engine::BosModeName(kEngineDefaults.bos)),
     .names = BosNames});
const Setting& kSplit =
    Declare({.table = "engine",
             .key = "split",
             .flag = "--split",
             .type = Type::kName,
             .help = "where continuation tokens start when a token merges across the "
                     "context boundary (lm-eval: whole[len(ctx):] after ctx, as "
                     "lm-evaluation-harness)",
             .fallback = std::string(engine::TokenSplitName(kEngineDefaults.split)),
             .names = SplitNames});
const Setting& kPrefixCache = Declare(
    {.table = "engine",
     .key = "prefix_cache",
     .flag = "--prefix-cache",
     .type = Type::kName,
     .help = "evaluate the tokens consecutive items share (a few-shot header) once and "
             "keep them in the KV memory",
     .fallback = std::string(NameIn(engine::kPrefixCacheNames, kEngineDefaults.prefix_cache)),
     .names = PrefixCacheNames});
const Setting& kVerbose =
    Declare({.flag = "--verbose", .type = Type::kSwitch, .help = "show llama.cpp's log"});

const Setting& kLimit = Declare({.table = "items",
                                 .key = "limit",
                                 .flag = "--limit",
                                 .type = Type::kInteger,
                                 .help = "only the first N items of each task",
                                 .min = 1,
                                 .max = kMaxItems});
const Setting& kSample =
    Declare({.table = "items",
             .key = "sample",
             .flag = "--sample",
             .type = Type::kInteger,
             .help = "a seeded random N items of each task (kept in task order)",
             .min = 1,
             .max = kMaxItems});
const Setting& kSampleSeed = Declare({.table = "items",
                                      .key = "seed",
                                      .flag = "--seed",
                                      .type = Type::kInteger,
                                      .help = "seed of --sample",
                                      .min = 0,
                                      .max = kMaxSeed,
                                      .fallback = "0"});
const Setting& kNumFewShot =
    Declare({.key = "num_fewshot",
             .flag = "--num-fewshot",
             .type = Type::kInteger,
             .help = "few-shot examples before each item, as lm-evaluation-harness chooses them "
                     "(from the task's train split; MMLU: the subject's dev split)",
             .min = 0,
             .max = static_cast<std::int64_t>(tasks::kMaxNumFewShot),
             .fallback = "0"});
const Setting& kDemoSample = Declare({.flag = "--sample",
                                      .type = Type::kInteger,
                                      .help = "items per task, a seeded sample (0: all)",
                                      .min = 0,
                                      .max = kMaxItems});

const Setting& kTasks =
    Declare({.key = "tasks",
             .flag = "--task",
             .type = Type::kTexts,
             .help = "tasks, comma-separated: NAME (under --data), NAME=PATH or "
                     "custom:PATH",
             .non_empty = true});
const Setting& kStyles = Declare({.key = "styles",
                                  .flag = "--style",
                                  .type = Type::kNames,
                                  .help = "prompt styles, comma-separated",
                                  .fallback = fmt::format("{}", fmt::join(StyleNames(), ",")),
                                  .names = StyleNames,
                                  .non_empty = true});
const Setting& kPromptStyle =
    Declare({.flag = "--style",
             .type = Type::kName,
             .help = "prompt style",
             .fallback = std::string(tasks::PromptStyleName(tasks::PromptStyle::kContinuation)),
             .names = StyleNames});

const Setting& kSkipBad =
    Declare({.flag = "--skip-bad",
             .type = Type::kSwitch,
             .help = "skip malformed records (each reported on stderr) instead of failing"});
const Setting& kMedmcqaCopBase =
    Declare({.flag = "--medmcqa-cop-base",
             .type = Type::kInteger,
             .help = "MedMCQA 'cop' is 0-based (0) or 1-based (1); default: decided per file",
             .min = 0,
             .max = 1});

// No default here: report::ReportOptions owns it, and settings/ does not use
// report/ (docs/architecture.md); `llmcal report --help` shows it.
const Setting& kGnuplotTimeout =
    Declare({.flag = "--gnuplot-timeout",
             .type = Type::kDecimal,
             .help = "seconds gnuplot may take per figure before it is killed",
             .low = 0.1,
             .high = 86400});
const Setting& kTemperatureSplit =
    Declare({.flag = "--temperature-split",
             .type = Type::kDecimal,
             .help = "fit a temperature on this fraction of the items, report metrics on the rest",
             .low = 0,
             .high = 1,
             .exclusive = true});
const Setting& kRecalibrate =
    Declare({.flag = "--recalibrate",
             .type = Type::kName,
             .help = "base: fit the input's temperature to --reference without labels",
             .names = RecalibrationNames});
const Setting& kDataEndpoint = Declare(
    {.flag = "--endpoint",
     .type = Type::kText,
     .help = "a mirror: replaces scheme and host of every URL (default: $LLMCAL_DATA_ENDPOINT)",
     .check = fetch::EndpointProblem});

std::vector<const Setting*> AllSettings() {
  std::vector<const Setting*> all;
  for (const Setting& setting : Declarations())
    all.push_back(&setting);
  return all;
}

}  // namespace llmcal::settings
