// Files on the Hugging Face hub, named hf:OWNER/REPO/PATH[@REVISION]
// (revision "main" when none is given), downloaded once into a local cache
// and reused from there with no request at all.
//
//   URL:   {endpoint}/{OWNER}/{REPO}/resolve/{REVISION}/{PATH}, the hub's own
//          convention; endpoint https://huggingface.co or $HF_ENDPOINT.
//   token: $HF_TOKEN, sent as "Authorization: Bearer ..." when set (gated
//          and private repositories).
//   cache: $LLMCAL_CACHE, else $XDG_CACHE_HOME/llmcal, else ~/.cache/llmcal;
//          a file lives at CACHE/hf/OWNER/REPO/REVISION/PATH, so owners,
//          repositories, revisions and files never collide.
//   split: a split GGUF (NAME-00001-of-00003.gguf, the usual form of 70B
//          models) is fetched whole, every part beside the others, and is
//          loaded from its first part, as llama.cpp expects.
// Downloads resume, show progress, and move into place only whole and, where
// the hub sends the file's SHA-256 (X-Linked-Etag, on LFS files), verified
// (download.h).
//
//   HubFile file = ParseHubReference("hf:ggml-org/models/tinyllamas/stories260K.gguf");
//   std::filesystem::path local = FetchHubFile(file, HubSettingsFromEnvironment());
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "fetch/download.h"

namespace llmcal::fetch {

inline constexpr std::string_view kHubPrefix = "hf:";
inline constexpr std::string_view kDefaultHubEndpoint = "https://huggingface.co";
// The response header in which the hub sends an LFS file's SHA-256.
inline constexpr std::string_view kHubDigestHeader = "X-Linked-Etag";

struct HubFile {
  std::string owner;
  std::string repo;
  std::string path;  // inside the repository, "/"-separated
  std::string revision = "main";

  // "hf:OWNER/REPO/PATH@REVISION", the revision always written.
  std::string Reference() const;
  bool operator==(const HubFile&) const = default;
};

// True when `text` names a hub file (starts with "hf:"), however well.
bool IsHubReference(std::string_view text);

// Parses "hf:OWNER/REPO/PATH.gguf[@REVISION]". Owner and repository are
// A-Z a-z 0-9 . _ -; the path's segments and the revision's (which may hold
// "/", as refs/pr/1) are neither empty, "." nor "..". Throws InputError
// naming the reference and what is wrong.
HubFile ParseHubReference(std::string_view reference);

// The files to fetch for `file`: every part of a split GGUF in order (part 1
// first, whichever part was named), else `file` alone.
std::vector<HubFile> SplitParts(const HubFile& file);

// "{endpoint}/{OWNER}/{REPO}/resolve/{REVISION}/{PATH}", the revision and
// every path segment percent-encoded. REQUIRES: endpoint without trailing "/".
std::string ResolveUrl(const HubFile& file, std::string_view endpoint);

// CACHE/hf/OWNER/REPO/REVISION/PATH (the revision percent-encoded, so
// "refs/pr/1" is one folder).
std::filesystem::path CachePath(const HubFile& file, const std::filesystem::path& cache_dir);

struct HubSettings {
  std::string endpoint = std::string(kDefaultHubEndpoint);  // checked when used
  std::string token;                                        // empty: none sent
  std::filesystem::path cache_dir;                          // empty: none could be found
  DownloadOptions download;  // timeouts, progress (the token and digest header are set per file)
};

// The cache folder: $LLMCAL_CACHE, else $XDG_CACHE_HOME/llmcal, else
// $HOME/.cache/llmcal (empty and unset variables skipped); empty when none is set.
std::filesystem::path DefaultCacheDir();

// HF_ENDPOINT, HF_TOKEN and DefaultCacheDir(); progress lines on stderr
// (redrawn on a terminal). Reads the environment only; never throws.
HubSettings HubSettingsFromEnvironment();

// Returns the local path of `file` (of a split model, its first part) after
// downloading every part that is not in the cache yet; parts in the cache
// are used as they are, with no request. Throws InputError when there is no
// cache folder or the endpoint is not a URL, HttpError naming the URL with a
// hint (HF_TOKEN for 401/403, the reference for 404), FetchError as Download.
std::filesystem::path FetchHubFile(const HubFile& file, const HubSettings& settings);

}  // namespace llmcal::fetch
