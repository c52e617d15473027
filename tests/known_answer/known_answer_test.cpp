// Known answers for the whole pipeline: a model against its logit-scaled
// copy (llmcal-make-model --from M --logit-scale 2), which is the same
// network at temperature 1/2. Prompts and scores come from the real
// build/llmcal (`prompts --style choice`, `score`); metrics and temperature
// scaling from the calibration library.
//
//  - Exactly, on a synthetic qwen2 model whose letters " A".." D" are single
//    tokens: the copy's choice probabilities are softmax(2 s) of the base's
//    letter log-probs s, its predictions are the base's, and temperature
//    scaling fitted on the copy finds twice the base's temperature.
//  - As a study would see it, on the real (tiny, near-chance) stories260K:
//    on every demo task the copy's ECE and SCE are higher than the base's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "calibration/metrics.h"
#include "calibration/temperature_scaling.h"
#include "gguf/logit_scaled_copy.h"
#include "scored_items.h"
#include "support/test_data.h"

namespace llmcal::testing {
namespace {

namespace fs = std::filesystem;
using calibration::ChoiceProbabilities;
using calibration::ParseMetricSelection;

// Items a prompt sample is drawn with (llmcal prompts --sample N --seed S).
constexpr std::uint64_t kSampleSeed = 2024;

// A base model and its copy with logits x2, scored on the same prompts.
struct ScoredPair {
  std::vector<ScoredItem> base;
  std::vector<ScoredItem> copy;
};

ScoredPair ScorePair(const fs::path& base, const fs::path& copy, const fs::path& prompts) {
  return {ScoreWithLlmcal(base, prompts), ScoreWithLlmcal(copy, prompts)};
}

// ---------------------------------------------------------------------------
// Exact: the synthetic qwen2 model (small preset, made at build time) on 200
// MMLU items. One test scores once; each check below is one known answer.

void ExpectEveryLetterIsOneToken(const ScoredPair& pair) {
  for (const auto* items : {&pair.base, &pair.copy}) {
    for (const ScoredItem& item : *items) {
      EXPECT_EQ(item.n_tokens, std::vector<int>(4, 1)) << "a letter continuation of several tokens";
    }
  }
}

void ExpectCopyIsSoftmaxOfTwiceTheBaseLetterLogProbs(const ScoredPair& pair) {
  const ChoiceProbabilities want = ChoiceProbabilitiesOf(pair.base, 2.0);
  const ChoiceProbabilities got = ChoiceProbabilitiesOf(pair.copy);
  const ChoiceProbabilities base = ChoiceProbabilitiesOf(pair.base);
  ASSERT_EQ(got.flat_probs().size(), want.flat_probs().size());
  double worst = 0.0;
  double sharpened = 0.0;  // how far the copy is from the base: the check's power
  for (std::size_t k = 0; k < got.flat_probs().size(); ++k) {
    worst = std::max(worst, std::fabs(got.flat_probs()[k] - want.flat_probs()[k]));
    sharpened = std::max(sharpened, std::fabs(got.flat_probs()[k] - base.flat_probs()[k]));
  }
  std::printf("copy vs softmax(2 s): largest difference %.3g; copy vs base: %.3g\n", worst,
              sharpened);
  EXPECT_LE(worst, 1e-5) << "copy's choice probabilities vs softmax(2 s)";
  EXPECT_GT(sharpened, 0.1) << "the copy should differ from the base";
}

void ExpectPredictionsAndAccuracyAreTheBases(const ScoredPair& pair) {
  const ChoiceProbabilities base = ChoiceProbabilitiesOf(pair.base);
  const ChoiceProbabilities copy = ChoiceProbabilitiesOf(pair.copy);
  for (std::size_t i = 0; i < base.size(); ++i) {
    EXPECT_EQ(copy.predicted(i), base.predicted(i)) << "prediction of item " << i;
  }
  const auto accuracy = ParseMetricSelection("accuracy");
  EXPECT_EQ(calibration::ComputeMetrics(copy, accuracy)[0].value,
            calibration::ComputeMetrics(base, accuracy)[0].value);
}

// Returns `data` with each gold label replaced by a draw from the item's own
// probabilities (seeded): labels the model is calibrated for by construction.
ChoiceProbabilities WithSampledLabels(const ChoiceProbabilities& data, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  ChoiceProbabilities relabelled;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::span<const double> p = data.probs(i);
    const double u = static_cast<double>(engine() >> 11) * 0x1.0p-53;
    int label = static_cast<int>(p.size()) - 1;
    double cumulative = 0.0;
    for (std::size_t k = 0; k < p.size(); ++k) {
      cumulative += p[k];
      if (u < cumulative) {
        label = static_cast<int>(k);
        break;
      }
    }
    relabelled.Add(p, label);
  }
  return relabelled;
}

// With MMLU's own gold a random-weight model is no better than chance: the
// NLL falls all the way to the uniform distribution and the fitted
// temperature of base and copy alike sits at the search's upper bound
// (measured: 1e4 for both), which says nothing. Labels drawn from the base's
// own probabilities make the base calibrated (T about 1) and give the fit an
// interior optimum; the copy, scored with the same labels, must fit 2 T.
void ExpectTemperatureFittedOnTheCopyIsTwiceTheBases(const ScoredPair& pair) {
  const ChoiceProbabilities base = WithSampledLabels(ChoiceProbabilitiesOf(pair.base), 7);
  const ChoiceProbabilities copy_probabilities = ChoiceProbabilitiesOf(pair.copy);
  ChoiceProbabilities copy;
  for (std::size_t i = 0; i < base.size(); ++i) {
    copy.Add(copy_probabilities.probs(i), base.gold(i));
  }
  const double t_base = calibration::FitTemperature(base);
  const double t_copy = calibration::FitTemperature(copy);
  std::printf("fitted temperature: base %.6f, copy %.6f, ratio %.6f\n", t_base, t_copy,
              t_copy / t_base);
  EXPECT_GT(t_base, 0.75) << "labels drawn from the base should fit T near 1";
  EXPECT_LT(t_base, 1.33) << "labels drawn from the base should fit T near 1";
  EXPECT_NEAR(t_copy / t_base, 2.0, 0.02) << "T base " << t_base << ", T copy " << t_copy;
}

TEST(SyntheticQwen2Test, LogitScaledCopyIsTheBaseAtTemperatureOneHalf) {
  const fs::path dir = FreshTempDir("known-answer-qwen2");
  const fs::path base = LLMCAL_KNOWN_ANSWER_QWEN2;
  gguf::WriteLogitScaledCopy(base, dir / "copy.gguf", 2.0);
  WriteChoicePrompts("mmlu", 200, kSampleSeed, dir / "prompts.jsonl");
  const ScoredPair pair = ScorePair(base, dir / "copy.gguf", dir / "prompts.jsonl");
  ASSERT_EQ(pair.base.size(), 200u);
  ASSERT_EQ(pair.copy.size(), 200u);
  ExpectEveryLetterIsOneToken(pair);
  ExpectCopyIsSoftmaxOfTwiceTheBaseLetterLogProbs(pair);
  ExpectPredictionsAndAccuracyAreTheBases(pair);
  ExpectTemperatureFittedOnTheCopyIsTwiceTheBases(pair);
}

// ---------------------------------------------------------------------------
// As a study sees it: stories260K and its copy on the demo tasks.

struct DemoTask {
  std::string task;
  std::size_t items;
};

std::ostream& operator<<(std::ostream& os, const DemoTask& t) {
  return os << t.task;
}

// HellaSwag's lettered prompts are the longest (about 1,300 tokens per item
// with stories260K's 512-token vocabulary), hence fewer items.
const DemoTask kDemoTasks[] = {
    {"arc_easy", 200}, {"hellaswag", 100}, {"medmcqa", 200}, {"mmlu_stem", 200}, {"piqa", 200},
};

class Stories260KTest : public ::testing::TestWithParam<DemoTask> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(FreshTempDir("known-answer-stories"));
    gguf::WriteLogitScaledCopy(Base(), Copy(), 2.0);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path Base() { return TestDataDir() / "models" / "stories260K.gguf"; }
  static fs::path Copy() { return *dir_ / "stories260K-x2.gguf"; }
  static fs::path Prompts(const std::string& task) { return *dir_ / (task + ".jsonl"); }

