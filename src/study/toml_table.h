// One TOML table of a study file, read key by key: every accessor returns a
// value of the asked-for type or throws an InputError naming the file, the
// line and the key's dotted path ("paper.toml:12: field 'engine.bos': ...");
// Finish() refuses the keys nobody read.
//
// The Read(setting, target) accessors are the study-file side of a declared
// setting (settings/setting.h): the key, the type and the accepted values
// come from the declaration, and a refusal reads as the flag's does:
//
//   TomlTable analysis = ...;                       // [analysis]
//   analysis.Read(settings::kBins, request.bins);   // bins = 0 -> "...: 0 is outside 1..100000"
//
// A key that is absent leaves the target as it is.
#pragma once

#include <toml++/toml.h>

#include <concepts>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/name_table.h"
#include "settings/setting.h"

namespace llmcal::study {

class TomlTable {
 public:
  // `file` names the study file in errors; `path` is this table's dotted
  // path ("" for the top level, "analysis", "pairs[1]").
  TomlTable(const toml::table& table, std::string file, std::string path);

  std::optional<std::string> String(const std::string& key);
  std::optional<std::int64_t> Integer(const std::string& key);
  // A float or an integer, as a double.
  std::optional<double> Number(const std::string& key);
  std::optional<std::vector<std::string>> Strings(const std::string& key);
  std::optional<TomlTable> Table(const std::string& key);
  // The tables of an array of tables ([[key]]); empty when absent.
  std::vector<TomlTable> Tables(const std::string& key);

  // The setting's key, checked as its declaration says. REQUIRES: this is the
  // setting's table and the setting has a key; the type suits the target
  // (kInteger: integers; kName, kText: a string; kNames, kTexts: a list).
  // Throws InputError at the key, or at the element of a list, for a value
  // of the wrong type or one the declaration refuses.
  template <std::integral Integer>
  requires(!std::same_as<Integer, bool>) void Read(const settings::Setting& setting,
                                                   Integer& target) {
    if (const std::optional<std::int64_t> value = CheckedInteger(setting))
      target = static_cast<Integer>(*value);
  }
  void Read(const settings::Setting& setting, std::string& target);
  void Read(const settings::Setting& setting, std::vector<std::string>& target);
  // An enum setting whose words are `table`'s names.
  template <typename Enum, std::size_t N>
  void Read(const settings::Setting& setting, Enum& target, const NamedValue<Enum> (&table)[N]) {
    std::string name;
    Read(setting, name);
    if (!name.empty())
      target = *ValueIn(table, name);
  }
  // Every key of this table, in the file's order.
  std::vector<std::string> Keys() const;
  // Whether this table has `key` (read or not).
  bool Has(const std::string& key) const { return table_.contains(key); }

  // Throws for the first key of this table that no accessor read.
  void Finish() const;

  // An InputError at this table's key `key` (at the table when it is absent).
  InputError ErrorAt(const std::string& key, const std::string& what) const;
  // The error for this table as a whole (a missing required key).
  InputError Missing(const std::string& key) const;
  // The line of `key`, or of this table when the key is absent.
  std::int64_t LineOf(const std::string& key) const;

 private:
  template <typename T>
  std::optional<T> Scalar(const std::string& key, const char* expected);
  std::optional<std::int64_t> CheckedInteger(const settings::Setting& setting);
  const toml::node* Take(const std::string& key);
  std::string Path(const std::string& key) const;
  InputError Error(const toml::node& node, const std::string& key, const std::string& what) const;

  const toml::table& table_;
  std::string file_;
  std::string path_;
  std::set<std::string> read_;
};

}  // namespace llmcal::study
