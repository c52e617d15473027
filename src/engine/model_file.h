// The one check that a file is a GGUF model: a readable regular file that
// starts with the GGUF magic. Cheap (it reads four bytes), so commands make
// it before anything exists for the model: `run` and `study` before the
// store is created or opened, the llama.cpp scorer before llama.cpp reads
// the file. Passing it does not prove llama.cpp can load the model.
//
//   if (const std::string problem = engine::ModelFileProblem(path); !problem.empty())
//     throw InputError(fmt::format("model '{}' ({}): {}", name, path.string(), problem));
#pragma once

#include <filesystem>
#include <string>

namespace llmcal::engine {

// Returns "" when `path` is a readable regular file that starts with the
// GGUF magic; otherwise why it is not a model file, without the path:
// "no such model file", "not a regular file", "cannot read: REASON" or
// "not a GGUF file (it does not start with the GGUF magic)".
std::string ModelFileProblem(const std::filesystem::path& path);

// Throws InputError "PATH: PROBLEM" unless ModelFileProblem(path) is "".
void CheckModelFile(const std::filesystem::path& path);

}  // namespace llmcal::engine
