#include "synthetic_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "common/error.h"
#include "gguf.h"
#include "llama_test_helpers.h"
#include "support/files.h"
#include "support/test_data.h"

namespace llmcal::synthetic {
namespace {

using llmcal::testing::FreshTempDir;
using llmcal::testing::LoadModel;
using llmcal::testing::ReadFile;

// Writes the model `spec` into a fresh folder and returns its path.
std::filesystem::path Generate(const SyntheticModelSpec& spec) {
  const std::filesystem::path out = FreshTempDir("make-model") / "model.gguf";
  WriteSyntheticModel(spec, out, DefaultVocabDir());
  return out;
}

// What each architecture must look like once llama.cpp loads it. The token ids
// of "Hello world" come from the model families' reference tokenizers (the
// .out files beside llama.cpp's vocab files; GPT-NeoX-20B's for OLMo), with
// BOS in front exactly when the family adds it.
struct ArchCase {
  std::string arch;
  std::string llama_arch;
  int n_vocab;
  bool add_bos;
  std::vector<llama_token> hello_world;  // tokenized with special tokens
};

std::ostream& operator<<(std::ostream& os, const ArchCase& c) {
  return os << c.arch;
}

const std::vector<ArchCase> kArchCases = {
    {"llama-spm", "llama", 32000, true, {1, 15043, 3186}},
    {"llama-bpe", "llama", 128256, true, {128000, 9906, 1917}},
    {"qwen2", "qwen2", 151936, false, {9707, 1879}},
    {"gemma", "gemma", 262144, true, {2, 9259, 1902}},
    {"olmo", "olmo", 50432, false, {12092, 1533}},
};

class ArchTest : public ::testing::TestWithParam<ArchCase> {};

TEST_P(ArchTest, LoadsAsTheRealArchitectureWithItsTokenizer) {
  const ArchCase& c = GetParam();
  auto model = LoadModel(Generate({c.arch, "tiny", "f32", 1}));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(llmcal::testing::MetaString(model.get(), "general.architecture"), c.llama_arch);
  EXPECT_EQ(LlamaArchitectureOf(c.arch), c.llama_arch);
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  EXPECT_EQ(llama_vocab_n_tokens(vocab), c.n_vocab);
  EXPECT_EQ(llama_vocab_get_add_bos(vocab), c.add_bos);
  EXPECT_EQ(llmcal::testing::Tokenize(model.get(), "Hello world", true), c.hello_world);
  // The tiny preset's shape.
  EXPECT_EQ(llama_model_n_layer(model.get()), 2);
  EXPECT_EQ(llama_model_n_embd(model.get()), 64);
  EXPECT_EQ(llama_model_n_head(model.get()), 4);
  EXPECT_EQ(llama_model_n_head_kv(model.get()), 2);
  EXPECT_EQ(llama_model_n_ctx_train(model.get()), 512);
}

TEST_P(ArchTest, DecodesToFiniteLogitsThatDependOnTheContext) {
  const ArchCase& c = GetParam();
  auto model = LoadModel(Generate({c.arch, "tiny", "f32", 1}));
  ASSERT_NE(model, nullptr);
  const std::vector<float> a = llmcal::testing::LastLogits(
      model.get(), llmcal::testing::Tokenize(model.get(), "The capital of France is", true));
  const std::vector<float> b = llmcal::testing::LastLogits(
      model.get(), llmcal::testing::Tokenize(model.get(), "My favourite colour is", true));
  ASSERT_EQ(a.size(), static_cast<std::size_t>(c.n_vocab));
  ASSERT_TRUE(std::all_of(a.begin(), a.end(), [](float x) { return std::isfinite(x); }));
  // Log-probs differ from logits by a constant, so their spread across the
  // vocabulary is the logits' standard deviation: the generator aims at 2.5
  // nats, far from a uniform (0) or a one-hot (huge) distribution.
  const double mean = std::accumulate(a.begin(), a.end(), 0.0) / static_cast<double>(a.size());
  double var = 0.0;
  for (const float x : a) {
    var += (x - mean) * (x - mean);
  }
  const double stddev = std::sqrt(var / static_cast<double>(a.size()));
  EXPECT_GT(stddev, 1.5);
  EXPECT_LT(stddev, 4.0);
  // No token takes (nearly) all the probability: the top log-prob stays below
  // log(0.5). A model that just repeats its last token would fail here.
  const float max_logit = *std::max_element(a.begin(), a.end());
  double sum_exp = 0.0;
  for (const float x : a) {
    sum_exp += std::exp(static_cast<double>(x - max_logit));
  }
  EXPECT_LT(-std::log(sum_exp), std::log(0.5));
  double max_diff = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    max_diff = std::max(max_diff, static_cast<double>(std::fabs(a[i] - b[i])));
  }
  EXPECT_GT(max_diff, 0.1) << "the next-token distribution should depend on the context";
}

INSTANTIATE_TEST_SUITE_P(AllArchitectures, ArchTest, ::testing::ValuesIn(kArchCases),
                         [](const auto& test_info) {
                           std::string name = test_info.param.arch;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// llama.cpp's own tokenizer test cases (Hugging Face reference ids for 45-odd
// hard strings: spaces, newlines, emoji, Cyrillic, code) must all come out the
// same from the generated model: the tokenizer is the real one, intact.
struct VocabCase {
  std::string arch;
  std::string vocab_file;
};

std::ostream& operator<<(std::ostream& os, const VocabCase& c) {
  return os << c.arch;
}

class VocabConformanceTest : public ::testing::TestWithParam<VocabCase> {};

TEST_P(VocabConformanceTest, TokenizesLlamaCppsReferenceCases) {
  const VocabCase& c = GetParam();
  const auto cases = llmcal::testing::ReadTokenizerCases(DefaultVocabDir() / c.vocab_file);
  ASSERT_GE(cases.size(), 40u) << "reference cases for " << c.vocab_file << " not found";
  auto model = LoadModel(Generate({c.arch, "tiny", "f32", 1}));
  ASSERT_NE(model, nullptr);
  for (const auto& reference : cases) {
    EXPECT_EQ(llmcal::testing::Tokenize(model.get(), reference.text, false), reference.ids)
        << "text: '" << reference.text << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(ArchitecturesWithReferenceCases, VocabConformanceTest,
                         ::testing::Values(VocabCase{"llama-spm", "ggml-vocab-llama-spm.gguf"},
                                           VocabCase{"llama-bpe", "ggml-vocab-llama-bpe.gguf"},
                                           VocabCase{"qwen2", "ggml-vocab-qwen2.gguf"},
                                           VocabCase{"gemma", "ggml-vocab-gemma-4.gguf"}),
                         [](const auto& test_info) {
                           std::string name = test_info.param.arch;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(DeterminismTest, SameSpecGivesTheSameBytes) {
  const SyntheticModelSpec spec{"llama-spm", "tiny", "q8_0", 7};
  const std::string first = ReadFile(Generate(spec));
  const std::string second = ReadFile(Generate(spec));
  ASSERT_GT(first.size(), 1000000u);
  EXPECT_TRUE(first == second);
}

TEST(DeterminismTest, AnotherSeedGivesOtherWeightsOfTheSameLayout) {
  const std::string seven = ReadFile(Generate({"qwen2", "tiny", "f16", 7}));
  const std::string eight = ReadFile(Generate({"qwen2", "tiny", "f16", 8}));
  EXPECT_EQ(seven.size(), eight.size());
  EXPECT_FALSE(seven == eight);
}

// Each weight type stores matrices as that type and keeps norms in F32, and
// the model computes nearly what the F32 model with the same seed computes.
struct TypeCase {
  std::string type;
  ggml_type matrix_type;
  double max_logit_error;  // vs F32: F16 rounding ~5e-4, Q8_0 blocks ~1e-2 relative
};

std::ostream& operator<<(std::ostream& os, const TypeCase& c) {
  return os << c.type;
}

class WeightTypeTest : public ::testing::TestWithParam<TypeCase> {};

TEST_P(WeightTypeTest, StoresMatricesAsTheTypeAndComputesLikeF32) {
  const TypeCase& c = GetParam();
  const std::filesystem::path path = Generate({"llama-spm", "tiny", c.type, 3});
  gguf_init_params params{};
  params.no_alloc = true;
  gguf_context* gguf = gguf_init_from_file(path.string().c_str(), params);
  ASSERT_NE(gguf, nullptr);
  EXPECT_EQ(gguf_get_tensor_type(gguf, gguf_find_tensor(gguf, "token_embd.weight")), c.matrix_type);
  EXPECT_EQ(gguf_get_tensor_type(gguf, gguf_find_tensor(gguf, "blk.1.ffn_down.weight")),
            c.matrix_type);
  EXPECT_EQ(gguf_get_tensor_type(gguf, gguf_find_tensor(gguf, "blk.0.attn_norm.weight")),
            GGML_TYPE_F32);
  // llama-spm (untied): embeddings, output, its norm, 9 tensors per layer.
  EXPECT_EQ(gguf_get_n_tensors(gguf), 3 + 2 * 9);
  gguf_free(gguf);

  auto model = LoadModel(path);
  auto reference = LoadModel(Generate({"llama-spm", "tiny", "f32", 3}));
  ASSERT_NE(model, nullptr);
  ASSERT_NE(reference, nullptr);
  const auto tokens = llmcal::testing::Tokenize(model.get(), "Once upon a time", true);
  const std::vector<float> got = llmcal::testing::LastLogits(model.get(), tokens);
  const std::vector<float> want = llmcal::testing::LastLogits(reference.get(), tokens);
  ASSERT_EQ(got.size(), want.size());
  double max_diff = 0.0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_TRUE(std::isfinite(got[i]));
    max_diff = std::max(max_diff, static_cast<double>(std::fabs(got[i] - want[i])));
  }
  EXPECT_LE(max_diff, c.max_logit_error);
  if (c.matrix_type != GGML_TYPE_F32) {
    EXPECT_GT(max_diff, 0.0) << "weights should be stored with less precision than F32";
  }
}

INSTANTIATE_TEST_SUITE_P(AllTypes, WeightTypeTest,
                         ::testing::Values(TypeCase{"f32", GGML_TYPE_F32, 0.0},
                                           TypeCase{"f16", GGML_TYPE_F16, 0.05},
                                           TypeCase{"q8_0", GGML_TYPE_Q8_0, 0.5}),
                         [](const auto& test_info) { return test_info.param.type; });

// Bad specs are InputErrors whose message names the problem, and no file is left.
struct BadSpecCase {
  std::string name;
  SyntheticModelSpec spec;
  std::string expected_message;
};

std::ostream& operator<<(std::ostream& os, const BadSpecCase& c) {
  return os << c.name;
}

class BadSpecTest : public ::testing::TestWithParam<BadSpecCase> {};

TEST_P(BadSpecTest, IsAClearInputError) {
  const BadSpecCase& c = GetParam();
  const std::filesystem::path dir = FreshTempDir("make-model-bad");
  try {
    WriteSyntheticModel(c.spec, dir / "model.gguf", DefaultVocabDir());
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(c.expected_message), std::string::npos) << e.what();
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

INSTANTIATE_TEST_SUITE_P(
    UnknownNames, BadSpecTest,
    ::testing::Values(
        BadSpecCase{"arch",
                    {"gpt5", "tiny", "f32", 0},
                    "unknown architecture 'gpt5' (choose one of: llama-spm, llama-bpe, qwen2, "
                    "gemma, olmo)"},
        BadSpecCase{"preset",
                    {"qwen2", "huge", "f32", 0},
                    "unknown preset 'huge' (choose one of: tiny, small, qwen2.5-0.5b)"},
        BadSpecCase{"type",
                    {"qwen2", "tiny", "q4_0", 0},
                    "unknown type 'q4_0' (choose one of: f32, f16, q8_0)"},
        BadSpecCase{"empty_arch", {"", "tiny", "f32", 0}, "unknown architecture ''"}),
    [](const auto& test_info) { return test_info.param.name; });

TEST(BadPathTest, MissingVocabFolderIsAnInputError) {
  const std::filesystem::path dir = FreshTempDir("make-model-bad");
  try {
    WriteSyntheticModel({}, dir / "model.gguf", dir / "no-such-folder");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-folder does not exist"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(BadPathTest, VocabFolderWithoutTheVocabFileIsAnInputError) {
  const std::filesystem::path vocab_dir = FreshTempDir("make-model-vocab");
  try {
    WriteSyntheticModel({"qwen2", "tiny", "f32", 0}, vocab_dir / "model.gguf", vocab_dir);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ggml-vocab-qwen2.gguf: vocabulary file for "
                                         "architecture 'qwen2' not found"),
              std::string::npos)
        << e.what();
  }
}

TEST(BadPathTest, VocabFileThatIsNotGgufIsAnInputError) {
  const std::filesystem::path vocab_dir = FreshTempDir("make-model-vocab");
  std::ofstream(vocab_dir / "ggml-vocab-llama-spm.gguf") << "this is not a GGUF file\n";
  try {
    WriteSyntheticModel({"llama-spm", "tiny", "f32", 0}, vocab_dir / "model.gguf", vocab_dir);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ggml-vocab-llama-spm.gguf: not a readable GGUF file"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(vocab_dir / "model.gguf"));
}

TEST(BadPathTest, UnwritableOutputIsAnInputError) {
  const std::filesystem::path dir = FreshTempDir("make-model-bad");
  const std::filesystem::path out = dir / "missing-folder" / "model.gguf";
  try {
    WriteSyntheticModel({}, out, DefaultVocabDir());
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), out.string() + ": cannot write: No such file or directory");
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(BadPathTest, OutputThatIsAFolderIsAnInputErrorAndLeavesNoPartialFile) {
  const std::filesystem::path dir = FreshTempDir("make-model-bad");
  std::filesystem::create_directory(dir / "model.gguf");
  EXPECT_THROW(WriteSyntheticModel({}, dir / "model.gguf", DefaultVocabDir()), InputError);
  EXPECT_FALSE(std::filesystem::exists(dir / "model.gguf.partial"));
  EXPECT_TRUE(std::filesystem::is_directory(dir / "model.gguf"));
}

}  // namespace
}  // namespace llmcal::synthetic
