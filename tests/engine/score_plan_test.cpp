// The layout of items into shared-prefix units and decode groups, on
// hand-made token ids (no model needed).
#include "engine/score_plan.h"

#include <gtest/gtest.h>

namespace llmcal::engine {
namespace {

SplitTokens Split(TokenIds prefix, TokenIds continuation) {
  return {prefix, continuation};
}

TEST(PlanItem, LetteredItemIsOnePassAndOneRow) {
  // Context [1 5 6 7], continuations " A" " B" " C" " D" of one token each.
  const ItemTokens item = {Split({1, 5, 6, 7}, {40}), Split({1, 5, 6, 7}, {41}),
                           Split({1, 5, 6, 7}, {42}), Split({1, 5, 6, 7}, {43})};
  bool truncated = true;
  const auto units = PlanItem(3, item, 100, &truncated);
  EXPECT_FALSE(truncated);
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0].item, 3u);
  EXPECT_EQ(units[0].shared, (TokenIds{1, 5, 6, 7}));
  EXPECT_TRUE(units[0].branches.empty());
  EXPECT_EQ(units[0].n_sequences(), 1u);
  ASSERT_EQ(units[0].rows.size(), 1u);
  EXPECT_EQ(units[0].rows[0].offset, 3u);  // the last context token predicts the letter
  ASSERT_EQ(units[0].rows[0].slots.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(units[0].rows[0].slots[k].continuation, k);
    EXPECT_EQ(units[0].rows[0].slots[k].token, 0u);
    EXPECT_EQ(units[0].rows[0].slots[k].target, static_cast<std::int32_t>(40 + k));
  }
}

TEST(PlanItem, ContinuationsShareTheirCommonStart) {
  // Inputs: [1 5 6 | 20 21] and [1 5 6 | 20 30]; the common input prefix is 1 5 6 20.
  const ItemTokens item = {Split({1, 5, 6}, {20, 21, 22}), Split({1, 5, 6}, {20, 30, 31})};
  bool truncated = true;
  const auto units = PlanItem(0, item, 100, &truncated);
  ASSERT_EQ(units.size(), 1u);
  const ScoreUnit& u = units[0];
  EXPECT_EQ(u.shared, (TokenIds{1, 5, 6, 20}));
  ASSERT_EQ(u.branches.size(), 2u);
  EXPECT_EQ(u.branches[0].tail, (TokenIds{21}));
  EXPECT_EQ(u.branches[1].tail, (TokenIds{30}));
  EXPECT_EQ(u.n_tokens(), 6u);
  // Token order: shared 0..3, branch 0 at 4, branch 1 at 5.
  // Row 2 (token 6) predicts 20 for both; row 3 (token 20) predicts 21 and 30;
  // row 4 (branch 0's 21) predicts 22; row 5 (branch 1's 30) predicts 31.
  ASSERT_EQ(u.rows.size(), 4u);
  EXPECT_EQ(u.rows[0].offset, 2u);
  EXPECT_EQ(u.rows[0].slots.size(), 2u);
  EXPECT_EQ(u.rows[1].offset, 3u);
  EXPECT_EQ(u.rows[1].slots.size(), 2u);
  EXPECT_EQ(u.rows[1].slots[0].target, 21);
  EXPECT_EQ(u.rows[1].slots[1].target, 30);
  EXPECT_EQ(u.rows[2].offset, 4u);
  EXPECT_EQ(u.rows[2].slots[0].target, 22);
  EXPECT_EQ(u.rows[3].offset, 5u);
  EXPECT_EQ(u.rows[3].slots[0].target, 31);
  EXPECT_EQ(u.rows[3].slots[0].token, 2u);
}

TEST(PlanItem, TooLongItemIsCutPerContinuationFromTheLeft) {
  // Window 4: input [1 2 3 4 5 | 6] keeps its last 4 tokens [3 4 5 6].
  const ItemTokens item = {Split({1, 2, 3, 4, 5}, {6, 7}), Split({1, 2, 3, 4, 5}, {8})};
  bool truncated = false;
  const auto units = PlanItem(9, item, 4, &truncated);
  EXPECT_TRUE(truncated);
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0].shared, (TokenIds{3, 4, 5, 6}));
  ASSERT_EQ(units[0].rows.size(), 2u);
  EXPECT_EQ(units[0].rows[0].offset, 2u);  // token 5 predicts 6
  EXPECT_EQ(units[0].rows[1].offset, 3u);  // token 6 predicts 7
  EXPECT_EQ(units[1].shared, (TokenIds{2, 3, 4, 5}));
  EXPECT_EQ(units[1].rows[0].offset, 3u);
  EXPECT_EQ(units[1].rows[0].slots[0].continuation, 1u);
}

