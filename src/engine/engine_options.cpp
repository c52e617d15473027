#include "engine/engine_options.h"

#include <string>

#include "common/error.h"

namespace llmcal::engine {

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
