#include "cli/engine_flags.h"

#include <string>

#include "cli/enum_names.h"

namespace llmcal::cli {

void AddEngineFlags(CLI::App& cmd, engine::EngineOptions& options) {
  cmd.add_option("--model,-m", options.model_path,
                 "GGUF model: a file, or hf:OWNER/REPO/PATH.gguf[@REVISION] fetched into the cache")
      ->required();
  AddEngineSettingFlags(cmd, options);
}

void AddEngineSettingFlags(CLI::App& cmd, engine::EngineOptions& options) {
  cmd.add_option("--threads,-t", options.threads, "CPU threads (0 = all cores)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--workers", options.workers,
                 "llama contexts decoding in parallel, the threads split among them "
                 "(0 = one per thread for models under 100M parameters on CPU, else 1)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--batch-size,-b", options.batch_size,
                 "tokens packed into one decode (0 = 256 for models under 100M parameters "
                 "on CPU, else 512)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  cmd.add_option("--ctx-size,-c", options.context_size,
                 "window contexts are cut to (0 = the model's training context)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--gpu-layers,--ngl", options.gpu_layers,
                 "layers to offload to GPU or RPC devices (-1 = all)")
      ->capture_default_str();
  cmd.add_option("--rpc", options.rpc_servers,
                 "llama.cpp rpc-server endpoints host:port,... to spread the model over")
      ->delimiter(',');
  cmd.add_option("--flash-attn", options.flash_attention,
                 "flash attention: on, off, or auto (on when layers run on a GPU)")
      ->capture_default_str()
      ->check(CLI::IsMember({"on", "off", "auto"}));
  cmd.add_option_function<std::string>(
         "--bos",
         [&options](const std::string& name) { options.bos = *engine::ParseBosMode(name); },
         "BOS token before every context (auto: as the GGUF metadata says; lm-eval-0.4: off "
         "except for Gemma models, as lm-evaluation-harness v0.4.2-v0.4.9)")
      ->check(CLI::IsMember(EnumNames(engine::kAllBosModes, engine::BosModeName)))
      ->default_str(std::string(engine::BosModeName(options.bos)));
  cmd.add_option_function<std::string>(
         "--split",
         [&options](const std::string& name) { options.split = *engine::ParseTokenSplit(name); },
         "where continuation tokens start when a token merges across the context boundary "
         "(lm-eval: whole[len(ctx):] after ctx, as lm-evaluation-harness)")
      ->check(CLI::IsMember(EnumNames(engine::kAllTokenSplits, engine::TokenSplitName)))
      ->default_str(std::string(engine::TokenSplitName(options.split)));
  cmd.add_flag("--verbose", options.verbose, "show llama.cpp's log");
}

}  // namespace llmcal::cli
