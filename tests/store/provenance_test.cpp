// The comparisons behind every refusal name the field and both values, and
// ignore what may legitimately differ (paths, mtimes, unknown details).
#include <gtest/gtest.h>

#include "store/provenance.h"

namespace llmcal::store {
namespace {

constexpr Sides kSides{"in A", "in B"};

TEST(Provenance, FilesCompareBySizeAndDigestOnly) {
  const FileFingerprint a{"/x/m.gguf", 10, 1, "aaaa"};
  FileFingerprint b{"/y/m.gguf", 10, 2, "aaaa"};
  EXPECT_TRUE(FileDifferences(a, b, kSides).empty());
  b.sha256 = "bbbb";
  b.size = 11;
  EXPECT_EQ(FileDifferences(a, b, kSides),
            (std::vector<std::string>{"size: 10 in A, 11 in B", "sha256: aaaa in A, bbbb in B"}));
}

TEST(Provenance, DetailsCompareOnlyWhenBothKnown) {
  const ModelDetails d{"llama", 5, "desc"};
  EXPECT_TRUE(DetailDifferences(d, std::nullopt, kSides).empty());
  EXPECT_EQ(DetailDifferences(d, ModelDetails{"qwen2", 5, "desc"}, kSides),
            (std::vector<std::string>{"architecture: llama in A, qwen2 in B"}));
}

TEST(Provenance, TasksNameTheFileThatChanged) {
  const TaskRecord a{1, "mmlu", 100, "skip_bad=0", {{"/d/x.csv", 5, "h1"}, {"/d/y.csv", 6, "h2"}}};
  TaskRecord b{2, "mmlu", 100, "skip_bad=0", {{"/e/x.csv", 5, "h1"}, {"/e/y.csv", 6, "h2"}}};
  EXPECT_TRUE(TaskDifferences(a, b, kSides).empty());  // moved, same content
  b.files[1].sha256 = "h3";
  EXPECT_EQ(TaskDifferences(a, b, kSides),
            (std::vector<std::string>{"file 2 (y.csv) sha256: h2 in A, h3 in B"}));
  b.load_options = "skip_bad=1";
  b.item_count = 99;
  EXPECT_EQ(TaskDifferences(a, b, kSides).size(), 3u);
}

TEST(Provenance, RunSettingsAndEffectiveValues) {
  const RunSettings a{"t/1", "auto", "common-prefix", 0, 0, ""};
  RunSettings b = a;
  b.ctx_size = 256;
  b.bos_mode = "lm-eval-0.4";
  EXPECT_EQ(SettingsDifferences(a, b, kSides),
            (std::vector<std::string>{"bos_mode: auto in A, lm-eval-0.4 in B",
                                      "ctx_size: 0 in A, 256 in B"}));
  RunSettings five_shot = a;
  five_shot.template_version = "t/1 5-shot";
  five_shot.num_fewshot = 5;
  five_shot.fewshot_sha256 = "d1,d2";
  // The files differ by necessity when K does: only K is named.
  EXPECT_EQ(SettingsDifferences(a, five_shot, kSides),
            (std::vector<std::string>{"template_version: t/1 in A, t/1 5-shot in B",
                                      "num_fewshot: 0 in A, 5 in B"}));
  RunSettings other_files = five_shot;
  other_files.fewshot_sha256 = "d1,d3";
  EXPECT_EQ(SettingsDifferences(five_shot, other_files, kSides),
            (std::vector<std::string>{"few-shot files (SHA-256): d1,d2 in A, d1,d3 in B"}));
  EXPECT_TRUE(EffectiveDifferences(RunEffective{512, true}, std::nullopt, kSides).empty());
  EXPECT_EQ(JoinDifferences(
                EffectiveDifferences(RunEffective{512, true}, RunEffective{512, false}, kSides)),
            "bos: true in A, false in B");
}

}  // namespace
}  // namespace llmcal::store
