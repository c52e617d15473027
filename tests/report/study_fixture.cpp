#include "report/study_fixture.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "calibration/bootstrap.h"
#include "calibration/comparisons.h"

namespace llmcal::report::testing {

namespace {

// Names, directions and plausible ranges of every metric in the calibration
// library's table; bias is the typical relative change from PT to IT.
struct MetricSpec {
  const char* name;
  const char* description;
  bool lower_is_better;
  bool calibration_error;
  double lo, hi;
  double bias;
};

constexpr MetricSpec kMetrics[] = {
    {"accuracy", "share of items whose predicted choice is the gold one", false, false, 0.35, 0.8,
     0.02},
    {"ece", "expected calibration error: top-label, equal-width bins", true, true, 0.03, 0.15, 0.6},
    {"ece_em", "ECE over equal-mass bins", true, true, 0.03, 0.15, 0.5},
    {"mce", "maximum calibration error over the equal-width bins", true, true, 0.1, 0.4, 0.3},
    {"sce", "static calibration error (Nixon et al. 2019), classes weighted by frequency", true,
     true, 0.04, 0.12, 0.45},
    {"ace", "adaptive calibration error: equal-count ranges per class", true, true, 0.04, 0.12,
     0.4},
    {"brier", "Brier score over all choices", true, true, 0.5, 0.75, 0.1},
    {"nll", "negative log-likelihood of the gold choice", true, true, 1.0, 1.4, 0.15},
    {"smece", "smooth ECE (Blasiok and Nakkiran 2023)", true, true, 0.03, 0.12, 0.55},
    {"ece_cl", "ECE as calibration_library computes it (15 bins closed on the right)", true, true,
     0.03, 0.15, 0.6},
    {"sce_cl", "SCE as calibration_library computes it (the paper's convention)", true, true, 0.5,
     0.8, 0.2},
    {"auroc", "area under the ROC curve of confidence separating right from wrong", false, false,
     0.55, 0.75, -0.03},
    {"aurc", "area under the risk-coverage curve", true, false, 0.2, 0.5, 0.05},
    {"augrc", "area under the generalized risk-coverage curve", true, false, 0.1, 0.3, 0.05},
    {"selective_acc@0.1", "accuracy on the 10% most confident items", false, false, 0.5, 0.95,
     0.02},
    {"selective_acc@0.5", "accuracy on the 50% most confident items", false, false, 0.4, 0.9, 0.02},
    {"brier_rel", "reliability term of the Brier score's Murphy decomposition", true, false, 0.005,
     0.03, 0.8},
    {"brier_res", "resolution term of the Brier score's Murphy decomposition", false, false, 0.01,
     0.05, 0.1},
    {"brier_unc", "uncertainty term of the Brier score's decomposition (of the data alone)", true,
     false, 0.18, 0.19, 0.0},
    {"letter_rstd", "relative standard deviation of the predicted letters' rates", true, false, 0.1,
     0.6, 0.2},
};

struct PairSpec {
  const char* name;
  const char* base;
  const char* instruct;
  const char* architecture;
  double effect;  // scales every metric's bias: OLMo changes most, as in the paper
};

constexpr PairSpec kPairs[] = {
    {"Llama-2-7b", "llama-2-7b", "llama-2-7b-chat", "llama", 0.8},
    {"OLMo_7B", "olmo_7b", "olmo_7b-instruct", "olmo", 1.6},
};

struct TaskSpec {
  const char* name;
  std::int64_t items;
  const char* file;
};

constexpr TaskSpec kTasks[] = {
    {"arc_easy", 2376, "arc_easy/ARC-Easy-Test.jsonl"},
    {"hellaswag", 10042, "hellaswag/hellaswag_val_full.txt"},
    {"mmlu_stem", 3153, "mmlu/test"},
};

constexpr const char* kMethods[] = {"sum", "min", "choice"};

constexpr const char* kUndefinedAuroc =
    "every item is predicted correctly: AUROC needs right and wrong items";

// A uniform number in [0, 1) that is a fixed function of `key`.
double Unit(const std::string& key) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a
  for (unsigned char c : key)
    h = (h ^ c) * 1099511628211ull;
  return static_cast<double>(calibration::Mix64(h) >> 11) * 0x1.0p-53;
}

std::string Hex(const std::string& key, int digits) {
  std::string out;
  for (int i = 0; out.size() < static_cast<std::size_t>(digits); ++i)
    out += fmt::format(
        "{:016x}",
        calibration::Mix64(static_cast<std::uint64_t>(Unit(key + std::to_string(i)) * 0x1.0p53)));
  return out.substr(0, static_cast<std::size_t>(digits));
}

bool IsHeadline(const std::string& pair, const std::string& task, const std::string& method) {
  return pair == "OLMo_7B" && task == "hellaswag" && method == "sum";
}

// The relative change of a metric from PT to IT.
double ChangeFactor(const PairSpec& pair, const std::string& task, const std::string& method,
                    const MetricSpec& m) {
  if (IsHeadline(pair.name, task, method)) {
    const std::string name = m.name;
    if (name == "ece" || name == "ece_cl" || name == "smece")
      return 1 - 0.35;
    if (name == "sce" || name == "ace")
      return 1 + 0.3;
  }
  const double jitter =
      0.3 * (Unit(fmt::format("{}/{}/{}/{}/rate", pair.name, task, method, m.name)) - 0.5);
  return 1 + m.bias * pair.effect + (m.bias == 0 ? 0 : jitter);
}

struct Value {
  double value;
  double half_width;
};

Value PtValue(const PairSpec& pair, const std::string& task, const std::string& method,
              const MetricSpec& m) {
  const bool data_only = m.bias == 0;  // the same for every model and method
  const std::string key = data_only
                              ? fmt::format("{}/{}", task, m.name)
                              : fmt::format("{}/{}/{}/{}/pt", pair.name, task, method, m.name);
  const double v = m.lo + (m.hi - m.lo) * Unit(key);
  return {v, data_only ? 0.002 : (0.06 + 0.06 * Unit(key + "/ci")) * v};
}

Value ItValue(const PairSpec& pair, const std::string& task, const std::string& method,
              const MetricSpec& m) {
  const Value pt = PtValue(pair, task, method, m);
  const double v =
      std::min(pt.value * ChangeFactor(pair, task, method, m), m.lower_is_better ? 1e9 : 0.99);
  return {v, pt.value == v ? pt.half_width : pt.half_width * v / pt.value};
}

analysis::MetricEstimate Estimate(const std::string& model, const std::string& task,
                                  const std::string& method, const MetricSpec& m, const Value& v,
                                  std::int64_t n) {
  const double skew = Unit(fmt::format("{}/{}/{}/{}/skew", model, task, method, m.name));
  return {.model = model,
          .task = task,
          .method = method,
          .metric = m.name,
          .value = v.value,
          .ci = analysis::Interval{v.value - v.half_width * (0.9 + 0.2 * skew),
                                   v.value + v.half_width * (1.1 - 0.2 * skew)},
          .n = n,
          .undefined_reason = ""};
}

bool IsUndefinedAuroc(const std::string& model, const std::string& task, const std::string& method,
                      const MetricSpec& m) {
  return std::string(m.name) == "auroc" && model == "olmo_7b" && task == "mmlu_stem" &&
         method == "min";
}

analysis::ChangeEstimate Change(const PairSpec& pair, const analysis::MetricEstimate& pt,
                                const analysis::MetricEstimate& it) {
  analysis::ChangeEstimate c;
  c.pair = pair.name;
  c.task = pt.task;
  c.method = pt.method;
  c.metric = pt.metric;
  if (!pt.defined() || !it.defined()) {
    c.pt = pt.value;
    c.it = it.value;
    c.undefined_reason = "PT value undefined: " + pt.undefined_reason;
    return c;
  }
  c.pt = pt.value;
  c.it = it.value;
  c.difference = it.value - pt.value;
  c.change_rate = calibration::ChangeRate(pt.value, it.value);
  // Paired: narrower than the two intervals side by side.
  const double half = 0.25 * ((pt.ci->hi - pt.ci->lo) + (it.ci->hi - it.ci->lo)) / 2;
  c.difference_ci = analysis::Interval{c.difference - half, c.difference + half};
  c.change_rate_ci = analysis::Interval{c.difference_ci->lo / pt.value * 100,
                                        c.difference_ci->hi / pt.value * 100};
  return c;
}

void AddEstimatesAndChanges(analysis::StudyResults& r) {
  for (const PairSpec& pair : kPairs) {
    for (const TaskSpec& task : kTasks) {
      for (const char* method : kMethods) {
        for (const MetricSpec& m : kMetrics) {
          analysis::MetricEstimate pt = Estimate(pair.base, task.name, method, m,
                                                 PtValue(pair, task.name, method, m), task.items);
          const analysis::MetricEstimate it = Estimate(
              pair.instruct, task.name, method, m, ItValue(pair, task.name, method, m), task.items);
          if (IsUndefinedAuroc(pair.base, task.name, method, m)) {
            pt.value = analysis::kNaN;
            pt.ci.reset();
            pt.undefined_reason = kUndefinedAuroc;
          }
          r.changes.push_back(Change(pair, pt, it));
          r.estimates.push_back(std::move(pt));
          r.estimates.push_back(it);
        }
      }
    }
  }
}

analysis::Ranking Rank(const analysis::StudyResults& r, const std::string& metric,
                       const std::string& method) {
  analysis::Ranking ranking;
  ranking.metric = metric;
  ranking.method = method;
  std::vector<std::vector<double>> rates;
  for (const std::string& task : r.tasks) {
    std::vector<double> values;
    for (const analysis::ModelPair& pair : r.pairs) {
      const auto c =
          std::find_if(r.changes.begin(), r.changes.end(), [&](const analysis::ChangeEstimate& x) {
            return x.pair == pair.name && x.task == task && x.method == method &&
                   x.metric == metric;
          });
      values.push_back(c->change_rate);
    }
    const std::vector<int> ranks = calibration::CompetitionRanks(values);
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return ranks[a] < ranks[b]; });
    analysis::TaskRanking t{.task = task, .entries = {}};
    for (std::size_t i : order)
      t.entries.push_back({r.pairs[i].name, values[i], ranks[i]});
    ranking.tasks.push_back(std::move(t));
    rates.push_back(values);
  }
  ranking.concordance = calibration::KendallsW(rates);
  return ranking;
}

