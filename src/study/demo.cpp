#include "study/demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "common/error.h"
#include "engine/model_file.h"
#include "fetch/model_source.h"

namespace llmcal::study {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDemoTasks[] = {"arc_easy", "hellaswag", "medmcqa", "mmlu", "piqa"};
constexpr std::uint64_t kDemoSampleSeed = 1;

// A file's stem as a model name: characters a name may not hold become '_'.
std::string ModelNameOf(const fs::path& file) {
  std::string name = fetch::ModelFileStem(file).substr(0, 64);
  for (char& c : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (!ok)
      c = '_';
  }
  return name.empty() ? "model" : name;
}

fs::path BaseModel(const DemoOptions& options) {
  return options.base.empty() ? options.data / "models" / "stories260K.gguf" : options.base;
}

const analysis::ChangeEstimate* FindChange(const analysis::ResultIndex& index,
                                           const std::string& pair, const std::string& task,
                                           const std::string& metric) {
  return index.Change(pair, task, "choice", metric);
}

std::string ChangeCell(const analysis::ChangeEstimate* c) {
  if (c == nullptr || !c->defined())
    return "-";
  return fmt::format("{:.3f} -> {:.3f} ({:+.0f}%{})", c->pt, c->it, c->change_rate,
                     c->significant() ? ", significant" : "");
}

}  // namespace

StudySpec DemoStudy(const DemoOptions& options) {
  const fs::path base = BaseModel(options);
  if (fetch::IsHubReference(base.string()))
    fetch::ParseHubReference(base.string());  // fetched by the runner
  else
    engine::CheckModelFile(base);
  std::error_code ec;
  if (!fs::is_directory(options.data, ec))
    throw InputError::At(options.data.string(), 0, "", "no such data folder (--data)");
  StudySpec spec;
  const bool known = DemoIsKnownAnswer(options);
  StudyPair pair;
  pair.name = ModelNameOf(base);
  pair.base = {known ? "base" : ModelNameOf(base), base};
  if (known) {
    pair.instruct = {"logits-x2", options.out / (fetch::ModelFileStem(base) + "-logits-x2.gguf")};
    pair.instruct_logit_scale = kDemoLogitScale;
  } else {
    pair.instruct = {ModelNameOf(options.instruct), options.instruct};
  }
  if (pair.base.name == pair.instruct.name)
    pair.instruct.name += "-instruct";
  spec.title = known
                   ? fmt::format("llmcal demo: {} against its logit-scaled copy (known answer)",
                                 fetch::ModelFileStem(base))
                   : fmt::format("llmcal demo: {} against {}", pair.base.name, pair.instruct.name);
  spec.db = options.out / "demo.sqlite";
  spec.out = options.out / "report";
  spec.pairs = {pair};
  spec.plan.models = {pair.base, pair.instruct};
  for (const char* task : kDemoTasks)
    spec.plan.tasks.push_back({.name = task, .path = std::nullopt});
  spec.plan.data_dir = options.data;
  spec.plan.styles = {tasks::PromptStyle::kContinuation, tasks::PromptStyle::kChoice};
  if (options.sample > 0)
    spec.plan.selection = {ItemSelection::Kind::kSample, options.sample, kDemoSampleSeed};
  spec.analysis.pairs = {
      {.name = pair.name, .base = pair.base.name, .instruct = pair.instruct.name}};
  spec.analysis.bootstrap.resamples = options.bootstrap;
  spec.report.title = spec.title;
  return spec;
}