TEST(PackUnits, RespectsEveryBudgetAndKeepsOrder) {
  std::vector<ScoreUnit> units(5);
  const std::size_t sizes[] = {3, 4, 2, 10, 1};
  for (std::size_t i = 0; i < 5; ++i) {
    units[i].item = i;
    units[i].shared.assign(sizes[i], 1);
    units[i].rows.push_back({0, {}});
  }
  const auto groups = PackUnits(units, {8, 64, 64});
  // 3+4 fit in 8; 2 starts a group, 10 is larger than the budget and goes alone; then 1.
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(groups[0].first_unit, 0u);
  EXPECT_EQ(groups[0].n_units, 2u);
  EXPECT_EQ(groups[0].n_tokens, 7u);
  EXPECT_EQ(groups[1].first_unit, 2u);
  EXPECT_EQ(groups[2].first_unit, 3u);
  EXPECT_EQ(groups[2].n_tokens, 10u);
  EXPECT_EQ(groups[3].first_unit, 4u);
  const auto by_outputs = PackUnits(units, {100, 64, 2});
  ASSERT_EQ(by_outputs.size(), 3u);  // two rows per group
  const auto by_sequences = PackUnits(units, {100, 1, 64});
  EXPECT_EQ(by_sequences.size(), 5u);
}

// A lettered item: context `context`, one-token continuations 40, 41, ...
ScoreUnit LetteredUnit(std::size_t item, const TokenIds& context, std::size_t n_choices = 4) {
  ItemTokens tokens;
  for (std::size_t k = 0; k < n_choices; ++k)
    tokens.push_back(Split(context, {static_cast<std::int32_t>(40 + k)}));
  bool truncated = false;
  return PlanItem(item, tokens, 1000, &truncated).at(0);
}

// `n` tokens counting up from `first`.
TokenIds Ids(std::int32_t first, std::size_t n) {
  TokenIds ids;
  for (std::size_t i = 0; i < n; ++i)
    ids.push_back(first + static_cast<std::int32_t>(i));
  return ids;
}

TokenIds Concat(TokenIds a, const TokenIds& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(ShareableLength, StopsBeforeTheFirstRowThatPredictsAToken) {
  // Lettered: the last context token predicts the letter, so 3 of 4 tokens.
  EXPECT_EQ(ShareableLength(LetteredUnit(0, {1, 5, 6, 7})), 3u);
  // Continuations [20 21 22] and [20 30 31] after [1 5 6]: row 2 predicts 20.
  const ItemTokens item = {Split({1, 5, 6}, {20, 21, 22}), Split({1, 5, 6}, {20, 30, 31})};
  bool truncated = false;
  EXPECT_EQ(ShareableLength(PlanItem(0, item, 100, &truncated)[0]), 2u);
}

TEST(SortBySharedTokens, OrdersLexicographicallyAndKeepsTies) {
  std::vector<ScoreUnit> units = {LetteredUnit(0, {1, 9, 3}), LetteredUnit(1, {1, 2, 3, 4}),
                                  LetteredUnit(2, {1, 9, 3}), LetteredUnit(3, {1, 2, 3})};
  SortBySharedTokens(units);
  std::vector<std::size_t> items;
  for (const auto& u : units)
    items.push_back(u.item);
  EXPECT_EQ(items, (std::vector<std::size_t>{3, 1, 0, 2}));
}

TEST(PackUnits, WithoutSharingNoGroupHasAPrefix) {
  const TokenIds header = Ids(100, 30);
  std::vector<ScoreUnit> units;
  for (std::size_t i = 0; i < 4; ++i)
    units.push_back(LetteredUnit(i, Concat(header, Ids(200 + 10 * i, 5))));
  const auto groups = PackUnits(units, {512, 64, 64}, PrefixSharing::kOff);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].prefix_length, 0u);
  EXPECT_EQ(groups[0].n_tokens, 4 * 35u);
}

TEST(PackUnits, ItemsWithACommonHeaderShareItAsThePrefix) {
  // Four items: a 30-token header, then 5 tokens of their own.
  const TokenIds header = Ids(100, 30);
  std::vector<ScoreUnit> units;
  for (std::size_t i = 0; i < 4; ++i)
    units.push_back(LetteredUnit(i, Concat(header, Ids(200 + 10 * i, 5))));
  const auto groups = PackUnits(units, {512, 64, 64}, PrefixSharing::kOn);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].prefix_length, 30u);
  EXPECT_EQ(groups[0].n_tokens, 4 * 5u);  // only the items' own tokens
  EXPECT_EQ(groups[0].n_outputs, 4u);
}

TEST(PackUnits, APrefixLongerThanTheBudgetStillGroupsTheItems) {
  // Each item (100 + 6 tokens) is larger than the 64-token budget; after the
  // 100-token prefix, eight items of 6 tokens fill 48 of it; 10 make 60.
  const TokenIds header = Ids(1000, 100);
  std::vector<ScoreUnit> units;
  for (std::size_t i = 0; i < 12; ++i)
    units.push_back(LetteredUnit(i, Concat(header, Ids(2000 + 10 * i, 6))));
  const auto groups = PackUnits(units, {64, 64, 64}, PrefixSharing::kOn);
  // The budget splits the items into groups of 10 and 2, both after the same prefix.
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].n_units, 10u);
  EXPECT_EQ(groups[0].n_tokens, 60u);
  EXPECT_EQ(groups[1].first_unit, 10u);
  EXPECT_EQ(groups[1].n_units, 2u);
  for (const auto& g : groups)
    EXPECT_EQ(g.prefix_length, 100u);
}

