// Command-line flags shared by every sub-command that runs a model.
#pragma once

#include <CLI/CLI.hpp>

#include "engine/engine_options.h"

namespace llmcal::cli {

// Adds --model, --threads, --batch-size, --ctx-size, --gpu-layers, --rpc and
// --verbose to `cmd`, bound to `options`. REQUIRES: options outlives cmd.
void AddEngineFlags(CLI::App& cmd, engine::EngineOptions& options);

}  // namespace llmcal::cli
