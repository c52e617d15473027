#include "engine/score_plan.h"

#include <algorithm>
#include <map>

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

std::vector<DecodeGroup> PackUnits(const std::vector<ScoreUnit>& units,
                                   const DecodeBudget& budget) {
  std::vector<DecodeGroup> groups;
  for (std::size_t u = 0; u < units.size(); ++u) {
    const std::size_t t = units[u].n_tokens(), s = units[u].n_sequences(), o = units[u].rows.size();
    if (!groups.empty()) {
      DecodeGroup& g = groups.back();
      if (g.n_tokens + t <= budget.tokens && g.n_sequences + s <= budget.sequences &&
          g.n_outputs + o <= budget.outputs) {
        ++g.n_units;
        g.n_tokens += t;
        g.n_sequences += s;
        g.n_outputs += o;
        continue;
      }
    }
    groups.push_back({u, 1, t, s, o});
  }
  return groups;
}

}  // namespace llmcal::engine
