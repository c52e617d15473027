// Command-line flags shared by every sub-command that runs a model.
#pragma once

#include <CLI/CLI.hpp>

#include "engine/engine_options.h"

namespace llmcal::cli {

// Adds --model (one GGUF file) and every flag of AddEngineSettingFlags to
// `cmd`, bound to `options`. REQUIRES: options outlives cmd.
void AddEngineFlags(CLI::App& cmd, engine::EngineOptions& options);

// Adds the engine settings without the model path (--threads, --workers,
// --batch-size, --ctx-size, --gpu-layers, --rpc, --flash-attn, --bos, --split,
// --prefix-cache, --verbose; each as settings/settings.h declares it):
// for commands that name their models otherwise (`llmcal run --model NAME=PATH`).
// REQUIRES: options outlives cmd.
void AddEngineSettingFlags(CLI::App& cmd, engine::EngineOptions& options);

}  // namespace llmcal::cli
