// Process-wide llama.cpp set-up: back-end initialisation, log routing and RPC
// server registration. (The check on a model file before llama.cpp reads it:
// model_file.h.)
#pragma once

#include <llama.h>

#include <string>
#include <vector>

namespace llmcal::engine {

// Initialises llama.cpp once per process and routes its log: everything to
// stderr when `verbose`; otherwise errors are kept for TakeLlamaErrors().
// Safe to call repeatedly.
void InitLlamaRuntime(bool verbose);

// Returns the error lines llama.cpp logged since the last call, joined, to
// explain a failure, and forgets them.
std::string TakeLlamaErrors();

// Returns the string metadata value `key` of `model`, or "" when absent.
std::string MetaString(const llama_model* model, const char* key);

// Registers llama.cpp rpc-server endpoints ("host:port") as devices. Each is
// first probed in a child process, because llama.cpp aborts the process on an
// unreachable or foreign server; such a server is an EngineError here.
void RegisterRpcServers(const std::vector<std::string>& endpoints);

}  // namespace llmcal::engine
