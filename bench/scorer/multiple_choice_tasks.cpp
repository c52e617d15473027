// Writes `llmcal prompts --format jsonl` items as the binary task file of
// llama.cpp's `llama-perplexity --multiple-choice`, so llama.cpp's own
// multiple-choice scorer can evaluate the very prompts `llmcal score` does.
//
// llama-perplexity scores tokenize(question + " " + answer) for each answer
// and counts an item correct when the gold answer has the highest mean
// log-prob over the tokens after those all answers share. A prompt maps onto
// that only when every continuation is " " + text and the context does not
// end in whitespace; any other item is refused with its line number. The
// file: uint32 n, uint32 offset of each task, then per task the question,
// uint32 n_answers, the answers, int32 labels (1 = gold), and an empty
// second answer set (llama.cpp's mc2), strings as uint32 length + bytes.
//
// Usage: multiple_choice_tasks prompts.jsonl tasks.bin
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

void PutU32(std::string& out, std::uint32_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void PutString(std::string& out, const std::string& s) {
  PutU32(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}

// One task's bytes; throws std::runtime_error when the item does not fit the format.
std::string Task(const nlohmann::json& item) {
  const std::string context = item.at("context").get<std::string>();
  if (context.empty() || std::isspace(static_cast<unsigned char>(context.back())))
    throw std::runtime_error("the context ends in whitespace");
  std::string out;
  PutString(out, context);
  const auto& conts = item.at("continuations");
  PutU32(out, static_cast<std::uint32_t>(conts.size()));
  for (const auto& c : conts) {
    const std::string text = c.get<std::string>();
    if (text.size() < 2 || text[0] != ' ')
      throw std::runtime_error("a continuation is not \" \" + text");
    PutString(out, text.substr(1));
  }
  const int gold = item.at("gold").get<int>();
  for (std::size_t k = 0; k < conts.size(); ++k) {
    const std::int32_t label = static_cast<int>(k) == gold ? 1 : 0;
    out.append(reinterpret_cast<const char*>(&label), sizeof label);
  }
  PutU32(out, 0);  // mc2: no answers
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: multiple_choice_tasks prompts.jsonl tasks.bin\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read\n", argv[1]);
    return 1;
  }
  std::vector<std::string> tasks;
  std::size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    try {
      tasks.push_back(Task(nlohmann::json::parse(line)));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s:%zu: llama-perplexity cannot take this item: %s\n", argv[1], line_no,
                   e.what());
      return 1;
    }
  }
  std::string out;
  PutU32(out, static_cast<std::uint32_t>(tasks.size()));
  std::size_t offset = sizeof(std::uint32_t) * (1 + tasks.size());
  for (const auto& t : tasks) {
    PutU32(out, static_cast<std::uint32_t>(offset));
    offset += t.size();
  }
  for (const auto& t : tasks)
    out += t;
  std::ofstream(argv[2], std::ios::binary) << out;
  return 0;
}
