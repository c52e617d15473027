// Requests and models the engine suites run over.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/scorer.h"

namespace llmcal::testing {

// The path of a file in tests/engine/data/.
std::string EngineTestDataFile(const std::string& name);

// The hand-written cases of tests/engine/data/scoring_requests.jsonl.
std::vector<engine::ScoreRequest> HandWrittenRequests();

// The cases of tests/engine/data/shared_prefix_requests.jsonl: items that
// share a few-shot header (continuation and lettered styles), duplicates, and
// shared text that ends inside a token, interleaved so that ordering matters.
std::vector<engine::ScoreRequest> SharedPrefixRequests();

// The first `n` HellaSwag items of data/hellaswag, as continuation requests.
std::vector<engine::ScoreRequest> HellaSwagRequests(std::size_t n);

// A model the engine is tested on.
struct TestModel {
  std::string name;  // for test names: letters, digits, underscores
  std::string path;
  // Largest |batched - alone| log-prob difference allowed. 1e-4 for F32
  // models; GELU models (Gemma) get 5e-3 because ggml's CPU GELU reads an F16
  // table, so rounding differences of 1e-7 between batch layouts can move an
  // activation by one F16 step (measured up to 1.5e-3 on the tiny Gemma).
  double tolerance = 1e-4;
};

// Test names and failure messages show the model's name.
inline void PrintTo(const TestModel& model, std::ostream* os) {
  *os << model.name;
}

// stories260K (a real trained model) and every synthetic architecture.
std::vector<TestModel> EngineTestModels();

// The model of EngineTestModels() called `name`. Throws when there is none.
TestModel FindTestModel(const std::string& name);

}  // namespace llmcal::testing
