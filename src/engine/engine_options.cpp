#include "engine/engine_options.h"

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

}  // namespace llmcal::engine
