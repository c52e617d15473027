// How the continuations of a set of items are laid out for decoding.
//
// Every continuation k is a token sequence input_k = prefix_k + cont_k[:-1];
// its scores are read from the rows at the positions that predict cont_k.
// An item's continuations share their longest common input prefix: a
// ScoreUnit feeds that prefix once, tagged with the sequence ids of every
// branch, then each branch's remaining tokens in its own sequence. An item
// whose inputs exceed the model's window is cut from the left per
// continuation, as lm-evaluation-harness does, and then shares nothing
// within the item: it becomes one unit per continuation.
//
// Units are packed into DecodeGroups that respect the token, sequence and
// output-row budgets of one llama_decode call. With prefix sharing, units
// are first put in the lexicographic order of their tokens, so that items
// with a common start (a few-shot header, a subject's description) are
// neighbours, and a group carries a prefix: the leading tokens its units
// have in common, evaluated once and kept in the KV memory, from which the
// next group with the same start reuses them. Tokens are compared, never
// text, so a shared string that ends inside a token shares only the tokens
// before it. All of this is plain data, independent of llama.cpp (this
// header and its library do not see llama.h), so it can be tested alone.
//
// Example: three 5-shot items of one MMLU subject, [h..h q1], [h..h q2],
// [h..h q3] with a 600-token header h..h, give one group whose prefix is the
// 600 header tokens (decoded once) and whose units are q1, q2 and q3.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/split_tokens.h"

namespace llmcal::engine {

// Where one continuation token's log-prob is read: the row predicting it.
struct TokenSlot {
  std::size_t continuation;  // index of the continuation within its item
  std::size_t token;         // index of the token within the continuation
  std::int32_t target;       // the token id whose log-prob is wanted
};

struct ScoreUnit {
  std::size_t item = 0;  // index of the request this unit belongs to
  TokenIds shared;       // fed once, in every branch's sequence, at positions 0..
  struct Branch {
    TokenIds tail;  // fed after `shared` in this branch's own sequence
  };
  std::vector<Branch> branches;  // only branches with a non-empty tail
  // Rows that must be read, by position in the unit's token order (shared
  // first, then each branch's tail); several slots may read one row.
  struct Row {
    std::size_t offset;  // index into the unit's token order
    std::vector<TokenSlot> slots;
  };
  std::vector<Row> rows;

  std::size_t n_tokens() const;
  std::size_t n_sequences() const { return branches.empty() ? 1 : branches.size(); }
};

// The tokenized continuations of one item.
using ItemTokens = std::vector<SplitTokens>;

// Lays out one item. `window` is the longest input the model may read.
// REQUIRES: every continuation has at least one token, and fewer than `window`.
// Sets *truncated when the item had to be cut.
std::vector<ScoreUnit> PlanItem(std::size_t item, const ItemTokens& tokens, std::size_t window,
                                bool* truncated);

struct DecodeBudget {
  std::size_t tokens;     // tokens per decode
  std::size_t sequences;  // distinct sequence ids per decode
  std::size_t outputs;    // logits rows per decode
};

// A run of consecutive units decoded together.
struct DecodeGroup {
  std::size_t first_unit;
  std::size_t n_units;
  std::size_t n_tokens;  // tokens fed in the group's own decode (the prefix excluded)
  std::size_t n_sequences;
  std::size_t n_outputs;
  // The first `prefix_length` tokens of every unit's `shared` are the same
  // and predict nothing; they are evaluated once into the KV memory (or
  // found there from an earlier group) and every unit continues after them.
  std::size_t prefix_length = 0;
};

// Whether consecutive units may share a prefix kept in the KV memory.
enum class PrefixSharing { kOff, kOn };

// The shortest prefix worth keeping: below it a group decodes its units
// whole, since a separate decode of a few tokens costs more than it saves.
inline constexpr std::size_t kMinSharedPrefix = 8;

// The longest start of `unit` that a prefix may cover: the tokens of
// `shared` before the first row that predicts a continuation token.
std::size_t ShareableLength(const ScoreUnit& unit);

// Puts units in the lexicographic order of their `shared` tokens (ties keep
// their order), so that units with a common start are neighbours.
void SortBySharedTokens(std::vector<ScoreUnit>& units);

// Packs units, in order, into groups within `budget`. A unit larger than the
// budget forms a group of its own (the caller grows its context for it).
// With PrefixSharing::kOn units are first split into runs of neighbours that
// share a prefix (the longest start common to all of the run's units, at
// most ShareableLength of each, none below kMinSharedPrefix): a unit joins
// the run before it only when what the run saves does not shrink (n units
// sharing L tokens save n*L; the first item of the next MMLU subject shares
// only "The following are ... about" and starts a new run). Every group of
// a run carries its prefix, the budget counts only the tokens after it, and
// a group never spans two runs.
std::vector<DecodeGroup> PackUnits(const std::vector<ScoreUnit>& units, const DecodeBudget& budget,
                                   PrefixSharing sharing = PrefixSharing::kOff);

}  // namespace llmcal::engine
