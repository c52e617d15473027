#include "store/provenance.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>

namespace llmcal::store {

namespace {

template <typename T>
void Compare(std::vector<std::string>& out, std::string_view field, const T& a, const T& b,
             Sides sides) {
  if (a != b)
    out.push_back(fmt::format("{}: {} {}, {} {}", field, a, sides.a, b, sides.b));
}

std::string FileName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

std::vector<std::string> FileDifferences(const FileFingerprint& a, const FileFingerprint& b,
                                         Sides sides) {
  std::vector<std::string> out;
  Compare(out, "size", a.size, b.size, sides);
  Compare(out, "sha256", a.sha256, b.sha256, sides);
  return out;
}

std::vector<std::string> DetailDifferences(const std::optional<ModelDetails>& a,
                                           const std::optional<ModelDetails>& b, Sides sides) {
  std::vector<std::string> out;
  if (!a || !b)
    return out;
  Compare(out, "architecture", a->architecture, b->architecture, sides);
  Compare(out, "n_params", a->n_params, b->n_params, sides);
  Compare(out, "description", a->description, b->description, sides);
  return out;
}

std::vector<std::string> TaskDifferences(const TaskRecord& a, const TaskRecord& b, Sides sides) {
  std::vector<std::string> out;
  Compare(out, "item_count", a.item_count, b.item_count, sides);
  Compare(out, "load_options", a.load_options, b.load_options, sides);
  Compare(out, "number of files", a.files.size(), b.files.size(), sides);
  for (std::size_t i = 0; i < std::min(a.files.size(), b.files.size()); ++i) {
    const std::string field = fmt::format("file {} ({})", i + 1, FileName(b.files[i].path));
    Compare(out, field + " size", a.files[i].size, b.files[i].size, sides);
    Compare(out, field + " sha256", a.files[i].sha256, b.files[i].sha256, sides);
  }
  return out;
}

std::vector<std::string> SettingsDifferences(const RunSettings& a, const RunSettings& b,
                                             Sides sides) {
  std::vector<std::string> out;
  Compare(out, "template_version", a.template_version, b.template_version, sides);
  Compare(out, "bos_mode", a.bos_mode, b.bos_mode, sides);
  Compare(out, "token_split", a.token_split, b.token_split, sides);
  Compare(out, "ctx_size", a.ctx_size, b.ctx_size, sides);
  Compare(out, "num_fewshot", a.num_fewshot, b.num_fewshot, sides);
  if (a.num_fewshot == b.num_fewshot)  // else the files differ by necessity
    Compare(out, "few-shot files (SHA-256)", a.fewshot_sha256, b.fewshot_sha256, sides);
  return out;
}

std::vector<std::string> EffectiveDifferences(const std::optional<RunEffective>& a,
                                              const std::optional<RunEffective>& b, Sides sides) {
  std::vector<std::string> out;
  if (!a || !b)
    return out;
  Compare(out, "window", a->window, b->window, sides);
  Compare(out, "bos", a->bos, b->bos, sides);
  return out;
}

std::string JoinDifferences(const std::vector<std::string>& lines) {
  return fmt::format("{}", fmt::join(lines, "; "));
}

}  // namespace llmcal::store