TEST(PackUnits, ABudgetForOneItemStillKeepsThePrefix) {
  // Items of 100 shared + 20 own tokens, a budget of 30: each group holds one
  // item, and every group continues the same kept prefix.
  const TokenIds header = Ids(1000, 100);
  std::vector<ScoreUnit> units;
  for (std::size_t i = 0; i < 3; ++i)
    units.push_back(LetteredUnit(i, Concat(header, Ids(2000 + 100 * i, 20))));
  const auto groups = PackUnits(units, {30, 64, 64}, PrefixSharing::kOn);
  ASSERT_EQ(groups.size(), 3u);
  for (std::size_t g = 0; g < 3; ++g) {
    EXPECT_EQ(groups[g].first_unit, g);
    EXPECT_EQ(groups[g].prefix_length, 100u);
    EXPECT_EQ(groups[g].n_tokens, 20u);
  }
}

TEST(PackUnits, ASubjectChangeStartsANewGroup) {
  // Two subjects: headers [7 x 50] and [7 x 10, 8 x 40] share 10 tokens only.
  // Keeping 10 instead of 50 for the first subject's 3 items would save less.
  const TokenIds a = TokenIds(50, 7);
  const TokenIds b = Concat(TokenIds(10, 7), TokenIds(40, 8));
  std::vector<ScoreUnit> units;
  for (std::size_t i = 0; i < 3; ++i)
    units.push_back(LetteredUnit(i, Concat(a, Ids(300 + 10 * i, 4))));
  for (std::size_t i = 3; i < 6; ++i)
    units.push_back(LetteredUnit(i, Concat(b, Ids(300 + 10 * i, 4))));
  const auto groups = PackUnits(units, {4096, 64, 64}, PrefixSharing::kOn);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].n_units, 3u);
  EXPECT_EQ(groups[0].prefix_length, 50u);
  EXPECT_EQ(groups[1].first_unit, 3u);
  EXPECT_EQ(groups[1].prefix_length, 50u);
  EXPECT_EQ(groups[1].n_tokens, 3 * 4u);
}

TEST(PackUnits, AShrinkingButStillWorthwhilePrefixKeepsTheGroup) {
  // Items 0 and 1 share 32 tokens, item 2 shares 30 with them: 3 x 30 >= 2 x 32.
  const TokenIds header = Ids(100, 30);
  std::vector<ScoreUnit> units = {LetteredUnit(0, Concat(header, {5, 6, 1, 2})),
                                  LetteredUnit(1, Concat(header, {5, 6, 3, 4})),
                                  LetteredUnit(2, Concat(header, {9, 9, 9}))};
  const auto groups = PackUnits(units, {512, 64, 64}, PrefixSharing::kOn);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].prefix_length, 30u);
  EXPECT_EQ(groups[0].n_tokens, 4u + 4u + 3u);
}

TEST(PackUnits, AShortCommonStartIsNotKept) {
  // A BOS token and a few header tokens: below kMinSharedPrefix.
  std::vector<ScoreUnit> units;
  for (std::size_t i = 0; i < 3; ++i)
    units.push_back(LetteredUnit(i, Concat(Ids(1, kMinSharedPrefix - 1), Ids(50 + 10 * i, 5))));
  const auto groups = PackUnits(units, {512, 64, 64}, PrefixSharing::kOn);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].prefix_length, 0u);
  EXPECT_EQ(groups[0].n_tokens, 3 * (kMinSharedPrefix + 4));
}

TEST(PackUnits, IdenticalItemsKeepTheRowThatPredictsTheirAnswer) {
  // The same 20-token context twice: the prefix stops before its last token,
  // whose row gives the letters' scores.
  const TokenIds context = Ids(500, 20);
  std::vector<ScoreUnit> units = {LetteredUnit(0, context), LetteredUnit(1, context)};
  const auto groups = PackUnits(units, {512, 64, 64}, PrefixSharing::kOn);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].prefix_length, 19u);
  EXPECT_EQ(groups[0].n_tokens, 2u);
}

TEST(PackUnits, ContinuationBranchesFollowTheSharedPrefix) {
  // Two items with a 12-token header, continuations of two tokens each: the
  // prefix ends before the row predicting the first continuation token.
  const TokenIds header = Ids(100, 12);
  std::vector<ScoreUnit> units;
  for (std::size_t i = 0; i < 2; ++i) {
    const TokenIds context = Concat(header, {static_cast<std::int32_t>(60 + i)});
    const ItemTokens item = {Split(context, {20, 21}), Split(context, {30, 31})};
    bool truncated = false;
    units.push_back(PlanItem(i, item, 100, &truncated)[0]);
  }
  const auto groups = PackUnits(units, {512, 64, 64}, PrefixSharing::kOn);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].prefix_length, 12u);
  EXPECT_EQ(groups[0].n_sequences, 4u);
  EXPECT_EQ(groups[0].n_tokens, 2 * (1u + 2u));  // own context token + one per branch
}

}  // namespace
}  // namespace llmcal::engine
