// Command-line values of an enum, derived from the enum's one table of values
// and its one name function, so that a flag's accepted names cannot drift
// from the library's:
//
//   cmd.add_option("--style", style)->check(CLI::IsMember(
//       EnumNames(tasks::kAllPromptStyles, tasks::PromptStyleName)));
#pragma once

#include <cstddef>
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

}  // namespace llmcal::cli
