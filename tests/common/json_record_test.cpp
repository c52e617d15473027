// The JSON record layer (common/json_record.h): every accessor returns the
// asked-for type or throws an InputError naming file, line and field path.
#include "common/json_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"

namespace llmcal {
namespace {

// Returns the message of the InputError `read` throws, or "" (a failure) when
// it throws nothing.
template <typename Read>
std::string ErrorOf(Read read) {
  try {
    read();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

class JsonFieldTest : public ::testing::Test {
 protected:
  const RecordLocation where_{"items.jsonl", 7};
  const nlohmann::json record_ = nlohmann::json::parse(
      R"({"id": 12, "name": "x", "gold": "3", "big": 18446744073709551615, "p": [0.5, 0.25],)"
      R"( "ok": true, "q": {"choices": [{"text": "a"}, {"label": "B"}]}, "words": ["a", 1]})");
  const JsonField field_{record_, where_, ""};
};

TEST_F(JsonFieldTest, ReadsEachType) {
  EXPECT_EQ(field_.Member("name").String(), "x");
  EXPECT_EQ(field_.Member("id").Integer(), 12);
  EXPECT_EQ(field_.Member("gold").Integer(), 3);  // a decimal string, as HF exports store labels
  EXPECT_EQ(field_.Member("p").Numbers(), (std::vector<double>{0.5, 0.25}));
  EXPECT_TRUE(field_.Member("ok").Bool());
  EXPECT_EQ(field_.Member("id").IdText(), "12");
  EXPECT_EQ(field_.Member("name").IdText(), "x");
  EXPECT_TRUE(field_.Has("q"));
  EXPECT_FALSE(field_.Has("nothing"));
  EXPECT_EQ(field_.Member("q").Member("choices").Elements()[0].Member("text").String(), "a");
}

TEST_F(JsonFieldTest, ErrorsNameFileLineAndFieldPath) {
  EXPECT_EQ(ErrorOf([&] { field_.Member("missing"); }), "items.jsonl:7: field 'missing': missing");
  EXPECT_EQ(ErrorOf([&] { field_.Member("q").Member("choices").Elements()[1].Member("text"); }),
            "items.jsonl:7: field 'q.choices[1].text': missing");
  EXPECT_EQ(ErrorOf([&] { field_.Member("id").String(); }),
            "items.jsonl:7: field 'id': expected a string, found number");
  EXPECT_EQ(ErrorOf([&] { field_.Member("name").Integer(); }),
            "items.jsonl:7: field 'name': expected an integer, found \"x\"");
  EXPECT_EQ(ErrorOf([&] { field_.Member("big").Integer(); }),
            "items.jsonl:7: field 'big': integer out of range");
  EXPECT_EQ(ErrorOf([&] { field_.Member("words").Strings(); }),
            "items.jsonl:7: field 'words[1]': expected a string, found number");
  EXPECT_EQ(ErrorOf([&] { field_.Member("name").Elements(); }),
            "items.jsonl:7: field 'name': expected an array, found string");
  EXPECT_EQ(ErrorOf([&] { field_.Member("p").Bool(); }),
            "items.jsonl:7: field 'p': expected true or false, found array");
  EXPECT_EQ(ErrorOf([&] { field_.Member("ok").IdText(); }),
            "items.jsonl:7: field 'ok': expected a string or an integer, found boolean");
}

// Collects the records a file yields and the errors a skipping policy kept.
struct Collected {
  std::vector<std::string> names;
  std::vector<std::string> where;
  std::vector<std::string> skipped;
};

Collected CollectLines(const std::string& text) {
  Collected out;
  BadRecordPolicy skip(true);
  ForEachJsonLine(FileText{"f.jsonl", text}, skip, [&](const JsonField& record) {
    out.names.push_back(record.Member("n").String());
    out.where.push_back(record.where().FallbackId());
  });
  out.skipped = skip.skipped();
  return out;
}

TEST(ForEachJsonLine, YieldsObjectsSkipsBlankLinesAndLocatesBadOnes) {
  const Collected got = CollectLines(
      "{\"n\": \"a\"}\n\n  \n{\"n\": \"b\"}\r\n[1]\n{\"n\": \n{\"m\": 1}\n{\"n\": \"c\"}");
  EXPECT_EQ(got.names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(got.where, (std::vector<std::string>{"f.jsonl:1", "f.jsonl:4", "f.jsonl:8"}));
  ASSERT_EQ(got.skipped.size(), 3u);
  EXPECT_EQ(got.skipped[0], "f.jsonl:5: expected a JSON object, found array");
  EXPECT_TRUE(got.skipped[1].starts_with("f.jsonl:6: malformed JSON: ")) << got.skipped[1];
  EXPECT_EQ(got.skipped[2], "f.jsonl:7: field 'n': missing");
}

TEST(ForEachJsonLine, FailsOnTheFirstBadLineWithoutSkipping) {
  BadRecordPolicy fail(false);
  EXPECT_EQ(ErrorOf([&] {
              ForEachJsonLine(FileText{"f.jsonl", "{}\n7\n"}, fail, [](const JsonField&) {});
            }),
            "f.jsonl:2: expected a JSON object, found number");
}

TEST(ForEachJsonArrayElement, LocatesElementsByLineAndIndex) {
  std::vector<std::string> where;
  BadRecordPolicy skip(true);
  ForEachJsonArrayElement(
      FileText{"a.json", "[{\"n\": 1},\n {\"n\": \"]\"}, 5,\n{}]\n"}, skip,
      [&](const JsonField& record) { where.push_back(record.where().FallbackId()); });
  EXPECT_EQ(where, (std::vector<std::string>{"a.json[0]", "a.json[1]", "a.json[3]"}));
  ASSERT_EQ(skip.skipped().size(), 1u);
  EXPECT_EQ(skip.skipped()[0], "a.json:2: field '[2]': expected a JSON object, found number");
}

TEST(ForEachJsonArrayElement, RefusesWhatIsNotOneArray) {
  BadRecordPolicy skip(true);
  const auto error_of = [&](const std::string& text) {
    return ErrorOf([&] {
      ForEachJsonArrayElement(FileText{"a.json", text}, skip, [](const JsonField&) {});
    });
  };
  EXPECT_EQ(error_of("{}"), "a.json:1: expected a JSON array of records");
  EXPECT_EQ(error_of("[\n{}"), "a.json:2: unterminated array: no closing ']'");
  EXPECT_EQ(error_of("[{}]\n]"), "a.json:2: text after the closing ']' of the array");
  EXPECT_TRUE(error_of("[{\"a\": \"b}]").find("unterminated string") != std::string::npos);
}

TEST(ParseJsonDocument, NamesTheFileOfMalformedJson) {
  EXPECT_EQ(ParseJsonDocument(FileText{"d.json", "{\"a\": [1]}"})["a"][0], 1);
  EXPECT_TRUE(ErrorOf([] {
                ParseJsonDocument(FileText{"d.json", "{\"a\": "});
              }).starts_with("d.json: malformed JSON: "));
}

TEST(StartsWithJsonArray, LooksAtTheFirstNonBlankCharacter) {
  EXPECT_TRUE(StartsWithJsonArray(" \n\t["));
  EXPECT_FALSE(StartsWithJsonArray("{\"a\": []}"));
  EXPECT_FALSE(StartsWithJsonArray("   "));
}

}  // namespace
}  // namespace llmcal
