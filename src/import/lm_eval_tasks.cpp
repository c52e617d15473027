#include "import/lm_eval_tasks.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include "common/error.h"

namespace llmcal::import {
namespace {

// Items of the split the harness evaluates, as released (docs/tasks.md).
const std::map<std::string, std::int64_t, std::less<>>& BenchmarkCounts() {
  static const std::map<std::string, std::int64_t, std::less<>> counts = {
      {"arc_easy", 2376}, {"arc_challenge", 1172}, {"hellaswag", 10042},
      {"medmcqa", 4183},  {"piqa", 1838},          {"sciq", 1000}};
  return counts;
}

std::int64_t MmluItems() {
  std::int64_t total = 0;
  for (const auto& [subject, count] : MmluTestCounts())
    total += count;
  return total;
}

// The subject of "mmlu_<subject>" or "mmlu_continuation_<subject>", or "".
std::string MmluSubjectOf(std::string_view name) {
  for (std::string_view prefix : {"mmlu_continuation_", "mmlu_"}) {
    if (name.starts_with(prefix)) {
      const std::string_view subject = name.substr(prefix.size());
      if (MmluTestCounts().contains(subject))
        return std::string(subject);
    }
  }
  return "";
}

std::int64_t Line(const toml::node& node) {
  return static_cast<std::int64_t>(node.source().begin.line);
}

TargetReading ParseTargetReading(const toml::node& node, const std::string& file,
                                 const std::string& key) {
  const std::optional<std::string> text = node.value_exact<std::string>();
  if (text == "auto")
    return TargetReading::kAuto;
  if (text == "index")
    return TargetReading::kIndex;
  if (text == "text")
    return TargetReading::kText;
  throw InputError::At(file, Line(node), key, "expected \"auto\", \"index\" or \"text\"");
}

TaskRule ParseRule(const toml::node& node, const std::string& file, const std::string& key) {
  TaskRule rule;
  if (const std::optional<std::string> name = node.value_exact<std::string>()) {
    rule.name = *name;
  } else if (const toml::table* table = node.as_table()) {
    for (const auto& [field_key, value] : *table) {
      const std::string field = std::string(field_key.str());
      const std::string path = key + "." + field;
      if (field == "name") {
        if (!value.is_string())
          throw InputError::At(file, Line(value), path, "expected a string");
        rule.name = *value.value_exact<std::string>();
      } else if (field == "target") {
        rule.target = ParseTargetReading(value, file, path);
      } else if (field == "target_delimiter") {
        if (!value.is_string())
          throw InputError::At(file, Line(value), path, "expected a string");
        rule.target_delimiter = *value.value_exact<std::string>();
      } else {
        throw InputError::At(file, Line(value), path,
                             "unknown key (name, target, target_delimiter)");
      }
    }
    if (!table->contains("name"))
      rule.name = key.substr(key.find('.') + 1);
  } else {
    throw InputError::At(file, Line(node), key,
                         "expected a task name or a table {name, target, target_delimiter}");
  }
  if (rule.name.empty())
    throw InputError::At(file, Line(node), key, "empty task name");
  return rule;
}

}  // namespace

const std::map<std::string, std::int64_t, std::less<>>& MmluTestCounts() {
  // Counted from the MMLU release's test CSV files (data/mmlu/test); the
  // import tests check this table against them.
  static const std::map<std::string, std::int64_t, std::less<>> counts = {
      {"abstract_algebra", 100},
      {"anatomy", 135},
      {"astronomy", 152},
      {"business_ethics", 100},
      {"clinical_knowledge", 265},
      {"college_biology", 144},
      {"college_chemistry", 100},
      {"college_computer_science", 100},
      {"college_mathematics", 100},
      {"college_medicine", 173},
      {"college_physics", 102},
      {"computer_security", 100},
      {"conceptual_physics", 235},
      {"econometrics", 114},
      {"electrical_engineering", 145},
      {"elementary_mathematics", 378},
      {"formal_logic", 126},
      {"global_facts", 100},
      {"high_school_biology", 310},
      {"high_school_chemistry", 203},
      {"high_school_computer_science", 100},
      {"high_school_european_history", 165},
      {"high_school_geography", 198},
      {"high_school_government_and_politics", 193},
      {"high_school_macroeconomics", 390},
      {"high_school_mathematics", 270},
      {"high_school_microeconomics", 238},
      {"high_school_physics", 151},
      {"high_school_psychology", 545},
      {"high_school_statistics", 216},
      {"high_school_us_history", 204},
      {"high_school_world_history", 237},
      {"human_aging", 223},
      {"human_sexuality", 131},
      {"international_law", 121},
      {"jurisprudence", 108},
      {"logical_fallacies", 163},
      {"machine_learning", 112},
      {"management", 103},
      {"marketing", 234},
      {"medical_genetics", 100},
      {"miscellaneous", 783},
      {"moral_disputes", 346},
      {"moral_scenarios", 895},
      {"nutrition", 306},
      {"philosophy", 311},
      {"prehistory", 324},
      {"professional_accounting", 282},
      {"professional_law", 1534},
      {"professional_medicine", 272},
      {"professional_psychology", 612},
      {"public_relations", 110},
      {"security_studies", 245},
      {"sociology", 201},
      {"us_foreign_policy", 100},
      {"virology", 166},
      {"world_religions", 171},
  };
  return counts;
}

TaskMap TaskMap::Read(const std::filesystem::path& path) {
  const std::string file = path.string();
  toml::table document;
  try {
    document = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    throw InputError::At(file, static_cast<std::int64_t>(e.source().begin.line), "",
                         std::string(e.description()));
  }
  TaskMap map;
  for (const auto& [key, node] : document) {
    if (key.str() != "tasks")
      throw InputError::At(file, Line(node), std::string(key.str()), "unknown key (tasks)");
    const toml::table* tasks = node.as_table();
    if (tasks == nullptr)
      throw InputError::At(file, Line(node), "tasks", "expected a table");
    for (const auto& [task_key, rule] : *tasks) {
      const std::string name = std::string(task_key.str());
      map.rules_[name] = ParseRule(rule, file, "tasks." + name);
    }
  }
  return map;
}

const TaskRule* TaskMap::Find(std::string_view harness_task) const {
  const auto it = rules_.find(harness_task);
  return it == rules_.end() ? nullptr : &it->second;
}

std::vector<std::string> TaskMap::HarnessNames() const {
  std::vector<std::string> names;
  for (const auto& [name, rule] : rules_)
    names.push_back(name);
  return names;
}

TaskDestination DestinationOf(std::string_view name) {
  if (const std::string subject = MmluSubjectOf(name); !subject.empty()) {
    TaskDestination d;
    d.task = "mmlu";
    d.subject = subject;
    for (const auto& [s, count] : MmluTestCounts()) {
      if (s == subject) {
        d.documents = count;
        break;
      }
      d.index_offset += count;
    }
    d.task_items = MmluItems();
    return d;
  }
  TaskDestination d;
  d.task = std::string(name);
  if (const auto it = BenchmarkCounts().find(name); it != BenchmarkCounts().end()) {
    d.documents = it->second;
    d.task_items = it->second;
  }
  return d;
}

}  // namespace llmcal::import
