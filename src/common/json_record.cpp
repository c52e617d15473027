#include "common/json_record.h"

#include <charconv>

namespace llmcal {
namespace {

std::string TypeName(const nlohmann::json& value) {
  return value.type_name();
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the id
// means nothing to a user.
std::string WithoutExceptionId(const std::string& message) {
  if (message.starts_with("[json.exception.")) {
    const std::size_t end = message.find("] ");
    if (end != std::string::npos) {
      return message.substr(end + 2);
    }
  }
  return message;
}

}  // namespace

JsonField JsonField::Member(const std::string& key) const {
  if (!value_->is_object()) {
    throw Error("expected an object, found " + TypeName(*value_));
  }
  const auto it = value_->find(key);
  const std::string path = path_.empty() ? key : path_ + "." + key;
  if (it == value_->end()) {
    throw where_->Error(path, "missing");
  }
  return JsonField(*it, *where_, path);
}

bool JsonField::Has(const std::string& key) const {
  return value_->is_object() && value_->contains(key);
}

std::vector<JsonField> JsonField::Elements() const {
  if (!value_->is_array()) {
    throw Error("expected an array, found " + TypeName(*value_));
  }
  std::vector<JsonField> out;
  out.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i) {
    out.emplace_back((*value_)[i], *where_, path_ + "[" + std::to_string(i) + "]");
  }
  return out;
}

std::string JsonField::String() const {
  if (!value_->is_string()) {
    throw Error("expected a string, found " + TypeName(*value_));
  }
  return value_->get<std::string>();
}

std::int64_t JsonField::Integer() const {
  if (value_->is_number_integer() || value_->is_number_unsigned()) {
    if (value_->is_number_unsigned() &&
        value_->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      throw Error("integer out of range");
    }
    return value_->get<std::int64_t>();
  }
  if (value_->is_string()) {
    const std::string& text = value_->get_ref<const std::string&>();
    std::int64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
      return number;
    }
    throw Error("expected an integer, found \"" + text + "\"");
  }
  throw Error("expected an integer, found " + TypeName(*value_));
}

double JsonField::Number() const {
  if (!value_->is_number()) {
    throw Error("expected a number, found " + TypeName(*value_));
  }
  return value_->get<double>();
}

std::vector<double> JsonField::Numbers() const {
  std::vector<double> out;
  for (const JsonField& element : Elements()) {
    out.push_back(element.Number());
  }
  return out;
}

bool JsonField::Bool() const {
  if (!value_->is_boolean()) {
    throw Error("expected true or false, found " + TypeName(*value_));
  }
  return value_->get<bool>();
}

std::vector<std::string> JsonField::Strings() const {
  std::vector<std::string> out;
  for (const JsonField& element : Elements()) {
    out.push_back(element.String());
  }
  return out;
}

std::string JsonField::IdText() const {
  if (value_->is_string()) {
    return value_->get<std::string>();
  }
  if (value_->is_number_integer() || value_->is_number_unsigned()) {
    return value_->dump();
  }
  throw Error("expected a string or an integer, found " + TypeName(*value_));
}

nlohmann::json ParseJsonDocument(const FileText& file) {
  try {
    return nlohmann::json::parse(file.text);
  } catch (const nlohmann::json::exception& e) {
    throw InputError::At(file.path.string(), 0, "",
                         "malformed JSON: " + WithoutExceptionId(e.what()));
  }
}

void ForEachJsonLine(const FileText& file, BadRecordPolicy& policy,
                     const std::function<void(const JsonField& record)>& on_record) {
  const std::string name = file.path.string();
  for (const Line& line : SplitLines(file.text)) {
    if (IsBlank(line.text)) {
      continue;
    }
    const RecordLocation where{name, line.number};
    policy.Attempt([&] {
      nlohmann::json value;
      try {
        value = nlohmann::json::parse(line.text);
      } catch (const nlohmann::json::exception& e) {
        throw where.Error("", "malformed JSON: " + WithoutExceptionId(e.what()));
      }
      if (!value.is_object()) {
        throw where.Error("", "expected a JSON object, found " + TypeName(value));
      }
      on_record(JsonField(value, where, ""));
    });
  }
}

}  // namespace llmcal
