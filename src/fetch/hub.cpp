#include "fetch/hub.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <regex>

#include "common/error.h"
#include "fetch/url.h"

namespace llmcal::fetch {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kReferenceForm = "hf:OWNER/REPO/PATH.gguf[@REVISION]";

InputError BadReference(std::string_view reference, std::string_view what) {
  return InputError(fmt::format("'{}': {} (expected {})", reference, what, kReferenceForm));
}

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// An owner or repository name.
bool IsName(std::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         std::all_of(name.begin(), name.end(), IsNameCharacter);
}

// "/"-separated segments, none empty, ".", ".." or holding a backslash or a
// control character, so a reference never leaves its cache folder.
bool IsSegmentedPath(std::string_view path) {
  if (path.empty())
    return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..")
      return false;
    for (const char c : segment) {
      if (c == '\\' || static_cast<unsigned char>(c) < 0x20)
        return false;
    }
    start = slash + 1;
  }
  return true;
}

std::string Getenv(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// The reference's hint for an HTTP error the hub answered.
std::string HubHint(long status, const HubFile& file, bool token_sent) {
  if (status == 401 || status == 403) {
    return token_sent ? "; the hub refused HF_TOKEN for this repository (is access granted?)"
                      : "; a gated or private repository needs HF_TOKEN set to a hub token";
  }
  if (status == 404) {
    return fmt::format("; is there a file {} in {}/{} at revision {}?", file.path, file.owner,
                       file.repo, file.revision);
  }
  return "";
}

}  // namespace

std::string HubFile::Reference() const {
  return fmt::format("{}{}/{}/{}@{}", kHubPrefix, owner, repo, path, revision);
}

bool IsHubReference(std::string_view text) {
  return text.starts_with(kHubPrefix);
}

HubFile ParseHubReference(std::string_view reference) {
  if (!IsHubReference(reference))
    throw BadReference(reference, "not an hf: reference");
  std::string_view rest = reference.substr(kHubPrefix.size());
  HubFile file;
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    file.revision = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (!IsSegmentedPath(file.revision))
      throw BadReference(reference, fmt::format("'{}' is not a revision", file.revision));
  }
  const std::size_t first = rest.find('/');
  const std::size_t second = first == std::string_view::npos ? first : rest.find('/', first + 1);
  if (second == std::string_view::npos)
    throw BadReference(reference, "no file named after OWNER/REPO/");
  file.owner = std::string(rest.substr(0, first));
  file.repo = std::string(rest.substr(first + 1, second - first - 1));
  file.path = std::string(rest.substr(second + 1));
  if (!IsName(file.owner))
    throw BadReference(reference, fmt::format("'{}' is not an owner name", file.owner));
  if (!IsName(file.repo))
    throw BadReference(reference, fmt::format("'{}' is not a repository name", file.repo));
  if (!IsSegmentedPath(file.path))
    throw BadReference(reference, fmt::format("'{}' is not a file path", file.path));
  if (!file.path.ends_with(".gguf"))
    throw BadReference(reference, fmt::format("'{}' is not a .gguf file", file.path));
  return file;
}

std::vector<HubFile> SplitParts(const HubFile& file) {
  // llama.cpp's split naming (llama_split_path): PREFIX-%05d-of-%05d.gguf.
  static const std::regex kSplit(R"(^(.*)-(\d{5})-of-(\d{5})\.gguf$)");
  std::smatch match;
  if (!std::regex_match(file.path, match, kSplit))
    return {file};
  const int index = std::stoi(match[2].str());
  const int count = std::stoi(match[3].str());
  if (count < 1 || index < 1 || index > count)
    return {file};
  std::vector<HubFile> parts;
  for (int i = 1; i <= count; ++i) {
    HubFile part = file;
    part.path = fmt::format("{}-{:05d}-of-{:05d}.gguf", match[1].str(), i, count);
    parts.push_back(std::move(part));
  }
  return parts;
}

std::string ResolveUrl(const HubFile& file, std::string_view endpoint) {
  std::string url = fmt::format("{}/{}/{}/resolve/{}", endpoint, file.owner, file.repo,
                                EncodePathSegment(file.revision));
  std::size_t start = 0;
  while (start <= file.path.size()) {
    const std::size_t slash = std::min(file.path.find('/', start), file.path.size());
    url += '/';
    url += EncodePathSegment(std::string_view(file.path).substr(start, slash - start));
    start = slash + 1;
  }
  return url;
}

fs::path CachePath(const HubFile& file, const fs::path& cache_dir) {
  return cache_dir / "hf" / file.owner / file.repo / EncodePathSegment(file.revision) /
         fs::path(file.path);
}

fs::path DefaultCacheDir() {
  if (const std::string own = Getenv("LLMCAL_CACHE"); !own.empty())
    return own;
  if (const std::string xdg = Getenv("XDG_CACHE_HOME"); !xdg.empty())
    return fs::path(xdg) / "llmcal";
  if (const std::string home = Getenv("HOME"); !home.empty())
    return fs::path(home) / ".cache" / "llmcal";
  return {};
}

HubSettings HubSettingsFromEnvironment() {
  HubSettings settings;
  if (const std::string endpoint = Getenv("HF_ENDPOINT"); !endpoint.empty())
    settings.endpoint = endpoint;
  settings.token = Getenv("HF_TOKEN");
  settings.cache_dir = DefaultCacheDir();
  settings.download.progress = ProgressModeFor(stderr, false);
  return settings;
}

fs::path FetchHubFile(const HubFile& file, const HubSettings& settings) {
  if (settings.cache_dir.empty()) {
    throw InputError(
        fmt::format("{}: no cache folder for downloaded models; set LLMCAL_CACHE "
                    "(or XDG_CACHE_HOME or HOME)",
                    file.Reference()));
  }
  const std::vector<HubFile> parts = SplitParts(file);
  std::string endpoint;  // checked only when something is downloaded
  for (const HubFile& part : parts) {
    const fs::path dest = CachePath(part, settings.cache_dir);
    std::error_code ec;
    if (fs::is_regular_file(dest, ec))
      continue;
    if (endpoint.empty())
      endpoint = CheckedEndpoint(settings.endpoint, "HF_ENDPOINT");
    DownloadOptions options = settings.download;
    options.bearer_token = settings.token;
    options.sha256_header = std::string(kHubDigestHeader);
    options.label = part.Reference();
    try {
      Download(ResolveUrl(part, endpoint), dest, "", options);
    } catch (const HttpError& e) {
      throw HttpError(e.what() + HubHint(e.status(), part, !settings.token.empty()), e.status());
    }
  }
  return CachePath(parts.front(), settings.cache_dir);
}

}  // namespace llmcal::fetch
