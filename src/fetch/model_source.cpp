#include "fetch/model_source.h"

namespace llmcal::fetch {

LocatedModel LocateModel(const std::filesystem::path& path_or_reference, const HubSettings& hub) {
  const std::string text = path_or_reference.string();
  if (!IsHubReference(text))
    return {path_or_reference, ""};
  const HubFile file = ParseHubReference(text);
  return {FetchHubFile(file, hub), file.Reference()};
}

std::string ModelFileStem(const std::filesystem::path& path_or_reference) {
  const std::string text = path_or_reference.string();
  if (!IsHubReference(text))
    return path_or_reference.stem().string();
  const std::size_t at = text.rfind('@');
  return std::filesystem::path(text.substr(0, at)).stem().string();
}

}  // namespace llmcal::fetch