// Reliability data shaped like a K = 4 task: confidences >= 0.25, instruct
// models sharper and overconfident.
analysis::ReliabilityDiagram Reliability(const std::string& model, bool instruct,
                                         const TaskSpec& task, const std::string& method) {
  const std::string key = fmt::format("{}/{}/{}", model, task.name, method);
  const double centre = (instruct ? 0.72 : 0.5) + 0.1 * (Unit(key + "/mu") - 0.5);
  const auto accuracy_at = [&](double c) {
    return std::clamp(instruct ? 0.7 * c + 0.05 : 0.92 * c + 0.03, 0.0, 1.0);
  };
  analysis::ReliabilityDiagram d;
  d.model = model;
  d.task = task.name;
  d.method = method;
  std::vector<double> weight;
  for (int b = 0; b < 10; ++b) {
    const double mid = (b + 0.5) / 10;
    weight.push_back(mid < 0.25 ? 0 : std::exp(-(mid - centre) * (mid - centre) / 0.03));
  }
  const double total = std::accumulate(weight.begin(), weight.end(), 0.0);
  for (int b = 0; b < 10; ++b) {
    analysis::ReliabilityBin bin;
    bin.lo = b / 10.0;
    bin.hi = (b + 1) / 10.0;
    bin.count = std::llround(static_cast<double>(task.items) * weight[b] / total);
    if (bin.count > 0) {
      bin.confidence = bin.lo + 0.1 * (0.35 + 0.3 * Unit(fmt::format("{}/{}/c", key, b)));
      bin.accuracy = std::clamp(
          accuracy_at(bin.confidence) + 0.04 * (Unit(fmt::format("{}/{}/a", key, b)) - 0.5), 0.0,
          1.0);
      const double half =
          1.96 * std::sqrt(bin.accuracy * (1 - bin.accuracy) / static_cast<double>(bin.count)) +
          0.002;
      bin.accuracy_band = analysis::Interval{std::max(0.0, bin.accuracy - half),
                                             std::min(1.0, bin.accuracy + half)};
    }
    d.bins.push_back(bin);
  }
  d.bandwidth = 0.05;
  for (int i = 0; i <= 50; ++i) {
    const double t = i / 50.0;
    double density = 0;
    for (const analysis::ReliabilityBin& b : d.bins) {
      if (b.count > 0) {
        const double z = (t - b.confidence) / d.bandwidth;
        density += static_cast<double>(b.count) / static_cast<double>(task.items) *
                   std::exp(-z * z / 2) / (d.bandwidth * std::sqrt(2 * M_PI));
      }
    }
    const double half = 0.015 + 0.08 / (1 + density);
    const double acc = accuracy_at(t);
    d.smooth.push_back(
        {.t = t,
         .accuracy = acc,
         .band = analysis::Interval{std::max(0.0, acc - half), std::min(1.0, acc + half)},
         .density = density});
  }
  return d;
}

