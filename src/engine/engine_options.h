// Settings of the llama.cpp engine: where the model is and how to run it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace llmcal::engine {

struct EngineOptions {
  std::string model_path;
  int threads = 0;       // 0 = all hardware threads
  int workers = 0;       // contexts decoding in parallel; 0 = auto (see llama_scorer.h)
  int batch_size = 0;    // tokens packed into one decode; 0 = auto (see llama_scorer.h)
  int context_size = 0;  // the window contexts are cut to; 0 = the model's training window
  int gpu_layers = -1;   // layers offloaded to GPU/RPC devices; -1 = all that fit the device
  std::vector<std::string> rpc_servers;  // host:port of llama.cpp rpc-server instances
  std::string flash_attention = "auto";  // on | off | auto (= on when offloading to a GPU)
  bool verbose = false;                  // pass llama.cpp's own log through
};

}  // namespace llmcal::engine
