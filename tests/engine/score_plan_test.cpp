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

}  // namespace
}  // namespace llmcal::engine
