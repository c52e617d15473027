#include "fake_scorer.h"

#include <fstream>
#include <limits>
#include <memory>
#include <string_view>

#include "common/error.h"

namespace llmcal::testing {

namespace {

// FNV-1a over the bytes, then one SplitMix64 finalisation.
std::uint64_t Hash(std::string_view a, std::string_view b, std::uint64_t position) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::string_view part : {a, std::string_view("\x1f"), b}) {
    for (char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
  }
  h ^= position + 0x9e3779b97f4a7c15ULL;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

// The scale a model file asks for: "scale=A" after the GGUF magic, else 1.
double ScaleOf(const std::string& model_path) {
  std::ifstream in(model_path, std::ios::binary);
  std::string head;
  std::getline(in, head);
  if (head.starts_with("GGUF"))
    head.erase(0, 4);
  return head.starts_with("scale=") ? std::stod(head.substr(6)) : 1.0;
}

}  // namespace

FakeScorer::FakeScorer(int fail_at_call, std::vector<std::vector<std::string>>* calls, double scale)
    : fail_at_call_(fail_at_call), scale_(scale), calls_log_(calls) {
  info_.architecture = "fake";
  info_.description = "deterministic fake scorer";
  info_.n_params = 42;
  info_.n_vocab = 256;
  info_.train_context = 4096;
  info_.window = 4096;
}

engine::RequestScore FakeScore(const engine::ScoreRequest& request, double scale) {
  engine::RequestScore score;
  for (std::size_t k = 0; k < request.continuations.size(); ++k) {
    const std::string& text = request.continuations[k];
    if (text.find("FAIL") != std::string::npos) {
      score.continuations.clear();
      score.error = "continuation " + std::to_string(k) + " asks the fake scorer to fail";
      return score;
    }
    engine::ContinuationScore& c = score.continuations.emplace_back();
    c.is_greedy = true;
    c.min = 0;
    for (std::size_t t = 0; t < text.size(); ++t) {
      c.tokens.push_back(static_cast<unsigned char>(text[t]));
      const float lp =
          text.find("NAN") != std::string::npos
              ? std::numeric_limits<float>::quiet_NaN()
              : static_cast<float>(scale) *
                    (-0.01f - static_cast<float>(Hash(request.context, text, t) % 7990) / 1000.0f);
      c.logprobs.push_back(lp);
      c.sum += lp;
      c.min = std::min<double>(c.min, lp);
      c.is_greedy = c.is_greedy && lp > -1.0f;
    }
    c.n_bytes = static_cast<std::int64_t>(text.size());
  }
  score.truncated = request.context.size() > 4096;
  return score;
}

std::vector<engine::RequestScore> FakeScorer::Score(
    std::span<const engine::ScoreRequest> requests) {
  if (calls_++ == fail_at_call_)
    throw EngineError("the fake scorer fails as asked");
  if (calls_log_ != nullptr) {
    std::vector<std::string>& contexts = calls_log_->emplace_back();
    for (const engine::ScoreRequest& request : requests)
      contexts.push_back(request.context);
  }
  std::vector<engine::RequestScore> scores;
  for (const engine::ScoreRequest& request : requests)
    scores.push_back(FakeScore(request, scale_));
  return scores;
}

study::ScorerFactory FakeFactory::Factory() {
  return [this](const engine::EngineOptions& options) {
    opened.push_back(options.model_path);
    return study::OpenedScorer{
        std::make_unique<FakeScorer>(fail_at_call, &calls, ScaleOf(options.model_path)), {}};
  };
}

}  // namespace llmcal::testing
