// The blob encoding against hand-written bytes, SHA-256 against published
// test vectors, and when a stored digest is reused instead of re-reading.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "common/error.h"
#include "common/sha256.h"
#include "store/blob_codec.h"
#include "store/file_digest.h"
#include "support/test_data.h"

namespace llmcal::store {
namespace {

std::vector<unsigned char> Bytes(const std::vector<std::byte>& blob) {
  std::vector<unsigned char> bytes;
  for (std::byte b : blob)
    bytes.push_back(static_cast<unsigned char>(b));
  return bytes;
}

TEST(BlobCodec, LittleEndianFloat32AndInt32) {
  // 1.0f = 0x3F800000, -2.5f = 0xC0200000, written low byte first.
  const std::vector<float> floats = {1.0f, -2.5f};
  EXPECT_EQ(Bytes(EncodeFloats(floats)),
            (std::vector<unsigned char>{0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0}));
  const std::vector<std::int32_t> ints = {1, -2, 0x01020304};
  EXPECT_EQ(Bytes(EncodeInt32s(ints)),
            (std::vector<unsigned char>{1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 4, 3, 2, 1}));
  std::vector<float> back;
  ASSERT_TRUE(DecodeFloats(EncodeFloats(floats), back));
  EXPECT_EQ(back, floats);
  std::vector<std::int32_t> ints_back;
  ASSERT_TRUE(DecodeInt32s(EncodeInt32s(ints), ints_back));
  EXPECT_EQ(ints_back, ints);
}

TEST(BlobCodec, RefusesABlobThatIsNotWholeElements) {
  std::vector<float> out;
  EXPECT_FALSE(DecodeFloats(std::vector<std::byte>(7), out));
  EXPECT_TRUE(DecodeFloats({}, out));
  EXPECT_TRUE(out.empty());
}

std::filesystem::path WriteFile(const std::string& name, const std::string& text) {
  const auto path = testing::FreshTempDir("llmcal-digest") / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(FileDigest, Sha256TestVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(Sha256OfFile(WriteFile("empty", "")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256OfFile(WriteFile("abc", "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Larger than one read block, to cross the block boundary.
  EXPECT_EQ(Sha256OfFile(WriteFile("million", std::string(1'000'000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Sha256OfFile(WriteFile("big", std::string(9 << 20, 'a'))).size(), 64u);
}

TEST(FileDigest, ReusesAKnownDigestOnlyWhilePathSizeAndMtimeHold) {
  const auto path = WriteFile("model.gguf", "weights");
  const FileFingerprint real = FingerprintFile(path);
  EXPECT_EQ(real.size, 7u);
  EXPECT_TRUE(real.path.front() == '/');

  FileFingerprint known = real;
  known.sha256 = "stored-digest";
  EXPECT_EQ(FingerprintFile(path, known).sha256, "stored-digest");  // not read again

  FileFingerprint moved = known;
  moved.path = "/elsewhere/model.gguf";
  EXPECT_EQ(FingerprintFile(path, moved).sha256, real.sha256);

  FileFingerprint older = known;
  older.mtime_ns -= 1;
  EXPECT_EQ(FingerprintFile(path, older).sha256, real.sha256);

  FileFingerprint smaller = known;
  smaller.size -= 1;
  EXPECT_EQ(FingerprintFile(path, smaller).sha256, real.sha256);
}

TEST(FileDigest, MissingFileNamesIt) {
  try {
    FingerprintFile("/no/such/model.gguf");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/no/such/model.gguf: cannot read"), std::string::npos);
  }
}

}  // namespace
}  // namespace llmcal::store
