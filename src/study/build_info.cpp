#include "study/build_info.h"

namespace llmcal::study {

std::string_view LlmcalVersion() {
  return LLMCAL_VERSION;
}

std::string_view LlamaCppVersion() {
  return LLMCAL_LLAMA_VERSION;
}

}  // namespace llmcal::study
