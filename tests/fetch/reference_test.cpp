// hf: references, hub URLs, cache paths and endpoint replacement: pure
// functions, checked against hand-written expectations.
#include <gtest/gtest.h>

#include "common/error.h"
#include "fetch/hub.h"
#include "fetch/model_source.h"
#include "fetch/url.h"

namespace llmcal::fetch {
namespace {

TEST(HubReference, ParsesOwnerRepoPathAndRevision) {
  const HubFile file = ParseHubReference("hf:ggml-org/models/tinyllamas/stories260K.gguf");
  EXPECT_EQ(file.owner, "ggml-org");
  EXPECT_EQ(file.repo, "models");
  EXPECT_EQ(file.path, "tinyllamas/stories260K.gguf");
  EXPECT_EQ(file.revision, "main");
  EXPECT_EQ(file.Reference(), "hf:ggml-org/models/tinyllamas/stories260K.gguf@main");

  const HubFile pinned = ParseHubReference("hf:Qwen/Qwen2-7B-GGUF/qwen2-7b-q8_0.gguf@a1b2c3");
  EXPECT_EQ(pinned.revision, "a1b2c3");
  EXPECT_EQ(pinned.path, "qwen2-7b-q8_0.gguf");
  EXPECT_EQ(ParseHubReference("hf:o/r/m.gguf@refs/pr/1").revision, "refs/pr/1");
}

TEST(HubReference, RefusesWhatCannotNameAFile) {
  for (const char* bad : {"hf:", "hf:owner", "hf:owner/repo", "hf:owner/repo/", "hf:/repo/m.gguf",
                          "hf:owner//m.gguf", "hf:own er/repo/m.gguf", "hf:owner/repo/m.bin",
                          "hf:owner/repo/../m.gguf", "hf:../repo/m.gguf", "hf:owner/repo/a//m.gguf",
                          "hf:owner/repo/m.gguf@", "hf:owner/repo/m.gguf@..", "hf:o/r/a\\b.gguf"}) {
    EXPECT_THROW(ParseHubReference(bad), InputError) << bad;
  }
  try {
    ParseHubReference("hf:owner/repo/model.bin");
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "'hf:owner/repo/model.bin': 'model.bin' is not a .gguf file (expected "
                 "hf:OWNER/REPO/PATH.gguf[@REVISION])");
  }
}

TEST(HubReference, ResolveUrlIsTheHubsConvention) {
  const HubFile file = ParseHubReference("hf:ggml-org/models/tinyllamas/stories260K.gguf");
  EXPECT_EQ(ResolveUrl(file, "https://huggingface.co"),
            "https://huggingface.co/ggml-org/models/resolve/main/tinyllamas/stories260K.gguf");
  EXPECT_EQ(ResolveUrl(ParseHubReference("hf:o/r/a b/m+1.gguf@refs/pr/1"), "http://h:1"),
            "http://h:1/o/r/resolve/refs%2Fpr%2F1/a%20b/m%2B1.gguf");
}

TEST(HubReference, CachePathsKeepOwnerRepoRevisionAndFileApart) {
  const std::filesystem::path cache = "/c";
  EXPECT_EQ(CachePath(ParseHubReference("hf:o/r/d/m.gguf"), cache), "/c/hf/o/r/main/d/m.gguf");
  EXPECT_EQ(CachePath(ParseHubReference("hf:o/r/d/m.gguf@v2"), cache), "/c/hf/o/r/v2/d/m.gguf");
  EXPECT_EQ(CachePath(ParseHubReference("hf:o/r/m.gguf@refs/pr/1"), cache),
            "/c/hf/o/r/refs%2Fpr%2F1/m.gguf");
  EXPECT_NE(CachePath(ParseHubReference("hf:o/r-d/m.gguf"), cache),
            CachePath(ParseHubReference("hf:o-r/d/m.gguf"), cache));
}

TEST(HubReference, ASplitModelIsEveryPartFromTheFirst) {
  const std::vector<HubFile> parts =
      SplitParts(ParseHubReference("hf:o/r/q8/m-00002-of-00003.gguf@v1"));
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].path, "q8/m-00001-of-00003.gguf");
  EXPECT_EQ(parts[1].path, "q8/m-00002-of-00003.gguf");
  EXPECT_EQ(parts[2].path, "q8/m-00003-of-00003.gguf");
  EXPECT_EQ(parts[2].revision, "v1");
  EXPECT_EQ(SplitParts(ParseHubReference("hf:o/r/m.gguf")).size(), 1u);
  EXPECT_EQ(SplitParts(ParseHubReference("hf:o/r/m-00004-of-00003.gguf")).size(), 1u);
}

TEST(HubReference, ModelFileStemIgnoresTheRevision) {
  EXPECT_EQ(ModelFileStem("hf:o/r/d/stories260K.gguf@main"), "stories260K");
  EXPECT_EQ(ModelFileStem("hf:o/r/d/stories260K.gguf"), "stories260K");
  EXPECT_EQ(ModelFileStem("/models/llama.q8.gguf"), "llama.q8");
}

TEST(Endpoint, ReplacesSchemeAndHostOfEveryUrl) {
  EXPECT_EQ(
      WithEndpoint("https://raw.githubusercontent.com/o/r/abc/test.jsonl", "http://127.0.0.1:8080"),
      "http://127.0.0.1:8080/o/r/abc/test.jsonl");
  EXPECT_EQ(WithEndpoint("https://example.org/a/b.tar.gz?download=1", "http://mirror/llmcal/"),
            "http://mirror/llmcal/a/b.tar.gz?download=1");
  EXPECT_THROW(WithEndpoint("https://example.org/a", "ftp://mirror"), InputError);
  EXPECT_THROW(WithEndpoint("https://example.org/a", "mirror"), InputError);
  EXPECT_THROW(WithEndpoint("https://example.org/a", "http://mirror/?x=1"), InputError);
  EXPECT_EQ(CheckedEndpoint("http://127.0.0.1:9/", "HF_ENDPOINT"), "http://127.0.0.1:9");
}

TEST(Endpoint, EncodesPathSegments) {
  EXPECT_EQ(EncodePathSegment("Az09-._~"), "Az09-._~");
  EXPECT_EQ(EncodePathSegment("a/b c"), "a%2Fb%20c");
}

}  // namespace
}  // namespace llmcal::fetch
