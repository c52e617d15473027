#include "tasks/task_names.h"

#include <algorithm>
#include <utility>

namespace llmcal::tasks {
namespace {

// lm-evaluation-harness's MMLU subject -> group tags (lm_eval/tasks/mmlu).
constexpr std::pair<std::string_view, std::string_view> kSubjectGroups[] = {
    {"abstract_algebra", "stem"},
    {"anatomy", "stem"},
    {"astronomy", "stem"},
    {"business_ethics", "other"},
    {"clinical_knowledge", "other"},
    {"college_biology", "stem"},
    {"college_chemistry", "stem"},
    {"college_computer_science", "stem"},
    {"college_mathematics", "stem"},
    {"college_medicine", "other"},
    {"college_physics", "stem"},
    {"computer_security", "stem"},
    {"conceptual_physics", "stem"},
    {"econometrics", "social_sciences"},
    {"electrical_engineering", "stem"},
    {"elementary_mathematics", "stem"},
    {"formal_logic", "humanities"},
    {"global_facts", "other"},
    {"high_school_biology", "stem"},
    {"high_school_chemistry", "stem"},
    {"high_school_computer_science", "stem"},
    {"high_school_european_history", "humanities"},
    {"high_school_geography", "social_sciences"},
    {"high_school_government_and_politics", "social_sciences"},
    {"high_school_macroeconomics", "social_sciences"},
    {"high_school_mathematics", "stem"},
    {"high_school_microeconomics", "social_sciences"},
    {"high_school_physics", "stem"},
    {"high_school_psychology", "social_sciences"},
    {"high_school_statistics", "stem"},
    {"high_school_us_history", "humanities"},
    {"high_school_world_history", "humanities"},
    {"human_aging", "other"},
    {"human_sexuality", "social_sciences"},
    {"international_law", "humanities"},
    {"jurisprudence", "humanities"},
    {"logical_fallacies", "humanities"},
    {"machine_learning", "stem"},
    {"management", "other"},
    {"marketing", "other"},
    {"medical_genetics", "other"},
    {"miscellaneous", "other"},
    {"moral_disputes", "humanities"},
    {"moral_scenarios", "humanities"},
    {"nutrition", "other"},
    {"philosophy", "humanities"},
    {"prehistory", "humanities"},
    {"professional_accounting", "other"},
    {"professional_law", "humanities"},
    {"professional_medicine", "other"},
    {"professional_psychology", "social_sciences"},
    {"public_relations", "social_sciences"},
    {"security_studies", "social_sciences"},
    {"sociology", "social_sciences"},
    {"us_foreign_policy", "social_sciences"},
    {"virology", "other"},
    {"world_religions", "humanities"},
};

TaskSpec SimpleSpec(std::string_view name, Benchmark benchmark, Split split) {
  return TaskSpec{std::string(name),       benchmark, std::string(name), split, {},
                  FewShotRuleOf(benchmark)};
}

TaskSpec MmluSpec(std::string_view name, std::vector<std::string> subjects) {
  return TaskSpec{std::string(name), Benchmark::kMmlu,    "mmlu",
                  Split::kTest,      std::move(subjects), FewShotRuleOf(Benchmark::kMmlu)};
}

}  // namespace

const std::vector<std::string>& MmluSubjects() {
  static const std::vector<std::string> subjects = [] {
    std::vector<std::string> out;
    for (const auto& [subject, group] : kSubjectGroups) {
      out.emplace_back(subject);
    }
    return out;
  }();
  return subjects;
}

std::optional<std::string_view> MmluGroupOf(std::string_view subject) {
  for (const auto& [s, group] : kSubjectGroups) {
    if (s == subject) {
      return group;
    }
  }
  return std::nullopt;
}

std::vector<std::string> BuiltinTaskNames() {
  std::vector<std::string> names = {"arc_easy", "arc_challenge", "hellaswag", "medmcqa", "mmlu"};
  for (std::string_view group : kMmluGroups) {
    names.push_back("mmlu_" + std::string(group));
  }
  for (const std::string& subject : MmluSubjects()) {
    names.push_back("mmlu_" + subject);
  }
  names.emplace_back("piqa");
  names.emplace_back("sciq");
  return names;
}

FewShotRule FewShotRuleOf(Benchmark benchmark) {
  using Sampler = FewShotRule::Sampler;
  switch (benchmark) {
    case Benchmark::kMmlu:
      // mmlu/default/_default_template_yaml: fewshot_split: dev, sampler: first_n.
      return {Split::kDev, Sampler::kFirstN, false};
    case Benchmark::kHellaSwag:
    case Benchmark::kPiqa:
      // No fewshot_split: the training split; test_split: null equals the
      // unset fewshot_split, so the sampler draws one more.
      return {Split::kTrain, Sampler::kRandom, true};
    case Benchmark::kArc:
    case Benchmark::kMedMcqa:
    case Benchmark::kSciq:
      // No fewshot_split: the training split; test_split is set, so n draws.
      return {Split::kTrain, Sampler::kRandom, false};
    case Benchmark::kCustom:
      return {std::nullopt, Sampler::kRandom, true};
  }
  return {};
}

std::string_view SplitName(Split split) {
  switch (split) {
    case Split::kTest:
      return "test";
    case Split::kValidation:
      return "validation";
    case Split::kTrain:
      return "train";
    case Split::kDev:
      return "dev";
  }
  return "";
}

bool IsMmluSubjectTask(const TaskSpec& spec) {
  return spec.benchmark == Benchmark::kMmlu && spec.subjects.size() == 1;
}

std::optional<TaskSpec> FindTaskSpec(std::string_view name) {
  if (name == "arc_easy" || name == "arc_challenge") {
    return SimpleSpec(name, Benchmark::kArc, Split::kTest);
  }
  if (name == "hellaswag") {
    return SimpleSpec(name, Benchmark::kHellaSwag, Split::kValidation);
  }
  if (name == "medmcqa") {
    return SimpleSpec(name, Benchmark::kMedMcqa, Split::kValidation);
  }
  if (name == "piqa") {
    return SimpleSpec(name, Benchmark::kPiqa, Split::kValidation);
  }
  if (name == "sciq") {
    return SimpleSpec(name, Benchmark::kSciq, Split::kTest);
  }
  if (name == "mmlu") {
    return MmluSpec(name, MmluSubjects());
  }
  if (!name.starts_with("mmlu_")) {
    return std::nullopt;
  }
  const std::string_view rest = name.substr(5);
  if (std::find(std::begin(kMmluGroups), std::end(kMmluGroups), rest) != std::end(kMmluGroups)) {
    std::vector<std::string> subjects;
    for (const auto& [subject, group] : kSubjectGroups) {
      if (group == rest) {
        subjects.emplace_back(subject);
      }
    }
    return MmluSpec(name, std::move(subjects));
  }
  if (MmluGroupOf(rest)) {
    return MmluSpec(name, {std::string(rest)});
  }
  return std::nullopt;
}

}  // namespace llmcal::tasks
