// Command-line values of an enum, derived from the enum's one table of values
// and its one name function, so that a flag's accepted names cannot drift
// from the library's:
//
//   cmd.add_option("--style", style)->check(CLI::IsMember(
//       EnumNames(tasks::kAllPromptStyles, tasks::PromptStyleName)));
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace llmcal::cli {

// The names of every value in `all`, in table order.
template <typename Enum, std::size_t N, typename NameFn>
std::vector<std::string> EnumNames(const Enum (&all)[N], NameFn name) {
  std::vector<std::string> out;
  for (Enum value : all)
    out.emplace_back(name(value));
  return out;
}

// Name -> value for every value in `all`, for CLI::CheckedTransformer.
template <typename Enum, std::size_t N, typename NameFn>
std::map<std::string, Enum> EnumsByName(const Enum (&all)[N], NameFn name) {
  std::map<std::string, Enum> out;
  for (Enum value : all)
    out.emplace(std::string(name(value)), value);
  return out;
}

// "a, b, c": the names of every value in `all`, for help texts.
template <typename Enum, std::size_t N, typename NameFn>
std::string EnumNameList(const Enum (&all)[N], NameFn name) {
  std::string out;
  for (const std::string& n : EnumNames(all, name))
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace llmcal::cli