std::string DemoIntroduction(const DemoOptions& options) {
  const std::string items = options.sample > 0
                                ? fmt::format("{} items per task (a seeded sample)", options.sample)
                                : std::string("every item of each task");
  if (!DemoIsKnownAnswer(options)) {
    return fmt::format(
        "llmcal demo: {} (pretrained) against {} (instruction-tuned) on ARC-Easy, HellaSwag, "
        "MedMCQA, MMLU and PIQA, {}, both prompt styles, methods sum, min and choice.\n",
        BaseModel(options).string(), options.instruct.string(), items);
  }
  return fmt::format(
      "==================================================================\n"
      " llmcal demo: a known-answer study, offline\n"
      "\n"
      " The models are tiny: stories260K (a real 260K-parameter model\n"
      " trained on children's stories) knows nothing of science, medicine\n"
      " or common sense, so its accuracy is near chance and its numbers\n"
      " say NOTHING about real language models.\n"
      "\n"
      " The 'aligned' model is stories260K with its output logits\n"
      " multiplied by 2: the same network at temperature 1/2, sharper but\n"
      " with the same ranking of tokens. It stands in, under control, for\n"
      " the overconfidence alignment tuning is said to cause.\n"
      "\n"
      " Expect: ECE and SCE (choice method) up significantly on every\n"
      " task, accuracy nearly unchanged (not exactly: this 512-token\n"
      " vocabulary splits ' A' into two tokens while ' B' is one, so\n"
      " sharpening can reorder a few letters).\n"
      "\n"
      " {}, both prompt styles, methods sum, min and choice.\n"
      " Real models: scripts/demo.sh --base BASE.gguf --instruct IT.gguf\n"
      "==================================================================\n",
      items);
}

std::string DemoVerdict(const analysis::Analysis& analysis, bool known_answer) {
  const analysis::StudyResults& r = analysis.results;
  if (r.pairs.empty())
    return "";
  const analysis::ResultIndex index(r);
  const std::string& pair = r.pairs.front().name;
  const bool intervals = r.analysis.intervals();
  std::string out =
      fmt::format("Change from {} to {} (choice method; {})\n\n", r.pairs.front().base,
                  r.pairs.front().instruct,
                  intervals ? fmt::format("{:g}% paired bootstrap", r.analysis.level * 100)
                            : "no bootstrap: significance undefined");
  out += fmt::format("{:<22} {:<38} {:<38} {}\n", "task", "ECE", "SCE", "accuracy");
  int tasks = 0, ece_up = 0, sce_up = 0;
  double largest_accuracy_move = 0;
  for (const std::string& task : r.tasks) {
    const analysis::ChangeEstimate* ece = FindChange(index, pair, task, "ece");
    const analysis::ChangeEstimate* sce = FindChange(index, pair, task, "sce");
    const analysis::ChangeEstimate* acc = FindChange(index, pair, task, "accuracy");
    if (ece == nullptr)
      continue;
    ++tasks;
    ece_up += ece->significant() && ece->difference > 0 ? 1 : 0;
    sce_up += sce != nullptr && sce->significant() && sce->difference > 0 ? 1 : 0;
    if (acc != nullptr && acc->defined())
      largest_accuracy_move = std::max(largest_accuracy_move, std::abs(acc->difference));
    const std::string accuracy =
        acc == nullptr ? "-" : fmt::format("{:.3f} -> {:.3f}", acc->pt, acc->it);
    out +=
        fmt::format("{:<22} {:<38} {:<38} {}\n", task, ChangeCell(ece), ChangeCell(sce), accuracy);
  }
  if (!intervals) {
    out += fmt::format(
        "\nNo bootstrap intervals were computed (--bootstrap 0): significance is undefined, so "
        "the known answer cannot be judged; accuracy moved at most {:.1f} points.\n",
        100 * largest_accuracy_move);
    return out;
  }
  out += fmt::format(
      "\nECE rose significantly on {} of {} tasks, SCE on {} of {}; accuracy moved at most {:.1f} "
      "points.\n",
      ece_up, tasks, sce_up, tasks, 100 * largest_accuracy_move);
  if (known_answer) {
    const bool found = tasks > 0 && ece_up == tasks && sce_up == tasks;
    out += found ? "The study found the known answer: the sharpened copy is less calibrated on "
                   "every task.\n"
                 : "The study did NOT find the known answer on every task (too few items for "
                   "significance? raise --sample).\n";
  }
  return out;
}

}  // namespace llmcal::study
