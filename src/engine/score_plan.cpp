#include "engine/score_plan.h"

#include <algorithm>
#include <map>
#include <optional>

namespace llmcal::engine {

std::size_t ScoreUnit::n_tokens() const {
  std::size_t n = shared.size();
  for (const auto& b : branches)
    n += b.tail.size();
  return n;
}

namespace {

TokenIds InputOf(const SplitTokens& s) {
  TokenIds input = s.prefix;
  input.insert(input.end(), s.continuation.begin(), s.continuation.end() - 1);
  return input;
}

std::size_t CommonPrefixLength(const std::vector<TokenIds>& inputs) {
  std::size_t n = inputs.front().size();
  for (const auto& in : inputs) {
    n = std::min<std::size_t>(
        n, std::mismatch(inputs.front().begin(), inputs.front().begin() + n, in.begin(), in.end())
                   .first -
               inputs.front().begin());
  }
  return n;
}

// Builds a unit from inputs whose continuation k starts predicting at input
// position first_pos[k] (the position whose row predicts its first token).
ScoreUnit BuildUnit(std::size_t item, const std::vector<TokenIds>& inputs,
                    const std::vector<const TokenIds*>& continuations,
                    const std::vector<std::size_t>& continuation_ids,
                    const std::vector<std::size_t>& first_pos) {
  ScoreUnit unit;
  unit.item = item;
  const std::size_t shared_len = CommonPrefixLength(inputs);
  unit.shared.assign(inputs.front().begin(), inputs.front().begin() + shared_len);

  std::map<std::size_t, std::vector<TokenSlot>> rows;  // offset -> slots
  std::size_t tail_offset = shared_len;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const TokenIds& cont = *continuations[k];
    const std::size_t tail_len = inputs[k].size() - shared_len;
    for (std::size_t j = 0; j < cont.size(); ++j) {
      const std::size_t pos = first_pos[k] + j;
      const std::size_t offset = pos < shared_len ? pos : tail_offset + (pos - shared_len);
      rows[offset].push_back({continuation_ids[k], j, cont[j]});
    }
    if (tail_len > 0) {
      unit.branches.push_back({TokenIds(inputs[k].begin() + shared_len, inputs[k].end())});
      tail_offset += tail_len;
    }
  }
  for (auto& [offset, slots] : rows)
    unit.rows.push_back({offset, std::move(slots)});
  return unit;
}

}  // namespace

std::vector<ScoreUnit> PlanItem(std::size_t item, const ItemTokens& tokens, std::size_t window,
                                bool* truncated) {
  std::vector<TokenIds> inputs;
  std::vector<const TokenIds*> continuations;
  std::vector<std::size_t> ids, first_pos;
  bool fits = true;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    inputs.push_back(InputOf(tokens[k]));
    continuations.push_back(&tokens[k].continuation);
    ids.push_back(k);
    first_pos.push_back(tokens[k].prefix.size() - 1);
    fits = fits && inputs.back().size() <= window;
  }
  *truncated = !fits;
  if (fits)
    return {BuildUnit(item, inputs, continuations, ids, first_pos)};

  // lm-eval keeps the last `window` input tokens of each continuation on its own.
  std::vector<ScoreUnit> units;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    TokenIds input = inputs[k];
    std::size_t first = first_pos[k];
    if (input.size() > window) {
      const std::size_t cut = input.size() - window;
      input.erase(input.begin(), input.begin() + cut);
      first -= cut;
    }
    units.push_back(BuildUnit(item, {input}, {continuations[k]}, {k}, {first}));
  }
  return units;
}

std::size_t ShareableLength(const ScoreUnit& unit) {
  std::size_t n = unit.shared.size();
  for (const auto& row : unit.rows)
    n = std::min(n, row.offset);
  return n;
}

void SortBySharedTokens(std::vector<ScoreUnit>& units) {
  std::stable_sort(units.begin(), units.end(), [](const ScoreUnit& a, const ScoreUnit& b) {
    return std::lexicographical_compare(a.shared.begin(), a.shared.end(), b.shared.begin(),
                                        b.shared.end());
  });
}

namespace {

std::size_t CommonStart(const TokenIds& a, const TokenIds& b) {
  return static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first -
                                  a.begin());
}

// The prefix a group whose units share `common` tokens keeps in the KV memory.
std::size_t KeptPrefix(std::size_t common) {
  return common >= kMinSharedPrefix ? common : 0;
}

// The group being filled, with what deciding on the next unit needs.
struct OpenGroup {
  DecodeGroup group;
  std::size_t whole_tokens;  // tokens of its units, prefix included
  std::size_t common;        // tokens all its units share (ShareableLength bounds it)
};

}  // namespace

std::vector<DecodeGroup> PackUnits(const std::vector<ScoreUnit>& units, const DecodeBudget& budget,
                                   PrefixSharing sharing) {
  std::vector<DecodeGroup> groups;
  std::optional<OpenGroup> open;
  for (std::size_t u = 0; u < units.size(); ++u) {
    const ScoreUnit& unit = units[u];
    const std::size_t t = unit.n_tokens(), s = unit.n_sequences(), o = unit.rows.size();
    if (open) {
      const DecodeGroup& g = open->group;
      std::size_t common = 0;
      if (sharing == PrefixSharing::kOn) {
        common = std::min(
            {open->common, CommonStart(units[u - 1].shared, unit.shared), ShareableLength(unit)});
      }
      const std::size_t n = g.n_units + 1, prefix = KeptPrefix(common);
      const bool saves_no_less = n * prefix >= (n - 1) * g.prefix_length;
      const std::size_t tokens = open->whole_tokens + t - n * prefix;
      if (saves_no_less && tokens <= budget.tokens && g.n_sequences + s <= budget.sequences &&
          g.n_outputs + o <= budget.outputs) {
        open->group = {g.first_unit, n, tokens, g.n_sequences + s, g.n_outputs + o, prefix};
        open->whole_tokens += t;
        open->common = common;
        continue;
      }
      groups.push_back(open->group);
    }
    open = OpenGroup{{u, 1, t, s, o, 0}, t, ShareableLength(unit)};
  }
  if (open)
    groups.push_back(open->group);
  return groups;
}

}  // namespace llmcal::engine