 private:
  static inline fs::path* dir_ = nullptr;
};

TEST_P(Stories260KTest, CopyIsLessCalibrated) {
  const DemoTask& t = GetParam();
  WriteChoicePrompts(t.task, t.items, kSampleSeed, Prompts(t.task));
  const ScoredPair pair = ScorePair(Base(), Copy(), Prompts(t.task));
  ASSERT_EQ(pair.base.size(), t.items);
  // accuracy, ECE and SCE with 10 bins, in that order.
  const auto selection = ParseMetricSelection("accuracy,ece,sce");
  const auto base = calibration::ComputeMetrics(ChoiceProbabilitiesOf(pair.base), selection);
  const auto copy = calibration::ComputeMetrics(ChoiceProbabilitiesOf(pair.copy), selection);
  std::printf("%s (%zu items): accuracy %.3f -> %.3f, ECE %.3f -> %.3f, SCE %.3f -> %.3f\n",
              t.task.c_str(), t.items, base[0].value, copy[0].value, base[1].value, copy[1].value,
              base[2].value, copy[2].value);
  EXPECT_GT(copy[1].value, base[1].value);
  EXPECT_GT(copy[2].value, base[2].value);
}

INSTANTIATE_TEST_SUITE_P(DemoTasks, Stories260KTest, ::testing::ValuesIn(kDemoTasks),
                         [](const auto& test_info) { return test_info.param.task; });

}  // namespace
}  // namespace llmcal::testing
