#include "study/toml_table.h"

#include <fmt/format.h>

namespace llmcal::study {

namespace {

std::int64_t Line(const toml::node& node) {
  return static_cast<std::int64_t>(node.source().begin.line);
}

}  // namespace

TomlTable::TomlTable(const toml::table& table, std::string file, std::string path)
    : table_(table), file_(std::move(file)), path_(std::move(path)) {}

std::optional<std::string> TomlTable::String(const std::string& key) {
  return Scalar<std::string>(key, "a string");
}

std::optional<std::int64_t> TomlTable::Integer(const std::string& key) {
  return Scalar<std::int64_t>(key, "an integer");
}

std::optional<double> TomlTable::Number(const std::string& key) {
  const toml::node* node = Take(key);
  if (node == nullptr)
    return std::nullopt;
  const std::optional<double> value = node->value<double>();
  if (!value)
    throw Error(*node, key, "expected a number");
  return value;
}

std::optional<std::vector<std::string>> TomlTable::Strings(const std::string& key) {
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

std::optional<TomlTable> TomlTable::Table(const std::string& key) {
  const toml::node* node = Take(key);
  if (node == nullptr)
    return std::nullopt;
  if (!node->is_table())
    throw Error(*node, key, "expected a table");
  return TomlTable(*node->as_table(), file_, Path(key));
}

std::vector<TomlTable> TomlTable::Tables(const std::string& key) {
  const toml::node* node = Take(key);
  std::vector<TomlTable> tables;
  if (node == nullptr)
    return tables;
  const toml::array* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables())
    throw Error(*node, key, fmt::format("expected [[{}]] tables", key));
  for (std::size_t i = 0; i < array->size(); ++i)
    tables.emplace_back(*(*array)[i].as_table(), file_, fmt::format("{}[{}]", Path(key), i));
  return tables;
}

std::optional<std::int64_t> TomlTable::CheckedInteger(const settings::Setting& setting) {
  const std::string key(setting.key);
  const std::optional<std::int64_t> value = Integer(key);
  if (value) {
    if (const std::string problem = settings::IntegerProblem(setting, *value); !problem.empty())
      throw ErrorAt(key, problem);
  }
  return value;
}

void TomlTable::Read(const settings::Setting& setting, std::string& target) {
  const std::string key(setting.key);
  const std::optional<std::string> value = String(key);
  if (!value)
    return;
  if (const std::string problem = settings::WordProblem(setting, *value); !problem.empty())
    throw ErrorAt(key, problem);
  target = *value;
}

void TomlTable::Read(const settings::Setting& setting, std::vector<std::string>& target) {
  const std::string key(setting.key);
  const std::optional<std::vector<std::string>> values = Strings(key);
  if (!values)
    return;
  if (const std::string problem = settings::ListProblem(setting, values->size()); !problem.empty())
    throw ErrorAt(key, problem);
  const toml::array& array = *table_.get(key)->as_array();
  for (std::size_t i = 0; i < values->size(); ++i) {
    if (const std::string problem = settings::WordProblem(setting, (*values)[i]);
        !problem.empty()) {
      throw Error(array[i], key, problem);
    }
  }
  target = *values;
}

std::vector<std::string> TomlTable::Keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, node] : table_)
    keys.emplace_back(key.str());
  return keys;
}

void TomlTable::Finish() const {
  for (const auto& [key, node] : table_) {
    if (!read_.contains(std::string(key.str())))
      throw Error(node, std::string(key.str()), "unknown key");
  }
}

InputError TomlTable::ErrorAt(const std::string& key, const std::string& what) const {
  const toml::node* node = table_.get(key);
  return node != nullptr ? Error(*node, key, what)
                         : InputError::At(file_, Line(table_), Path(key), what);
}

InputError TomlTable::Missing(const std::string& key) const {
  return InputError::At(file_, Line(table_), Path(key), "missing");
}

std::int64_t TomlTable::LineOf(const std::string& key) const {
  const toml::node* node = table_.get(key);
  return Line(node != nullptr ? *node : table_);
}

template <typename T>
std::optional<T> TomlTable::Scalar(const std::string& key, const char* expected) {
  const toml::node* node = Take(key);
  if (node == nullptr)
    return std::nullopt;
  const std::optional<T> value = node->value_exact<T>();
  if (!value)
    throw Error(*node, key, fmt::format("expected {}", expected));
  return value;
}

const toml::node* TomlTable::Take(const std::string& key) {
  read_.insert(key);
  return table_.get(key);
}

std::string TomlTable::Path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

InputError TomlTable::Error(const toml::node& node, const std::string& key,
                            const std::string& what) const {
  return InputError::At(file_, Line(node), Path(key), what);
}

}  // namespace llmcal::study
