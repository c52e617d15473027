// The one table of names of an enum: each value beside the word users type
// for it. The name function, the parser, the list of values and the list of
// accepted names (for flags, study-file keys and messages) all derive from
// it, so they cannot drift apart:
//
//   inline constexpr NamedValue<BosMode> kBosModeNames[] = {
//       {BosMode::kAuto, "auto"}, {BosMode::kOn, "on"}, ...};
//   NameIn(kBosModeNames, BosMode::kOn)      // "on"
//   ValueIn(kBosModeNames, "off")            // BosMode::kOff; nullopt for an unknown name
//   inline constexpr auto kAllBosModes = ValuesOf(kBosModeNames);
//   NamesOf(kBosModeNames)                   // {"auto", "on", ...}, in table order
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmcal {

template <typename Enum>
struct NamedValue {
  Enum value;
  std::string_view name;
};

// Returns the name of `value`, or "unknown" when the table lacks it.
template <typename Enum, std::size_t N>
constexpr std::string_view NameIn(const NamedValue<Enum> (&table)[N], Enum value) {
  for (const NamedValue<Enum>& entry : table) {
    if (entry.value == value)
      return entry.name;
  }
  return "unknown";
}

// Returns the value named `name` (exactly as the table spells it), or nullopt.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> ValueIn(const NamedValue<Enum> (&table)[N], std::string_view name) {
  for (const NamedValue<Enum>& entry : table) {
    if (entry.name == name)
      return entry.value;
  }
  return std::nullopt;
}

// Returns every value of the table, in table order.
template <typename Enum, std::size_t N>
constexpr std::array<Enum, N> ValuesOf(const NamedValue<Enum> (&table)[N]) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<Enum, N>{table[I].value...};
  }
  (std::make_index_sequence<N>{});
}

// Returns every name of the table, in table order.
template <typename Enum, std::size_t N>
std::vector<std::string> NamesOf(const NamedValue<Enum> (&table)[N]) {
  std::vector<std::string> names;
  for (const NamedValue<Enum>& entry : table)
    names.emplace_back(entry.name);
  return names;
}

}  // namespace llmcal