analysis::Provenance MakeProvenance() {
  analysis::Provenance p;
  p.llmcal_version = "0.1.0";
  p.llama_cpp_version = "v0.5.0 (node-llama-cpp 3.22.1)";
  p.date = "2025-06-01T12:00:00Z";
  for (const PairSpec& pair : kPairs) {
    for (const char* model : {pair.base, pair.instruct}) {
      p.models.push_back(
          {.name = model,
           .path = fmt::format("/models/{}.Q8_0.gguf", model),
           .size_bytes = 7161089728ull + static_cast<std::uint64_t>(Unit(model) * 1e6),
           .sha256 = Hex(model, 64),
           .architecture = pair.architecture,
           .parameters = 6738415616});
    }
  }
  for (const TaskSpec& task : kTasks) {
    p.tasks.push_back(
        {.name = task.name,
         .files = {{.path = fmt::format("data/{}", task.file),
                    .size_bytes = 1000000 + static_cast<std::uint64_t>(Unit(task.file) * 1e6),
                    .sha256 = Hex(task.file, 64)}},
         .items = task.items});
    for (const PairSpec& pair : kPairs) {
      for (const char* model : {pair.base, pair.instruct}) {
        for (const char* style : {"continuation", "choice"}) {
          p.runs.push_back(
              {.model = model,
               .task = task.name,
               .style = style,
               .template_version = fmt::format("{}-{}-v1", task.name, style),
               .settings = {{"bos", "auto"}, {"ctx_size", "4096"}, {"split", "lm-eval"}}});
        }
      }
    }
  }
  return p;
}

}  // namespace

