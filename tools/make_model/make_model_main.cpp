// llmcal-make-model: writes a synthetic (random-weight) GGUF model with a real
// tokenizer, or a logit-scaled copy of a real model, for tests, benchmarks and
// the demo. See docs/make_model.md.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "common/error.h"
#include "gguf/logit_scaled_copy.h"
#include "synthetic_model.h"

namespace {

namespace gguf = llmcal::gguf;
namespace synthetic = llmcal::synthetic;

void PrintChoices(const char* title, const std::vector<synthetic::Choice>& choices) {
  fmt::print("{}:\n", title);
  for (const auto& c : choices) {
    fmt::print("  {:<14} {}\n", c.name, c.description);
  }
}

void PrintLists() {
  PrintChoices("architectures (--arch)", synthetic::Architectures());
  PrintChoices("presets (--preset)", synthetic::Presets());
  PrintChoices("types (--type)", synthetic::Types());
  fmt::print("architectures a --from model may have (--logit-scale): {}\n",
             gguf::LogitScaleArchitectures());
}

// What the command line asked for.
struct Request {
  synthetic::SyntheticModelSpec spec;
  std::string vocab_dir = synthetic::DefaultVocabDir().string();
  std::string from;  // non-empty: write a logit-scaled copy of this model
  double logit_scale = 0;
  std::string out;
  bool list = false;
};

void AddOptions(CLI::App& app, Request& r) {
  app.add_flag("--list", r.list, "print the architectures, presets and types, then exit");
  auto* arch = app.add_option("--arch", r.spec.arch, "architecture and tokenizer (see --list)")
                   ->capture_default_str();
  auto* preset =
      app.add_option("--preset", r.spec.preset, "model shape (see --list)")->capture_default_str();
  auto* type =
      app.add_option("--type", r.spec.type, "weight type: f32, f16 or q8_0")->capture_default_str();
  auto* seed =
      app.add_option("--seed", r.spec.seed, "random seed; the same spec gives the same bytes")
          ->capture_default_str();
  auto* vocab =
      app.add_option("--vocab-dir", r.vocab_dir, "llama.cpp's models/ folder (ggml-vocab-*.gguf)")
          ->capture_default_str();
  auto* from = app.add_option("--from", r.from, "a real GGUF model to copy with scaled logits")
                   ->excludes(arch, preset, type, seed, vocab);
  auto* scale = app.add_option("--logit-scale", r.logit_scale,
                               "with --from: multiply the copy's output logits by this (> 0)")
                    ->check(CLI::Validator(
                        [](std::string& text) -> std::string {
                          char* end = nullptr;
                          const double a = std::strtod(text.c_str(), &end);
                          const bool ok =
                              end != text.c_str() && *end == '\0' && std::isfinite(a) && a > 0;
                          return ok ? "" : "must be a finite number > 0";
                        },
                        "A > 0"));
  from->needs(scale);
  scale->needs(from);
  app.add_option("--out", r.out, "the GGUF file to write");
}

int Run(const Request& r) {
  try {
    if (!r.from.empty()) {
      gguf::WriteLogitScaledCopy(r.from, r.out, r.logit_scale);
    } else {
      synthetic::WriteSyntheticModel(r.spec, r.out, r.vocab_dir);
    }
  } catch (const llmcal::InputError& e) {
    fmt::print(stderr, "llmcal-make-model: error: {}\n", e.what());
    return llmcal::kExitInputError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "llmcal-make-model: error: {}\n", e.what());
    return llmcal::kExitEngineError;
  }
  return llmcal::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "llmcal-make-model: write a random-weight GGUF model with a real tokenizer, or a copy of a "
      "real model with scaled logits"};
  Request request;
  AddOptions(app, request);
  try {
    app.parse(argc, argv);
    if (request.list) {
      PrintLists();
      return llmcal::kExitOk;
    }
    if (request.out.empty()) {
      throw CLI::RequiredError("--out");
    }
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? llmcal::kExitOk : llmcal::kExitUsage;
  }
  return Run(request);
}
