#include "engine/engine_options.h"

#include <string>

#include "common/error.h"

namespace llmcal::engine {

std::string_view BosModeName(BosMode mode) {
  switch (mode) {
    case BosMode::kAuto:
      return "auto";
    case BosMode::kOn:
      return "on";
    case BosMode::kOff:
      return "off";
    case BosMode::kLmEval04:
      return "lm-eval-0.4";
  }
  return "unknown";
}

std::string_view TokenSplitName(TokenSplit split) {
  switch (split) {
    case TokenSplit::kCommonPrefix:
      return "common-prefix";
    case TokenSplit::kLmEval:
      return "lm-eval";
  }
  return "unknown";
}

std::optional<BosMode> ParseBosMode(std::string_view name) {
  for (BosMode mode : kAllBosModes) {
    if (BosModeName(mode) == name)
      return mode;
  }
  return std::nullopt;
}

std::optional<TokenSplit> ParseTokenSplit(std::string_view name) {
  for (TokenSplit split : kAllTokenSplits) {
    if (TokenSplitName(split) == name)
      return split;
  }
  return std::nullopt;
}

bool DecideBos(BosMode mode, bool adds_bos, std::string_view architecture, bool has_bos_token) {
  bool bos = false;
  switch (mode) {
    case BosMode::kAuto:
      bos = adds_bos;
      break;
    case BosMode::kOn:
      bos = true;
      break;
    case BosMode::kOff:
      bos = false;
      break;
    case BosMode::kLmEval04:
      bos = architecture.find("gemma") != std::string_view::npos;
      break;
  }
  if (bos && !has_bos_token) {
    throw InputError("--bos " + std::string(BosModeName(mode)) +
                     " asks for a BOS token, but the model's vocabulary has none");
  }
  return bos;
}

}  // namespace llmcal::engine
