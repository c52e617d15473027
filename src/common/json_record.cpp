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

// Parses one record's text and hands it on; shared by both file layouts.
void ParseRecord(std::string_view text, const RecordLocation& where,
                 const std::function<void(const JsonField& record)>& on_record) {
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw where.Error("", "malformed JSON: " + WithoutExceptionId(e.what()));
  }
  if (!value.is_object()) {
    throw where.Error("", "expected a JSON object, found " + TypeName(value));
  }
  on_record(JsonField(value, where, ""));
}

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Walks a JSON array's text element by element, keeping the line number.
class ArrayScanner {
 public:
  ArrayScanner(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

  // Moves past whitespace; returns the next character, or '\0' at the end.
  char SkipSpace() {
    while (pos_ < text_.size() && IsJsonSpace(text_[pos_])) {
      Advance();
    }
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  void Advance() {
    line_ += text_[pos_] == '\n' ? 1 : 0;
    ++pos_;
  }
  // Moves to the ',' or ']' that ends the element starting here; returns the
  // element's text. Strings are skipped whole, so brackets inside them and
  // escaped quotes do not count.
  std::string_view TakeElement() {
    const std::size_t begin = pos_;
    const std::int64_t begin_line = line_;
    int depth = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        SkipString(begin_line);
        continue;
      }
      if (depth == 0 && (c == ',' || c == ']')) {
        break;
      }
      depth += (c == '{' || c == '[') ? 1 : (c == '}' || c == ']') ? -1 : 0;
      Advance();
    }
    if (pos_ == text_.size()) {
      throw Error(begin_line, "unterminated array: no closing ']'");
    }
    return text_.substr(begin, pos_ - begin);
  }
  InputError Error(std::int64_t line, const std::string& what) const {
    return InputError::At(file_, line, "", what);
  }
  std::int64_t line() const { return line_; }

 private:
  void SkipString(std::int64_t element_line) {
    Advance();  // the opening quote
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        Advance();
      }
      Advance();
    }
    if (pos_ == text_.size()) {
      throw Error(element_line, "unterminated string");
    }
    Advance();  // the closing quote
  }

  std::string_view text_;
  std::string file_;
  std::size_t pos_ = 0;
  std::int64_t line_ = 1;
};

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
    policy.Attempt([&] { ParseRecord(line.text, where, on_record); });
  }
}

void ForEachJsonArrayElement(const FileText& file, BadRecordPolicy& policy,
                             const std::function<void(const JsonField& record)>& on_record) {
  const std::string name = file.path.string();
  ArrayScanner scan(file.text, name);
  if (scan.SkipSpace() != '[') {
    throw scan.Error(scan.line(), "expected a JSON array of records");
  }
  scan.Advance();
  if (scan.SkipSpace() == ']') {
    scan.Advance();
  } else {
    for (std::int64_t index = 0;; ++index) {
      scan.SkipSpace();
      const RecordLocation where{name, scan.line(), index};
      const std::string_view element = scan.TakeElement();
      policy.Attempt([&] { ParseRecord(element, where, on_record); });
      const char end = scan.SkipSpace();
      scan.Advance();
      if (end == ']') {
        break;
      }
    }
  }
  if (scan.SkipSpace() != '\0') {
    throw scan.Error(scan.line(), "text after the closing ']' of the array");
  }
}

bool StartsWithJsonArray(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '[';
}

}  // namespace llmcal
