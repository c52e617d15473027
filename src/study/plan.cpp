#include "study/plan.h"

#include <fmt/format.h>

#include <charconv>

#include "common/error.h"
#include "tasks/subset.h"

namespace llmcal::study {

bool IsValidModelName(std::string_view name) {
  if (name.empty() || name.size() > 64)
    return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

ModelRef ParseModelRef(const std::string& argument) {
  const std::size_t equals = argument.find('=');
  ModelRef ref;
  if (equals == std::string::npos) {
    ref.path = argument;
    ref.name = ref.path.stem().string();
  } else {
    ref.name = argument.substr(0, equals);
    ref.path = argument.substr(equals + 1);
  }
  if (ref.path.empty())
    throw InputError(fmt::format("--model {}: no model file given", argument));
  if (!IsValidModelName(ref.name)) {
    throw InputError(fmt::format(
        "--model {}: model name '{}' must be 1 to 64 of the characters A-Z a-z 0-9 . _ -; "
        "write NAME=PATH",
        argument, ref.name));
  }
  return ref;
}

std::string Shard::Name() const {
  return fmt::format("{}/{}", index, count);
}

Shard ParseShard(std::string_view text) {
  const std::size_t slash = text.find('/');
  Shard shard;
  const auto parse = [](std::string_view digits, int& out) {
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc() && end == digits.data() + digits.size() && !digits.empty();
  };
  if (slash == std::string_view::npos || !parse(text.substr(0, slash), shard.index) ||
      !parse(text.substr(slash + 1), shard.count) || shard.count < 1 || shard.index < 1 ||
      shard.index > shard.count) {
    throw InputError(
        fmt::format("--shard {}: expected I/N with 1 <= I <= N (e.g. 2/8)", std::string(text)));
  }
  return shard;
}

std::vector<std::int64_t> SelectItems(std::size_t count, const ItemSelection& selection) {
  std::vector<std::size_t> indices;
  switch (selection.kind) {
    case ItemSelection::Kind::kAll:
      indices = tasks::FirstItems(count, count);
      break;
    case ItemSelection::Kind::kFirst:
      indices = tasks::FirstItems(count, selection.n);
      break;
    case ItemSelection::Kind::kSample:
      indices = tasks::SampleItems(count, selection.n, selection.seed);
      break;
  }
  return {indices.begin(), indices.end()};
}

std::vector<std::vector<std::int64_t>> ShardBlocks(std::span<const std::int64_t> selected,
                                                   std::size_t block_items, const Shard& shard,
                                                   std::uint64_t rotation) {
  std::vector<std::vector<std::int64_t>> blocks;
  const std::size_t n_blocks = (selected.size() + block_items - 1) / block_items;
  const auto count = static_cast<std::size_t>(shard.count);
  // The first block j with (j + rotation) mod count == index - 1.
  const std::size_t first_block = (static_cast<std::size_t>(shard.index - 1) + count -
                                   static_cast<std::size_t>(rotation % count)) %
                                  count;
  for (std::size_t j = first_block; j < n_blocks; j += count) {
    const std::size_t first = j * block_items;
    const std::size_t n = std::min(block_items, selected.size() - first);
    const auto block = selected.subspan(first, n);
    blocks.emplace_back(block.begin(), block.end());
  }
  return blocks;
}

std::uint64_t ShardRotation(std::string_view model, std::string_view style,
                            std::span<const std::string> task_digests) {
  // FNV-1a 64: fixed by its definition, the same on every machine.
  std::uint64_t hash = 14695981039346656037ULL;
  const auto add = [&hash](std::string_view text) {
    for (char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;  // a separator no UTF-8 text contains
    hash *= 1099511628211ULL;
  };
  add(model);
  add(style);
  for (const std::string& digest : task_digests)
    add(digest);
  return hash;
}

std::string DescribeLoadOptions(const tasks::LoadOptions& options) {
  return fmt::format(
      "skip_bad={} medmcqa_cop_base={}", options.skip_bad ? 1 : 0,
      options.medmcqa_cop_base ? std::to_string(*options.medmcqa_cop_base) : std::string("auto"));
}

std::size_t StudyPlan::NumFewShot(const std::string& name) const {
  const auto it = num_fewshot_by_task.find(name);
  return it == num_fewshot_by_task.end() ? num_fewshot : it->second;
}

}  // namespace llmcal::study
