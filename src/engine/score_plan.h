// How the continuations of a set of items are laid out for decoding.
//
// Every continuation k is a token sequence input_k = prefix_k + cont_k[:-1];
// its scores are read from the rows at the positions that predict cont_k.
// An item's continuations share their longest common input prefix: a
// ScoreUnit feeds that prefix once, tagged with the sequence ids of every
// branch, then each branch's remaining tokens in its own sequence. An item
// whose inputs exceed the model's window is cut from the left per
// continuation, as lm-evaluation-harness does, and then shares nothing: it
// becomes one unit per continuation.
//
// Units are packed, in order, into DecodeGroups that respect the token,
// sequence and output-row budgets of one llama_decode call. All of this is
// plain data, independent of llama.cpp, so it can be tested alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/tokenization.h"

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
  std::size_t n_tokens;
  std::size_t n_sequences;
  std::size_t n_outputs;
};

// Packs units, in order, into groups within `budget`. A unit larger than the
// budget forms a group of its own (the caller grows its context for it).
std::vector<DecodeGroup> PackUnits(const std::vector<ScoreUnit>& units, const DecodeBudget& budget);

}  // namespace llmcal::engine
