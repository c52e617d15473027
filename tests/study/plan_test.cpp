// Plans as pure data: model and shard arguments, item selection, and how
// blocks are dealt to shards (hand-computed cases, then the partition
// property over many sizes).
#include <gtest/gtest.h>

#include <numeric>
#include <set>

#include "common/error.h"
#include "study/plan.h"

namespace llmcal::study {
namespace {

TEST(Plan, ModelArguments) {
  const ModelRef named = ParseModelRef("base=/m/llama-2-7b.Q8_0.gguf");
  EXPECT_EQ(named.name, "base");
  EXPECT_EQ(named.path, "/m/llama-2-7b.Q8_0.gguf");
  const ModelRef bare = ParseModelRef("/m/llama-2-7b.Q8_0.gguf");
  EXPECT_EQ(bare.name, "llama-2-7b.Q8_0");
  EXPECT_EQ(ParseModelRef("a=b=c").path, "b=c");
  for (const char* bad : {"=/m.gguf", "base=", "my model=/m.gguf", "a:b=/m.gguf", "a,b=/m"})
    EXPECT_THROW(ParseModelRef(bad), InputError) << bad;
}

TEST(Plan, ShardArguments) {
  EXPECT_EQ(ParseShard("1/1").Name(), "1/1");
  EXPECT_TRUE(ParseShard("1/1").all());
  const Shard s = ParseShard("3/8");
  EXPECT_EQ(s.index, 3);
  EXPECT_EQ(s.count, 8);
  for (const char* bad : {"0/2", "3/2", "1/0", "1", "/2", "1/", "a/b", "1/2x", "-1/2", " 1/2"})
    EXPECT_THROW(ParseShard(bad), InputError) << bad;
}

TEST(Plan, Selection) {
  EXPECT_EQ(SelectItems(4, {}), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(SelectItems(4, {ItemSelection::Kind::kFirst, 2, 0}), (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(SelectItems(4, {ItemSelection::Kind::kFirst, 9, 0}).size(), 4u);
  const auto sample = SelectItems(100, {ItemSelection::Kind::kSample, 10, 7});
  EXPECT_EQ(sample.size(), 10u);
  EXPECT_TRUE(std::is_sorted(sample.begin(), sample.end()));
  EXPECT_EQ(sample, SelectItems(100, {ItemSelection::Kind::kSample, 10, 7}));
  EXPECT_NE(sample, SelectItems(100, {ItemSelection::Kind::kSample, 10, 8}));
}

TEST(Plan, BlocksAreDealtRoundRobin) {
  const std::vector<std::int64_t> selected = {1, 3, 4, 6, 7, 9, 10, 12, 15, 20};
  using Blocks = std::vector<std::vector<std::int64_t>>;
  EXPECT_EQ(ShardBlocks(selected, 3, {1, 1}), (Blocks{{1, 3, 4}, {6, 7, 9}, {10, 12, 15}, {20}}));
  EXPECT_EQ(ShardBlocks(selected, 3, {1, 2}), (Blocks{{1, 3, 4}, {10, 12, 15}}));
  EXPECT_EQ(ShardBlocks(selected, 3, {2, 2}), (Blocks{{6, 7, 9}, {20}}));
  EXPECT_EQ(ShardBlocks(selected, 3, {4, 5}), (Blocks{{20}}));
  EXPECT_EQ(ShardBlocks(selected, 3, {5, 5}), Blocks{});
  EXPECT_EQ(ShardBlocks({}, 3, {1, 1}), Blocks{});
  // Rotation 1: block j goes to shard ((j + 1) mod 3) + 1.
  EXPECT_EQ(ShardBlocks(selected, 3, {1, 3}, 1), (Blocks{{10, 12, 15}}));
  EXPECT_EQ(ShardBlocks(selected, 3, {2, 3}, 1), (Blocks{{1, 3, 4}, {20}}));
  EXPECT_EQ(ShardBlocks(selected, 3, {3, 3}, 1), (Blocks{{6, 7, 9}}));
  EXPECT_EQ(ShardBlocks(selected, 3, {3, 3}, 7), ShardBlocks(selected, 3, {3, 3}, 1));
}

TEST(Plan, RotationDependsOnTheRunNotOnPaths) {
  const std::vector<std::string> digests = {"aa", "bb"};
  const std::uint64_t r = ShardRotation("base", "choice", digests);
  EXPECT_EQ(r, ShardRotation("base", "choice", digests));
  EXPECT_NE(r, ShardRotation("inst", "choice", digests));
  EXPECT_NE(r, ShardRotation("base", "continuation", digests));
  EXPECT_NE(r, ShardRotation("base", "choice", std::vector<std::string>{"aa", "bc"}));
  EXPECT_NE(ShardRotation("ab", "c", {}), ShardRotation("a", "bc", {}));
}

TEST(Plan, ShardsPartitionTheSelectionIntoTheUnshardedBlocks) {
  for (std::size_t n : {0, 1, 5, 64, 65, 200, 1001}) {
    std::vector<std::int64_t> selected(n);
    std::iota(selected.begin(), selected.end(), 0);
    for (std::size_t block : {1, 7, 64}) {
      const auto whole = ShardBlocks(selected, block, {1, 1});
      for (auto [count, rotation] :
           {std::pair{1, 0}, std::pair{2, 0}, std::pair{3, 5}, std::pair{8, 13}}) {
        std::set<std::vector<std::int64_t>> dealt;
        std::size_t total = 0;
        for (int index = 1; index <= count; ++index) {
          for (const auto& b : ShardBlocks(selected, block, {index, count}, rotation)) {
            EXPECT_TRUE(dealt.insert(b).second);
            total += b.size();
          }
        }
        EXPECT_EQ(total, n);
        EXPECT_EQ(dealt, std::set<std::vector<std::int64_t>>(whole.begin(), whole.end()))
            << n << " items, block " << block << ", " << count << " shards";
      }
    }
  }
}

TEST(Plan, LoadOptionsDescription) {
  tasks::LoadOptions options;
  EXPECT_EQ(DescribeLoadOptions(options), "skip_bad=0 medmcqa_cop_base=auto");
  options.skip_bad = true;
  options.medmcqa_cop_base = 1;
  EXPECT_EQ(DescribeLoadOptions(options), "skip_bad=1 medmcqa_cop_base=1");
}

}  // namespace
}  // namespace llmcal::study
