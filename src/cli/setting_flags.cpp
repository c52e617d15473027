#include "cli/setting_flags.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>

namespace llmcal::cli {

namespace {

using settings::Setting;
using settings::Type;

// What the help shows after the type: the range or the accepted words.
std::string Description(const Setting& setting) {
  if (setting.type == Type::kInteger)
    return fmt::format("INT in [{} - {}]", setting.min, setting.max);
  if (setting.type == Type::kDecimal && setting.exclusive)
    return fmt::format("FLOAT in ({} - {})", setting.low, setting.high);
  if (setting.type == Type::kDecimal)
    return fmt::format("FLOAT in [{} - {}]", setting.low, setting.high);
  if (setting.names != nullptr)
    return fmt::format("{{{}}}", fmt::join(setting.names(), ","));
  return "";
}

}  // namespace

CLI::Validator SettingCheck(const Setting& setting) {
  return CLI::Validator(
      [&setting](std::string& word) { return settings::WordProblem(setting, word); },
      Description(setting));
}

CLI::Option* AddFlag(CLI::App& cmd, const Setting& setting, std::string& target) {
  if (!setting.fallback.empty())
    target = setting.fallback;
  CLI::Option* option = cmd.add_option(std::string(setting.flag), target, setting.help);
  option->check(SettingCheck(setting));
  if (!setting.fallback.empty())
    option->default_str(setting.fallback);
  return option;
}

CLI::Option* AddFlag(CLI::App& cmd, const Setting& setting, std::vector<std::string>& target) {
  if (!setting.fallback.empty())
    target = CLI::detail::split(setting.fallback, ',');
  CLI::Option* option = cmd.add_option(std::string(setting.flag), target, setting.help);
  option->delimiter(',')->check(SettingCheck(setting));
  if (!setting.fallback.empty())
    option->default_str(setting.fallback);
  return option;
}

CLI::Option* AddFlag(CLI::App& cmd, const Setting& setting, bool& target) {
  return cmd.add_flag(std::string(setting.flag), target, setting.help);
}

CLI::Option* AddFlag(CLI::App& cmd, const Setting& setting, std::optional<double>& target) {
  return cmd.add_option(std::string(setting.flag), target, setting.help)
      ->check(SettingCheck(setting));
}

}  // namespace llmcal::cli