analysis::StudyResults FixtureStudy() {
  analysis::StudyResults r;
  for (const PairSpec& pair : kPairs) {
    r.models.insert(r.models.end(), {pair.base, pair.instruct});
    r.pairs.push_back({.name = pair.name, .base = pair.base, .instruct = pair.instruct});
  }
  for (const TaskSpec& task : kTasks)
    r.tasks.push_back(task.name);
  r.methods.assign(std::begin(kMethods), std::end(kMethods));
  for (const MetricSpec& m : kMetrics) {
    r.metrics.push_back({.name = m.name,
                         .description = m.description,
                         .lower_is_better = m.lower_is_better,
                         .calibration_error = m.calibration_error});
  }
  r.analysis = {.bins = 10, .resamples = 1000, .level = 0.95, .seed = 7};
  AddEstimatesAndChanges(r);
  for (const char* metric : {"sce", "ece"}) {
    for (const std::string& method : r.methods)
      r.rankings.push_back(Rank(r, metric, method));
  }
  for (const PairSpec& pair : kPairs) {
    for (const TaskSpec& task : kTasks) {
      for (const char* method : kMethods) {
        r.reliability.push_back(Reliability(pair.base, false, task, method));
        r.reliability.push_back(Reliability(pair.instruct, true, task, method));
      }
    }
  }
  r.provenance = MakeProvenance();
  return r;
}

analysis::StudyResults SingleModelStudy() {
  analysis::StudyResults r = FixtureStudy();
  const std::string model = r.models.front();
  r.models = {model};
  r.pairs.clear();
  r.changes.clear();
  r.rankings.clear();
  std::erase_if(r.estimates, [&](const analysis::MetricEstimate& e) { return e.model != model; });
  std::erase_if(r.reliability,
                [&](const analysis::ReliabilityDiagram& d) { return d.model != model; });
  std::erase_if(r.provenance.models,
                [&](const analysis::ModelProvenance& m) { return m.name != model; });
  std::erase_if(r.provenance.runs,
                [&](const analysis::RunProvenance& run) { return run.model != model; });
  return r;
}

analysis::StudyResults FixtureStudyWithoutIntervals() {
  analysis::StudyResults r = FixtureStudy();
  r.analysis.resamples = 0;
  for (analysis::MetricEstimate& e : r.estimates) {
    e.ci = std::nullopt;
    e.ci_resamples = 0;
  }
  for (analysis::ChangeEstimate& c : r.changes)
    c.difference_ci = c.change_rate_ci = std::nullopt;
  for (analysis::ReliabilityDiagram& d : r.reliability) {
    for (analysis::ReliabilityBin& b : d.bins) {
      b.accuracy_band = std::nullopt;
      b.band_resamples = 0;
    }
    for (analysis::SmoothPoint& p : d.smooth)
      p.band = std::nullopt;
  }
  return r;
}

}  // namespace llmcal::report::testing
