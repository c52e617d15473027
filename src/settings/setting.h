// A setting: one value a user chooses (bins, threads, bos, styles, ...),
// declared once as plain data — its study-file key, its command-line flag,
// its type, its accepted values, its default and its help text. The flags
// (cli/setting_flags.h, CLI11) and the study-file keys (study/toml_table.h,
// toml++) are both made from the declaration, so a value one accepts the
// other accepts, and a value one refuses the other refuses with the same
// words:
//
//   llmcal metrics --bins 0     -> "--bins: 0 is outside 1..100000"
//   [analysis] bins = 0         -> "paper.toml:41: field 'analysis.bins': 0 is outside 1..100000"
//
// The declarations themselves are in settings/settings.h; docs/architecture.md
// ("Settings") says how to add one. Nothing here knows CLI11 or toml++.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmcal::settings {

enum class Type {
  kInteger,  // a whole number in [min, max]
  kDecimal,  // a number, a fraction allowed ("0.5", "2e3"), in [low, high] or (low, high)
  kName,     // one word: one of names() (an enum's table), or any word check accepts
  kNames,    // a list of such words (comma-separated on the command line)
  kText,     // free text (a path, a host:port, a task reference)
  kTexts,    // a list of free texts
  kSwitch,   // on when given (command line only)
};

struct Setting {
  // Where a study file sets it: key `key` of table [table] ("" = the top
  // level). key "" = study files do not take it.
  std::string_view table = {};
  std::string_view key = {};
  // The command-line names, CLI11-style ("--threads,-t"); "" = no flag.
  std::string_view flag = {};
  Type type = Type::kInteger;
  std::string help = {};
  // kInteger: the accepted range, both ends included.
  std::int64_t min = 0;
  std::int64_t max = 0;
  // kDecimal: the accepted range; both ends included, or both excluded when
  // `exclusive` (a fraction strictly between 0 and 1).
  double low = 0;
  double high = 0;
  bool exclusive = false;
  // The default as a user would write it ("10", "auto", "continuation,choice");
  // "" = no default (the setting is optional or decided elsewhere).
  std::string fallback = {};
  // kName, kNames: the accepted words, from the enum's one table; or nullptr
  // and `check` decides (an open set such as metric names).
  std::vector<std::string> (*names)() = nullptr;
  // kName, kNames, kText, kTexts: returns "" when one word is acceptable,
  // else why not. nullptr: any word `names` lists (or any at all).
  std::string (*check)(std::string_view word) = nullptr;
  // kNames, kTexts: an empty list is refused.
  bool non_empty = false;

  // The flag's first long name ("--threads"), or "" when there is none.
  std::string FlagName() const;
  // Where a study file sets it, as errors name it: "analysis.bins", "tasks".
  std::string KeyPath() const;
};

// Returns "" when `value` is acceptable for the kInteger `setting`, else
// "V is outside MIN..MAX".
std::string IntegerProblem(const Setting& setting, std::int64_t value);

// Returns "" when `text` (one word as typed; for a list, one element) is
// acceptable for `setting`, else why not: "0 is outside 1..100000",
// "'x' is not a whole number", "0 is outside 0.1..86400", "1 is not strictly
// between 0 and 1", "'x' is not a number", "'lettered' is not one of
// continuation, choice", or what `check` says.
std::string WordProblem(const Setting& setting, std::string_view text);

// Returns "" when a list of `count` elements is acceptable, else
// "empty: give at least one" for an empty list the setting refuses.
std::string ListProblem(const Setting& setting, std::size_t count);

// Returns "a, b, c": the words, comma-separated, for messages and help.
std::string JoinWords(const std::vector<std::string>& words);

}  // namespace llmcal::settings
