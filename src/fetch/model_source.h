// Where a model named on the command line or in a study file comes from:
// a local GGUF file, or a file on the Hugging Face hub
// (hf:OWNER/REPO/PATH.gguf[@REVISION], hub.h) fetched into the cache. The
// one place a model argument becomes a file: `run`, `study`, `demo` and
// `score` all go through LocateModel, and a store's provenance records what
// it returns (the reference for a hub file, the path for a local one).
//
//   LocatedModel model = LocateModel("hf:ggml-org/models/tinyllamas/stories260K.gguf", hub);
//   engine_options.model_path = model.file.string();
#pragma once

#include <filesystem>
#include <string>

#include "fetch/hub.h"

namespace llmcal::fetch {

struct LocatedModel {
  std::filesystem::path file;  // the GGUF file to load (a split model's first part)
  std::string reference;       // "hf:OWNER/REPO/PATH@REVISION"; empty for a local file
};

// A local path is returned as it is (its existence is the loader's to
// check); an hf: reference is fetched unless its files are in the cache.
// Throws InputError for a malformed reference, and as FetchHubFile.
LocatedModel LocateModel(const std::filesystem::path& path_or_reference, const HubSettings& hub);

// The name a model file suggests (a file's stem, a reference's file stem):
// "hf:o/r/x/stories260K.gguf@main" -> "stories260K".
std::string ModelFileStem(const std::filesystem::path& path_or_reference);

}  // namespace llmcal::fetch
