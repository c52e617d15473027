// Command-line flags shared by every sub-command that runs a model.
#pragma once

#include <CLI/CLI.hpp>

#include "engine/engine_options.h"

namespace llmcal::cli {

// Adds --model, --threads, --workers, --batch-size, --ctx-size, --gpu-layers,
// --rpc, --flash-attn, --bos, --split and --verbose to `cmd`, bound to
// `options`; the names --bos and --split accept come from the engine's own
// tables (engine_options.h). REQUIRES: options outlives cmd.
void AddEngineFlags(CLI::App& cmd, engine::EngineOptions& options);

}  // namespace llmcal::cli
