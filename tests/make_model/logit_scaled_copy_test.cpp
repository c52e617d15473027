// WriteLogitScaledCopy: the copy is the original with exactly the logit
// weights multiplied (checked against the files themselves, read back with
// ggml's own dequantization), llama.cpp computes A times the original's
// logits from it, and every kind of bad input is a clear InputError that
// leaves no file behind.
#include "gguf/logit_scaled_copy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "gguf_test_files.h"
#include "llama_test_helpers.h"
#include "support/files.h"
#include "support/test_data.h"
#include "synthetic_model.h"

namespace llmcal::synthetic {
namespace {

using gguf::kLogitScaleKey;
using gguf::WriteLogitScaledCopy;

namespace fs = std::filesystem;
using llmcal::testing::FreshTempDir;
using llmcal::testing::GgufContents;

fs::path Stories() {
  return llmcal::testing::TestDataDir() / "models" / "stories260K.gguf";
}

// The model a case starts from: "stories" (the real stories260K), or
// "ARCH/TYPE", a tiny synthetic model made into `dir`.
fs::path SourceModel(const std::string& source, const fs::path& dir) {
  if (source == "stories") {
    return Stories();
  }
  const std::size_t slash = source.find('/');
  const fs::path path = dir / "source.gguf";
  WriteSyntheticModel({source.substr(0, slash), "tiny", source.substr(slash + 1), 5}, path,
                      DefaultVocabDir());
  return path;
}

// ---------------------------------------------------------------------------
// The file: which tensors change, and how.

struct CopyCase {
  std::string name;
  std::string source;
  // The weight that carries the scale; "output.weight+" when the copy adds
  // output.weight = A x token_embd.weight (tied embeddings).
  std::string scaled;
  bool has_output_bias = false;
};

std::ostream& operator<<(std::ostream& os, const CopyCase& c) {
  return os << c.name;
}

const CopyCase kCopyCases[] = {
    {"stories260K", "stories", "output.weight"},
    {"llama_f32", "llama-spm/f32", "output.weight"},
    {"llama_f16", "llama-spm/f16", "output.weight"},
    {"llama_q8_0", "llama-spm/q8_0", "output.weight"},
    {"qwen2_tied_f32", "qwen2/f32", "output.weight+"},
    {"qwen2_tied_f16", "qwen2/f16", "output.weight+"},
    {"qwen2_tied_q8_0", "qwen2/q8_0", "output.weight+"},
    {"olmo_tied_f16", "olmo/f16", "output.weight+"},
    {"gemma_final_norm", "gemma/q8_0", "output_norm.weight"},
};

class CopyFileTest : public ::testing::TestWithParam<CopyCase> {};

// Every value of `copy` is exactly 2 x the value of `original` (a power of
// two multiplies exactly in F32, F16 and Q8_0's F16 block scales).
void ExpectDoubled(const GgufContents::Tensor& original, const GgufContents::Tensor& copy,
                   const std::string& what) {
  ASSERT_EQ(copy.type, original.type) << what;
  ASSERT_EQ(copy.shape, original.shape) << what;
  const std::vector<float> a = llmcal::testing::Dequantize(original);
  const std::vector<float> b = llmcal::testing::Dequantize(copy);
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    mismatches += b[i] != 2.0f * a[i];
  }
  EXPECT_EQ(mismatches, 0u) << what << ": values that are not exactly doubled";
  EXPECT_TRUE(std::any_of(a.begin(), a.end(), [](float x) { return x != 0.0f; })) << what;
}

TEST_P(CopyFileTest, ScalesOnlyTheLogitWeightsAndKeepsAllElse) {
  const CopyCase& c = GetParam();
  const fs::path dir = FreshTempDir("logit-copy");
  const fs::path in = SourceModel(c.source, dir);
  WriteLogitScaledCopy(in, dir / "copy.gguf", 2.0);
  const GgufContents original = llmcal::testing::ReadGguf(in);
  const GgufContents copy = llmcal::testing::ReadGguf(dir / "copy.gguf");

  // Metadata: all of the original's, byte for byte, but the name and description.
  for (const auto& [key, value] : original.values) {
    if (key != "general.name" && key != "general.description") {
      EXPECT_EQ(copy.values.count(key), 1u) << key;
      EXPECT_TRUE(copy.values.count(key) == 0 || copy.values.at(key) == value) << key;
    }
  }
  EXPECT_EQ(copy.values.size(), original.values.size() + 1 +
                                    (original.values.count("general.name") == 0) +
                                    (original.values.count("general.description") == 0));
  EXPECT_EQ(llmcal::testing::F64Value(dir / "copy.gguf", kLogitScaleKey), 2.0);
  const std::string name = llmcal::testing::StringValue(in, "general.name");
  EXPECT_EQ(llmcal::testing::StringValue(dir / "copy.gguf", "general.name"),
            (name.empty() ? in.stem().string() : name) + " (logits x2)");
  EXPECT_NE(llmcal::testing::StringValue(dir / "copy.gguf", "general.description")
                .find("logit-scaled copy of " + in.filename().string()),
            std::string::npos);

  // Tensors: the original's, in its order, unchanged but the scaled one(s).
  const bool adds_output = c.scaled == "output.weight+";
  std::vector<std::string> order = original.tensor_order;
  if (adds_output) {
    order.push_back("output.weight");
  }
  EXPECT_EQ(copy.tensor_order, order);
  for (const auto& [tensor_name, tensor] : original.tensors) {
    const GgufContents::Tensor& copied = copy.tensors.at(tensor_name);
    if (tensor_name == c.scaled || tensor_name == "output.bias") {
      ExpectDoubled(tensor, copied, tensor_name);
    } else {
      EXPECT_TRUE(copied.type == tensor.type && copied.shape == tensor.shape &&
                  copied.bytes == tensor.bytes)
          << tensor_name << " changed";
    }
  }
  if (adds_output) {
    ExpectDoubled(original.tensors.at("token_embd.weight"), copy.tensors.at("output.weight"),
                  "output.weight vs token_embd.weight");
  }
}

INSTANTIATE_TEST_SUITE_P(Models, CopyFileTest, ::testing::ValuesIn(kCopyCases),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(CopyFileTest, ScalesOutputBiasToo) {
  const fs::path dir = FreshTempDir("logit-copy");
  const std::vector<float> row(32, 0.25f);
  llmcal::testing::WriteHandmadeGguf(dir / "in.gguf",
                                     {"qwen2",
                                      {},
                                      {{"token_embd.weight", GGML_TYPE_F32, 32, row},
                                       {"output.weight", GGML_TYPE_F16, 32, row},
                                       {"output.bias", GGML_TYPE_F32, 1, {0.5f}}}});
  WriteLogitScaledCopy(dir / "in.gguf", dir / "copy.gguf", 2.0);
  const GgufContents copy = llmcal::testing::ReadGguf(dir / "copy.gguf");
  EXPECT_EQ(llmcal::testing::Dequantize(copy.tensors.at("output.bias")), std::vector<float>{1.0f});
  EXPECT_EQ(llmcal::testing::Dequantize(copy.tensors.at("output.weight")),
            std::vector<float>(32, 0.5f));
  EXPECT_EQ(llmcal::testing::Dequantize(copy.tensors.at("token_embd.weight")), row);
}

TEST(CopyFileTest, ScaleOfACopyIsTheProductOfBothScales) {
  const fs::path dir = FreshTempDir("logit-copy");
  WriteLogitScaledCopy(Stories(), dir / "x2.gguf", 2.0);
  WriteLogitScaledCopy(dir / "x2.gguf", dir / "x6.gguf", 3.0);
  EXPECT_EQ(llmcal::testing::F64Value(dir / "x6.gguf", kLogitScaleKey), 6.0);
}

// F16 has an 11-bit significand: a value rounded to the nearest F16 is within
// 2^-11 of the exact product, relatively (all values here are normal F16).
TEST(CopyFileTest, NonPowerOfTwoScaleRoundsEachF16ValueToTheNearest) {
  const fs::path dir = FreshTempDir("logit-copy");
  const std::vector<float> values = {1.0f, -0.1f, 3.3f, 1000.0f, 1e-3f, 0.0f, -7.77f, 65.5f};
  llmcal::testing::WriteHandmadeGguf(dir / "in.gguf",
                                     {"llama", {}, {{"output.weight", GGML_TYPE_F16, 8, values}}});
  WriteLogitScaledCopy(dir / "in.gguf", dir / "copy.gguf", 0.3);
  const std::vector<float> stored = llmcal::testing::Dequantize(
      llmcal::testing::ReadGguf(dir / "in.gguf").tensors.at("output.weight"));
  const std::vector<float> got = llmcal::testing::Dequantize(
      llmcal::testing::ReadGguf(dir / "copy.gguf").tensors.at("output.weight"));
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double exact = 0.3 * stored[i];
    EXPECT_LE(std::fabs(got[i] - exact), std::fabs(exact) * 0x1.0p-11) << i;
  }
  EXPECT_EQ(got[5], 0.0f);
  EXPECT_NE(got[0], stored[0]);
}

// ---------------------------------------------------------------------------
// The model: llama.cpp loads the copy and its logits are A x the original's.

struct LogitCase {
  std::string name;
  std::string source;
  double scale;
  double tolerance;  // on |copy - A x original| / (1 + |A x original|)
};

std::ostream& operator<<(std::ostream& os, const LogitCase& c) {
  return os << c.name;
}

const LogitCase kLogitCases[] = {
    {"stories260K_x2", "stories", 2.0, 1e-6},        {"llama_f32_x2", "llama-spm/f32", 2.0, 1e-6},
    {"qwen2_tied_q8_0_x2", "qwen2/q8_0", 2.0, 1e-6}, {"qwen2_tied_f32_x3", "qwen2/f32", 3.0, 1e-5},
    {"olmo_tied_f16_x2", "olmo/f16", 2.0, 1e-6},     {"gemma_f32_x2", "gemma/f32", 2.0, 1e-6},
    {"gemma_f16_x0_5", "gemma/f16", 0.5, 1e-5},
};

class CopyLogitsTest : public ::testing::TestWithParam<LogitCase> {};

TEST_P(CopyLogitsTest, AreTheOriginalsTimesTheScale) {
  const LogitCase& c = GetParam();
  const fs::path dir = FreshTempDir("logit-copy");
  const fs::path in = SourceModel(c.source, dir);
  WriteLogitScaledCopy(in, dir / "copy.gguf", c.scale);
  auto original = llmcal::testing::LoadModel(in);
  auto copy = llmcal::testing::LoadModel(dir / "copy.gguf");
  ASSERT_NE(original, nullptr);
  ASSERT_NE(copy, nullptr) << "llama.cpp refused the copy";
  const auto tokens = llmcal::testing::Tokenize(original.get(), "Once upon a time, a cat", true);
  const std::vector<float> want = llmcal::testing::LastLogits(original.get(), tokens);
  const std::vector<float> got = llmcal::testing::LastLogits(copy.get(), tokens);
  ASSERT_EQ(got.size(), want.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double scaled = c.scale * want[i];
    worst = std::max(worst, std::fabs(got[i] - scaled) / (1.0 + std::fabs(scaled)));
  }
  EXPECT_LE(worst, c.tolerance);
  // Sanity: the logits are not all alike, so scaling them matters.
  const auto [lo, hi] = std::minmax_element(want.begin(), want.end());
  EXPECT_GT(*hi - *lo, 1.0f);
}

INSTANTIATE_TEST_SUITE_P(Models, CopyLogitsTest, ::testing::ValuesIn(kLogitCases),
                         [](const auto& test_info) { return test_info.param.name; });

// ---------------------------------------------------------------------------
// Refusals: an InputError naming the file and the problem; no file left.

struct RefusalCase {
  std::string name;
  // "stories", "missing", "text", "truncated", "self" (out == in), or a
  // hand-made file.
  std::string input;
  llmcal::testing::HandmadeGguf handmade;
  double scale;
  std::string message;
};

std::ostream& operator<<(std::ostream& os, const RefusalCase& c) {
  return os << c.name;
}

std::vector<float> Row(float value) {
  return std::vector<float>(32, value);
}

const llmcal::testing::HandmadeTensor kEmbedding{"token_embd.weight", GGML_TYPE_F32, 32, Row(0.1f)};

const RefusalCase kRefusalCases[] = {
    {"scale_zero", "stories", {}, 0.0, "logit scale must be a finite number > 0 (got 0)"},
    {"scale_negative", "stories", {}, -2.0, "logit scale must be a finite number > 0 (got -2)"},
    {"scale_nan", "stories", {}, std::nan(""), "logit scale must be a finite number > 0 (got nan)"},
    {"scale_infinite",
     "stories",
     {},
     std::numeric_limits<double>::infinity(),
     "logit scale must be a finite number > 0 (got inf)"},
    {"missing_input", "missing", {}, 2.0, "absent.gguf: no such file"},
    {"not_gguf", "text", {}, 2.0, "model.gguf: not a readable GGUF file"},
    {"truncated_in_tensor_data", "truncated", {}, 2.0, "truncated.gguf: truncated: tensor '"},
    {"output_is_input", "self", {}, 2.0, "is the input; the copy would replace it"},
    {"no_architecture",
     "handmade",
     {"", {}, {kEmbedding}},
     2.0,
     "in.gguf: key 'general.architecture': missing"},
    {"unchecked_architecture",
     "handmade",
     {"phi3", {}, {kEmbedding}},
     2.0,
     "in.gguf: key 'general.architecture': 'phi3' is not supported for a logit-scaled copy "
     "(supported: gemma, llama, olmo, qwen2)"},
    {"final_logit_softcapping",
     "handmade",
     {"gemma2", {{"gemma2.final_logit_softcapping", 30.0f}}, {kEmbedding}},
     2.0,
     "in.gguf: key 'gemma2.final_logit_softcapping': the model transforms its logits after the "
     "output projection"},
    {"logit_scale_key",
     "handmade",
     {"llama", {{"llama.logit_scale", 0.0625f}}, {kEmbedding}},
     2.0,
     "in.gguf: key 'llama.logit_scale': the model transforms its logits"},
    {"tied_without_embedding",
     "handmade",
     {"qwen2", {}, {{"output_norm.weight", GGML_TYPE_F32, 32, Row(1.0f)}}},
     2.0,
     "in.gguf: tensor 'token_embd.weight': missing"},
    {"gemma_without_final_norm",
     "handmade",
     {"gemma", {}, {kEmbedding}},
     2.0,
     "in.gguf: tensor 'output_norm.weight': missing"},
    {"quantized_output",
     "handmade",
     {"llama", {}, {kEmbedding, {"output.weight", GGML_TYPE_Q4_0, 32, Row(0.1f)}}},
     2.0,
     "in.gguf: tensor 'output.weight' is q4_0; a logit-scaled copy supports f32, f16, q8_0"},
    {"quantized_tied_embedding",
     "handmade",
     {"olmo", {}, {{"token_embd.weight", GGML_TYPE_Q6_K, 256, std::vector<float>(256, 0.1f)}}},
     2.0,
     "in.gguf: tensor 'token_embd.weight' is q6_K; a logit-scaled copy supports"},
    {"f32_overflow",
     "handmade",
     {"llama", {}, {{"output.weight", GGML_TYPE_F32, 32, Row(3e38f)}}},
     2.0,
     "in.gguf: tensor 'output.weight': value 0 is 3"},
    {"f16_overflow",
     "handmade",
     {"llama", {}, {{"output.weight", GGML_TYPE_F16, 32, Row(40000.0f)}}},
     2.0,
     "in.gguf: tensor 'output.weight': value 0 is 40000; times 2 it overflows f16"},
    {"q8_0_block_scale_overflow",
     "handmade",
     {"qwen2", {}, {{"token_embd.weight", GGML_TYPE_Q8_0, 32, Row(5e6f)}}},
     2.0,
     "in.gguf: tensor 'token_embd.weight': block 0's scale d is 39360; times 2 it overflows "
     "q8_0"},
};

class RefusalTest : public ::testing::TestWithParam<RefusalCase> {};

fs::path RefusalInput(const RefusalCase& c, const fs::path& dir) {
  if (c.input == "stories") {
    return Stories();
  }
  if (c.input == "missing") {
    return dir / "absent.gguf";
  }
  if (c.input == "text") {
    std::ofstream(dir / "model.gguf") << "this is not a model\n";
    return dir / "model.gguf";
  }
  if (c.input == "truncated") {
    const std::string bytes = llmcal::testing::ReadFile(Stories());
    std::ofstream(dir / "truncated.gguf", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    return dir / "truncated.gguf";
  }
  if (c.input == "self") {
    fs::copy_file(Stories(), dir / "self.gguf");
    return dir / "self.gguf";
  }
  llmcal::testing::WriteHandmadeGguf(dir / "in.gguf", c.handmade);
  return dir / "in.gguf";
}

TEST_P(RefusalTest, IsAClearInputErrorAndWritesNothing) {
  const RefusalCase& c = GetParam();
  const fs::path dir = FreshTempDir("logit-copy-bad");
  const fs::path in = RefusalInput(c, dir);
  const fs::path out = c.input == "self" ? in : dir / "copy.gguf";
  const std::set<fs::path> before{fs::directory_iterator(dir), fs::directory_iterator()};
  try {
    WriteLogitScaledCopy(in, out, c.scale);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
  }
  const std::set<fs::path> after{fs::directory_iterator(dir), fs::directory_iterator()};
  EXPECT_EQ(after, before) << "a file was left behind";
}

INSTANTIATE_TEST_SUITE_P(BadInput, RefusalTest, ::testing::ValuesIn(kRefusalCases),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(RefusalTest, UnwritableOutputIsAnInputError) {
  const fs::path dir = FreshTempDir("logit-copy-bad");
  const fs::path out = dir / "missing-folder" / "copy.gguf";
  try {
    WriteLogitScaledCopy(Stories(), out, 2.0);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), out.string() + ": cannot write: No such file or directory");
  }
  EXPECT_TRUE(fs::is_empty(dir));
}

}  // namespace
}  // namespace llmcal::synthetic
