// Requests and models the engine suites run over.
#pragma once

#include <string>
#include <vector>

#include "engine/scorer.h"

namespace llmcal::testing {

// The hand-written cases of tests/engine/data/scoring_requests.jsonl.
std::vector<engine::ScoreRequest> HandWrittenRequests();

// The first `n` HellaSwag items of the shared fixture, as continuation requests.
std::vector<engine::ScoreRequest> HellaSwagRequests(std::size_t n);

// A model the engine is tested on.
struct TestModel {
  std::string name;  // for test names: letters, digits, underscores
  std::string path;
};

// stories260K (a real trained model) and every synthetic architecture.
std::vector<TestModel> EngineTestModels();

}  // namespace llmcal::testing
