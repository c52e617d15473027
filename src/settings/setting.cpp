#include "settings/setting.h"

#include <fmt/format.h>

#include <fmt/ranges.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace llmcal::settings {

std::string Setting::FlagName() const {
  const std::string_view first = flag.substr(0, flag.find(','));
  return std::string(first);
}

std::string Setting::KeyPath() const {
  if (key.empty())
    return "";
  return table.empty() ? std::string(key) : fmt::format("{}.{}", table, key);
}

std::string IntegerProblem(const Setting& setting, std::int64_t value) {
  if (value >= setting.min && value <= setting.max)
    return "";
  return fmt::format("{} is outside {}..{}", value, setting.min, setting.max);
}

namespace {

// A whole number as typed: digits with an optional sign. A number too long
// for 64 bits is outside every range; it is named as typed.
std::string IntegerTextProblem(const Setting& setting, std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc::result_out_of_range && stop == end)
    return fmt::format("{} is outside {}..{}", text, setting.min, setting.max);
  if (error != std::errc() || stop != end || text.empty())
    return fmt::format("'{}' is not a whole number", text);
  return IntegerProblem(setting, value);
}

// A number as typed: std::from_chars's decimal or scientific form ("0.5",
// "2e3"; no sign '+', no hex). A number too large or too small for a double
// is outside every range; it is named as typed, like any value outside.
std::string DecimalTextProblem(const Setting& setting, std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  const bool out_of_range = error == std::errc::result_out_of_range && stop == end;
  if (!out_of_range && (error != std::errc() || stop != end || text.empty() || std::isnan(value)))
    return fmt::format("'{}' is not a number", text);
  if (setting.exclusive) {
    if (out_of_range || value <= setting.low || value >= setting.high)
      return fmt::format("{} is not strictly between {} and {}", text, setting.low, setting.high);
  } else if (out_of_range || value < setting.low || value > setting.high) {
    return fmt::format("{} is outside {}..{}", text, setting.low, setting.high);
  }
  return "";
}

}  // namespace

std::string WordProblem(const Setting& setting, std::string_view text) {
  switch (setting.type) {
    case Type::kInteger:
      return IntegerTextProblem(setting, text);
    case Type::kDecimal:
      return DecimalTextProblem(setting, text);
    case Type::kSwitch:
      return "";
    case Type::kName:
    case Type::kNames:
    case Type::kText:
    case Type::kTexts:
      break;
  }
  if (setting.check != nullptr)
    return setting.check(text);
  if (setting.names == nullptr)
    return "";
  const std::vector<std::string> names = setting.names();
  if (std::find(names.begin(), names.end(), text) != names.end())
    return "";
  return fmt::format("'{}' is not one of {}", text, JoinWords(names));
}

std::string ListProblem(const Setting& setting, std::size_t count) {
  if (count > 0 || !setting.non_empty)
    return "";
  return "empty: give at least one";
}

std::string JoinWords(const std::vector<std::string>& words) {
  return fmt::format("{}", fmt::join(words, ", "));
}

}  // namespace llmcal::settings
