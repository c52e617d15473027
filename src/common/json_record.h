// Reading one JSON record field by field. Every accessor either returns a
// value of the asked-for type or throws an InputError naming the file, the
// line and the field's path ("question.choices[2].text"), so loaders never
// touch nlohmann::json in ways that could throw anything else. Records come
// from JSON Lines files (one object per line) or from files holding one JSON
// array of objects.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/record_source.h"

namespace llmcal {

// A JSON value together with where it sits: its record's location and its
// field path inside the record ("" for the record itself).
class JsonField {
 public:
  JsonField(const nlohmann::json& value, const RecordLocation& where, std::string path)
      : value_(&value), where_(&where), path_(std::move(path)) {}

  // The member `key` of this object. Throws when this is not an object or the
  // member is missing.
  JsonField Member(const std::string& key) const;
  // True when this is an object with a member `key`.
  bool Has(const std::string& key) const;
  // The elements of this array. Throws when this is not an array.
  std::vector<JsonField> Elements() const;

  bool IsString() const { return value_->is_string(); }
  bool IsObject() const { return value_->is_object(); }
  bool IsNumber() const { return value_->is_number(); }
  bool IsNull() const { return value_->is_null(); }
  // This value as a string. Throws when it is not a string.
  std::string String() const;
  // This value as an integer: a JSON integer, or a string holding a decimal
  // integer ("3"), as the Hugging Face exports store some labels. Throws
  // otherwise.
  std::int64_t Integer() const;
  // This value as a double. Throws when it is not a JSON number.
  double Number() const;
  // The elements of this array as doubles. Throws when this is not an array of numbers.
  std::vector<double> Numbers() const;
  // This value as a bool. Throws when it is not true or false.
  bool Bool() const;
  // The string elements of this array. Throws when this is not an array of strings.
  std::vector<std::string> Strings() const;
  // A string or integer id as text. Throws for other types.
  std::string IdText() const;
  // The value itself, for copying it through unchanged.
  const nlohmann::json& Json() const { return *value_; }

  // An InputError located at this field.
  InputError Error(const std::string& what) const { return where_->Error(path_, what); }
  const RecordLocation& where() const { return *where_; }

 private:
  const nlohmann::json* value_;
  const RecordLocation* where_;
  std::string path_;
};

// Returns the JSON document that is the whole of `file`.
// Throws InputError naming the file on malformed JSON (the wording of
// ForEachJsonLine's malformed lines).
nlohmann::json ParseJsonDocument(const FileText& file);

// Calls `on_record` for each non-blank line of a JSON Lines file, with the
// line's object. A malformed line, a line that is not an object, or an
// InputError from `on_record` goes to `policy` (fail or skip).
void ForEachJsonLine(const FileText& file, BadRecordPolicy& policy,
                     const std::function<void(const JsonField& record)>& on_record);

// Calls `on_record` for each element of a file that is one JSON array of
// objects (e.g. SciQ's original test.json), each located at the line where
// it starts and by its index in the array (RecordLocation::array_index). A
// malformed element, or one that is not an object, goes to `policy`. Throws
// InputError (never skipped) when the file as a whole is not an array: no
// opening '[', an unterminated string or array, text after the closing ']'.
void ForEachJsonArrayElement(const FileText& file, BadRecordPolicy& policy,
                             const std::function<void(const JsonField& record)>& on_record);

// Returns true when the first character of `text` that is not ASCII
// whitespace is '[': a JSON array rather than JSON Lines.
bool StartsWithJsonArray(std::string_view text);

}  // namespace llmcal
