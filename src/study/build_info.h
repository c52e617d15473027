// The versions a session records as provenance: llmcal's own and the
// llama.cpp it was built with (CMake passes both in).
#pragma once

#include <string_view>

namespace llmcal::study {

// e.g. "0.1.0"
std::string_view LlmcalVersion();
// e.g. "v0.5.0 (pinned)", or "user checkout /path" with LLMCAL_LLAMA_SOURCE_DIR.
std::string_view LlamaCppVersion();

}  // namespace llmcal::study
