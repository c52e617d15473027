#include "scoring_fixtures.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "support/test_data.h"

namespace llmcal::testing {

std::string EngineTestDataFile(const std::string& name) {
  return std::string(LLMCAL_ENGINE_TEST_DATA) + "/" + name;
}

namespace {

std::vector<engine::ScoreRequest> RequestsOf(const std::string& name) {
  std::ifstream in(EngineTestDataFile(name));
  if (!in)
    throw std::runtime_error(name + " not found");
  std::vector<engine::ScoreRequest> requests;
  for (std::string line; std::getline(in, line);) {
    const auto doc = nlohmann::json::parse(line);
    requests.push_back({doc.at("context").get<std::string>(),
                        doc.at("continuations").get<std::vector<std::string>>()});
  }
  return requests;
}

}  // namespace

std::vector<engine::ScoreRequest> HandWrittenRequests() {
  return RequestsOf("scoring_requests.jsonl");
}

std::vector<engine::ScoreRequest> SharedPrefixRequests() {
  return RequestsOf("shared_prefix_requests.jsonl");
}

std::vector<engine::ScoreRequest> HellaSwagRequests(std::size_t n) {
  std::ifstream in(TestDataDir() / "hellaswag" / "hellaswag_val_full.txt");
  std::vector<engine::ScoreRequest> requests;
  std::string line;
  while (requests.size() < n && std::getline(in, line)) {
    engine::ScoreRequest r;
    r.context = line;
    std::getline(in, line);  // gold label
    for (int k = 0; k < 4 && std::getline(in, line); ++k)
      r.continuations.push_back(" " + line);
    requests.push_back(std::move(r));
  }
  return requests;
}

std::vector<TestModel> EngineTestModels() {
  std::vector<TestModel> models = {
      {"stories260K", (TestDataDir() / "models" / "stories260K.gguf").string()}};
  for (const char* arch : {"llama-spm", "llama-bpe", "qwen2", "gemma", "olmo"}) {
    std::string name = std::string("synthetic_") + arch;
    std::replace(name.begin(), name.end(), '-', '_');
    const double tolerance = std::string(arch) == "gemma" ? 5e-3 : 1e-4;
    models.push_back(
        {name, std::string(LLMCAL_TEST_MODEL_DIR) + "/" + arch + "-tiny-f32.gguf", tolerance});
  }
  return models;
}

TestModel FindTestModel(const std::string& name) {
  for (const TestModel& model : EngineTestModels()) {
    if (model.name == name)
      return model;
  }
  throw std::runtime_error("no test model named " + name);
}

}  // namespace llmcal::testing
