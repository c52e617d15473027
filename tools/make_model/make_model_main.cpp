// llmcal-make-model: writes a synthetic (random-weight) GGUF model with a real
// tokenizer, for tests and benchmarks. See docs/make_model.md.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "common/error.h"
#include "synthetic_model.h"

namespace {

void PrintChoices(const char* title, const std::vector<llmcal::synthetic::Choice>& choices) {
  fmt::print("{}:\n", title);
  for (const auto& c : choices) {
    fmt::print("  {:<14} {}\n", c.name, c.description);
  }
}

}  // namespace

int main(int argc, char** argv) {
  namespace synthetic = llmcal::synthetic;
  CLI::App app{"llmcal-make-model: write a random-weight GGUF model with a real tokenizer"};
  synthetic::SyntheticModelSpec spec;
  std::string out;
  std::string vocab_dir = synthetic::DefaultVocabDir().string();
  bool list = false;
  app.add_flag("--list", list, "print the architectures, presets and types, then exit");
  app.add_option("--arch", spec.arch, "architecture and tokenizer (see --list)")
      ->capture_default_str();
  app.add_option("--preset", spec.preset, "model shape (see --list)")->capture_default_str();
  app.add_option("--type", spec.type, "weight type: f32, f16 or q8_0")->capture_default_str();
  app.add_option("--seed", spec.seed, "random seed; the same spec gives the same bytes")
      ->capture_default_str();
  app.add_option("--out", out, "the GGUF file to write");
  app.add_option("--vocab-dir", vocab_dir, "llama.cpp's models/ folder (ggml-vocab-*.gguf)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
    if (list) {
      PrintChoices("architectures (--arch)", synthetic::Architectures());
      PrintChoices("presets (--preset)", synthetic::Presets());
      PrintChoices("types (--type)", synthetic::Types());
      return llmcal::kExitOk;
    }
    if (out.empty()) {
      throw CLI::RequiredError("--out");
    }
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? llmcal::kExitOk : llmcal::kExitUsage;
  }
  try {
    synthetic::WriteSyntheticModel(spec, out, vocab_dir);
  } catch (const llmcal::InputError& e) {
    fmt::print(stderr, "llmcal-make-model: error: {}\n", e.what());
    return llmcal::kExitInputError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "llmcal-make-model: error: {}\n", e.what());
    return llmcal::kExitEngineError;
  }
  return llmcal::kExitOk;
}
