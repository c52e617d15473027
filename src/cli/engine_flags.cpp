#include "cli/engine_flags.h"

#include "cli/setting_flags.h"
#include "settings/settings.h"

namespace llmcal::cli {

void AddEngineFlags(CLI::App& cmd, engine::EngineOptions& options) {
  cmd.add_option("--model,-m", options.model_path,
                 "GGUF model: a file, or hf:OWNER/REPO/PATH.gguf[@REVISION] fetched into the cache")
      ->required();
  AddEngineSettingFlags(cmd, options);
}

void AddEngineSettingFlags(CLI::App& cmd, engine::EngineOptions& options) {
  AddFlag(cmd, settings::kEngineThreads, options.threads);
  AddFlag(cmd, settings::kWorkers, options.workers);
  AddFlag(cmd, settings::kBatchSize, options.batch_size);
  AddFlag(cmd, settings::kCtxSize, options.context_size);
  AddFlag(cmd, settings::kGpuLayers, options.gpu_layers);
  AddFlag(cmd, settings::kRpc, options.rpc_servers);
  AddFlag(cmd, settings::kFlashAttn, options.flash_attention);
  AddFlag(cmd, settings::kBos, options.bos, engine::kBosModeNames);
  AddFlag(cmd, settings::kSplit, options.split, engine::kTokenSplitNames);
  AddFlag(cmd, settings::kPrefixCache, options.prefix_cache, engine::kPrefixCacheNames);
  AddFlag(cmd, settings::kVerbose, options.verbose);
}

}  // namespace llmcal::cli
