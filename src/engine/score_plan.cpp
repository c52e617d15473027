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

// Consecutive units [first, first + n) that continue one kept prefix of
// `prefix` tokens (0: units that share none).
struct PrefixRun {
  std::size_t first;
  std::size_t n;
  std::size_t prefix;
};

// Splits units into runs: a unit joins the run before it when the run's
// units still share at least kMinSharedPrefix tokens and what the run saves
// (n units sharing L tokens save n*L) does not shrink. Units that share
// nothing worth keeping with their neighbours form runs with no prefix.
std::vector<PrefixRun> FindPrefixRuns(const std::vector<ScoreUnit>& units) {
  std::vector<PrefixRun> runs;
  std::size_t common = 0;  // tokens the units of the last run share
  for (std::size_t u = 0; u < units.size(); ++u) {
    if (!runs.empty()) {
      PrefixRun& run = runs.back();
      const std::size_t shared =
          std::min({run.n == 1 ? ShareableLength(units[u - 1]) : common,
                    CommonStart(units[u - 1].shared, units[u].shared), ShareableLength(units[u])});
      const std::size_t prefix = KeptPrefix(shared);
      if (prefix > 0 && (run.n + 1) * prefix >= run.n * run.prefix) {
        ++run.n;
        run.prefix = prefix;
        common = shared;
        continue;
      }
    }
    runs.push_back({u, 1, 0});
  }
  // A run of one unit keeps nothing: it joins its prefix-less neighbours.
  std::vector<PrefixRun> merged;
  for (const PrefixRun& run : runs) {
    if (!merged.empty() && merged.back().prefix == 0 && run.prefix == 0)
      merged.back().n += run.n;
    else
      merged.push_back(run);
  }
  return merged;
}

// Packs the units of `run`, in order, into groups within `budget`, counting
// only the tokens after the run's prefix.
void PackRun(const std::vector<ScoreUnit>& units, const PrefixRun& run, const DecodeBudget& budget,
             std::vector<DecodeGroup>& groups) {
  const std::size_t first_group = groups.size();
  for (std::size_t u = run.first; u < run.first + run.n; ++u) {
    const std::size_t t = units[u].n_tokens() - run.prefix, s = units[u].n_sequences(),
                      o = units[u].rows.size();
    if (groups.size() > first_group) {
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
    groups.push_back({u, 1, t, s, o, run.prefix});
  }
}

}  // namespace

std::vector<DecodeGroup> PackUnits(const std::vector<ScoreUnit>& units, const DecodeBudget& budget,
                                   PrefixSharing sharing) {
  std::vector<DecodeGroup> groups;
  if (sharing == PrefixSharing::kOff) {
    PackRun(units, {0, units.size(), 0}, budget, groups);
    return groups;
  }
  for (const PrefixRun& run : FindPrefixRuns(units))
    PackRun(units, run, budget, groups);
  return groups;
}

}  // namespace llmcal::engine
