// Randomized bad input: truncated and garbled copies of a small valid fixture
// of every format go to its loader. Each must load (when the damage happens to
// leave valid records) or throw InputError: never crash, hang or throw
// anything else, and never yield an item that breaks the Item contract.
#include <gtest/gtest.h>

#include <random>

#include "fixture_files.h"
#include "support/test_data.h"
#include "tasks/prompt_builder.h"

namespace llmcal::tasks {
namespace {

using testing::WriteFile;

struct Fixture {
  const char* task;
  const char* file;
  std::string content;
  const char* companion_file;  // PIQA's labels, else nullptr
  std::string companion_content;
};

std::vector<Fixture> Fixtures() {
  return {
      {"arc_easy", "arc.jsonl",
       R"({"id": "q1", "question": {"stem": "Made of?", "choices": [{"text": "air", "label": "1"}, {"text": "elements", "label": "2"}]}, "answerKey": "2"})"
       "\n"
       R"({"id": "q2", "question": "Which?", "choices": {"text": ["x", "y", "z"], "label": ["A", "B", "C"]}, "answerKey": "C"})"
       "\n",
       nullptr, ""},
      {"hellaswag", "h.txt",
       "Roof: A man is on a roof. he\n3\nis a.\nis b.\nis [c].\nstarts d.\n"
       "Life: How to [x] play. Go.\n0\na\nb\nc\nd\n",
       nullptr, ""},
      {"hellaswag", "h.jsonl",
       R"({"ind": 1, "activity_label": "A", "ctx_a": "x [title] y.", "ctx_b": "he", "endings": ["a", "b", "c", "d"], "label": "2"})"
       "\n"
       R"({"ind": 2, "activity_label": "B", "ctx_a": "z.", "ctx_b": "", "endings": ["e", "f", "g", "h"], "label": 0})"
       "\n",
       nullptr, ""},
      {"medmcqa", "dev.json",
       R"({"id": "m1", "question": "Q?", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 4})"
       "\n"
       R"({"id": "m2", "question": "R?", "opa": "e", "opb": "f", "opc": "g", "opd": "h", "cop": 1})"
       "\n",
       nullptr, ""},
      {"mmlu", "anatomy_test.csv", "\" Bone?\",\" x\",y,z,w,A\n\"Two\nlines?\",\"p, q\",r,s,t,C\n",
       nullptr, ""},
      {"mmlu", "test.jsonl",
       R"({"question": "V1", "subject": "virology", "choices": ["a", "b", "c", "d"], "answer": 3})"
       "\n"
       R"({"question": "A1", "subject": "anatomy", "choices": ["a", "b", "c", "d"], "answer": 0})"
       "\n",
       nullptr, ""},
      {"piqa", "valid.jsonl",
       R"({"goal": "g1", "sol1": "a", "sol2": "b"})"
       "\n"
       R"({"goal": "g2", "sol1": "c", "sol2": "d"})"
       "\n",
       "valid-labels.lst", "1\n0\n"},
      {"piqa", "validation.jsonl",
       R"({"goal": "g", "sol1": "a", "sol2": "b", "label": 1})"
       "\n",
       nullptr, ""},
      {"custom", "c.jsonl",
       R"({"context": "2+2 =", "choices": ["4", "5"], "gold": 0, "question": "Sum?"})"
       "\n"
       R"({"id": 3, "context": "c", "choices": ["x", "y", "z"], "gold": 2})"
       "\n",
       nullptr, ""},
  };
}

// One random change of the kind files suffer: cut off, bytes overwritten,
// a range deleted, a line repeated, junk inserted.
std::string Damage(const std::string& text, std::mt19937& rng) {
  static constexpr char kJunkBytes[] = "\0\"{}[],:\n\r\\ 0123456789-eE.\xff\xc3\xe2\x80\xed";
  static const std::string kJunk(kJunkBytes, sizeof(kJunkBytes) - 1);
  const auto below = [&](std::size_t n) {
    return n == 0 ? 0 : static_cast<std::size_t>(rng() % n);
  };
  std::string out = text;
  switch (rng() % 5) {
    case 0:
      out.resize(below(out.size()));
      break;
    case 1:
      for (std::size_t i = 0, n = 1 + below(4); i < n && !out.empty(); ++i) {
        out[below(out.size())] = kJunk[below(kJunk.size())];
      }
      break;
    case 2: {
      const std::size_t from = below(out.size());
      out.erase(from, 1 + below(20));
      break;
    }
    case 3: {
      const std::size_t start = out.rfind('\n', below(out.size()));
      const std::size_t begin = start == std::string::npos ? 0 : start + 1;
      const std::size_t end = out.find('\n', begin);
      out.insert(begin,
                 out.substr(begin, end == std::string::npos ? std::string::npos : end - begin + 1));
      break;
    }
    default:
      for (std::size_t i = 0, n = 1 + below(6); i < n; ++i) {
        out.insert(below(out.size() + 1), 1, kJunk[below(kJunk.size())]);
      }
  }
  return out;
}

void ExpectItemContract(const Task& task) {
  ASSERT_FALSE(task.items.empty());
  for (std::size_t i = 0; i < task.items.size(); ++i) {
    const Item& item = task.items[i];
    ASSERT_GE(item.choices.size(), 2u);
    ASSERT_GE(item.gold, 0);
    ASSERT_LT(static_cast<std::size_t>(item.gold), item.choices.size());
    for (PromptStyle style : {PromptStyle::kContinuation, PromptStyle::kChoice}) {
      const PromptRequest request = BuildPrompt(task, i, style);
      ASSERT_EQ(request.continuations.size(), item.choices.size());
      for (const std::string& continuation : request.continuations) {
        ASSERT_GT(continuation.size(), 1u);
      }
    }
  }
}

TEST(Fuzz, DamagedFilesLoadOrFailCleanly) {
  constexpr int kCasesPerFixture = 40;
  std::mt19937 rng(20260101);
  int loaded = 0;
  int rejected = 0;
  for (const Fixture& fixture : Fixtures()) {
    for (int i = 0; i < kCasesPerFixture; ++i) {
      const auto dir = llmcal::testing::FreshTempDir("llmcal-fuzz");
      const bool damage_companion = fixture.companion_file && rng() % 3 == 0;
      const auto path = WriteFile(
          dir, fixture.file, damage_companion ? fixture.content : Damage(fixture.content, rng));
      if (fixture.companion_file) {
        WriteFile(
            dir, fixture.companion_file,
            damage_companion ? Damage(fixture.companion_content, rng) : fixture.companion_content);
      }
      for (bool skip_bad : {false, true}) {
        LoadOptions options;
        options.skip_bad = skip_bad;
        SCOPED_TRACE(std::string(fixture.file) + " case " + std::to_string(i) +
                     (skip_bad ? " --skip-bad" : ""));
        try {
          ExpectItemContract(testing::LoadFrom(fixture.task, path, options));
          ++loaded;
        } catch (const InputError& e) {
          EXPECT_NE(std::string(e.what()).find(dir.string()), std::string::npos)
              << "the error must name the file: " << e.what();
          ++rejected;
        } catch (const std::exception& e) {
          ADD_FAILURE() << "unexpected exception: " << e.what();
        }
      }
    }
  }
  // The damage must be real enough to be rejected often, and mild enough to
  // leave loadable files sometimes; otherwise the test checks nothing.
  EXPECT_GT(rejected, 100);
  EXPECT_GT(loaded, 50);
}

}  // namespace
}  // namespace llmcal::tasks
