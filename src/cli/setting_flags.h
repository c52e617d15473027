// The command-line side of a setting (settings/setting.h): registers a
// declared setting as a CLI11 flag bound to the caller's variable, with the
// declaration's names, help, default and limits. A refused value reads as
// the study file's refusal does: "--bins: 0 is outside 1..100000".
//
//   AddFlag(*cmd, settings::kBins, request.bins.bins);
//   AddFlag(*cmd, settings::kBos, options.bos, engine::kBosModeNames);
//
// A declaration with a default sets the variable to it; one without leaves
// the variable as it is (and shows no default). Each returns the option, for
// what only one command needs (->needs, ->excludes, ->required).
#pragma once

#include <CLI/CLI.hpp>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/name_table.h"
#include "settings/setting.h"

namespace llmcal::cli {

// REQUIRES (all): setting.flag is not empty; `target` outlives `cmd`; the
// setting's type suits the target (kInteger: the integers; kDecimal: a
// double, or an optional one for a setting without a default; kName, kText:
// a string; kNames, kTexts: a list; kSwitch: bool).
CLI::Option* AddFlag(CLI::App& cmd, const settings::Setting& setting, std::string& target);
CLI::Option* AddFlag(CLI::App& cmd, const settings::Setting& setting,
                     std::vector<std::string>& target);
CLI::Option* AddFlag(CLI::App& cmd, const settings::Setting& setting, bool& target);
CLI::Option* AddFlag(CLI::App& cmd, const settings::Setting& setting,
                     std::optional<double>& target);

// The check CLI11 runs on every word of the flag: settings::WordProblem.
CLI::Validator SettingCheck(const settings::Setting& setting);

// A number setting with a default: kInteger (an integer target) or kDecimal
// (a double).
template <typename Number>
requires((std::integral<Number> && !std::same_as<Number, bool>) ||
         std::floating_point<Number>) CLI::Option* AddFlag(CLI::App& cmd,
                                                           const settings::Setting& setting,
                                                           Number& target) {
  const std::string& fallback = setting.fallback;
  if (!fallback.empty())
    std::from_chars(fallback.data(), fallback.data() + fallback.size(), target);
  CLI::Option* option = cmd.add_option(std::string(setting.flag), target, setting.help);
  option->check(SettingCheck(setting));
  if (!fallback.empty())
    option->default_str(fallback);
  return option;
}

// An enum setting (kName) whose words are `table`'s names.
template <typename Enum, std::size_t N>
CLI::Option* AddFlag(CLI::App& cmd, const settings::Setting& setting, Enum& target,
                     const NamedValue<Enum> (&table)[N]) {
  if (!setting.fallback.empty())
    target = *ValueIn(table, setting.fallback);
  CLI::Option* option = cmd.add_option_function<std::string>(
      std::string(setting.flag),
      [&target, &table](const std::string& name) { target = *ValueIn(table, name); }, setting.help);
  option->check(SettingCheck(setting));
  if (!setting.fallback.empty())
    option->default_str(setting.fallback);
  return option;
}

}  // namespace llmcal::cli
