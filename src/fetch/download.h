// Downloading one file over HTTP(S) with libcurl, safely enough for a 140 GB
// model on a shared cluster:
//   - bytes go to DEST.part, never to DEST; a download that stops for any
//     reason (network, timeout, kill -9) keeps DEST.part, and the next call
//     resumes it with an HTTP Range request (a server that ignores Range
//     sends the whole file again, which replaces DEST.part);
//   - a server that cannot be reached within the connect timeout, or sends
//     nothing for the stall timeout, is an error, never a hang;
//   - the SHA-256 of the finished bytes is checked against the expected one
//     (given, or sent by the server in a header such as the hub's
//     X-Linked-Etag) before DEST.part is renamed to DEST, atomically; a
//     mismatch removes DEST.part and names the file and both digests;
//   - an HTTP error (404, 401, ...) names its status and the URL;
//   - processes that download into the same folder take turns (a lock on the
//     folder), so shards of one study sharing a cache download a model once.
//
//   DownloadOptions options;
//   options.bearer_token = token;  // Authorization: Bearer
//   DownloadResult r = Download(url, "cache/model.gguf", expected_sha256, options);
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "fetch/download_progress.h"

namespace llmcal::fetch {

// An HTTP error status (404, 403, ...) answered for a URL.
class HttpError : public FetchError {
 public:
  HttpError(const std::string& message, long status) : FetchError(message), status_(status) {}
  long status() const { return status_; }

 private:
  long status_;
};

struct DownloadOptions {
  std::string bearer_token;  // sent as "Authorization: Bearer TOKEN" when not empty
  // Time to open the connection (TCP and TLS).
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(30)};
  // A transfer receiving no byte for this long fails (libcurl counts whole
  // seconds; at least 1).
  std::chrono::seconds stall_timeout{60};
  ProgressMode progress = ProgressMode::kLines;  // on stderr
  std::string label;                             // what the progress line names; empty: DEST's name
  // A response header whose value is the file's SHA-256, checked when a
  // response of the transfer (a redirect included) carries it as 64 hex
  // digits, quoted or not; empty: none.
  std::string sha256_header;
  // Polled while bytes arrive; true stops the transfer (DEST.part kept) with
  // Interrupted. Empty: never.
  std::function<bool()> stop_requested;
};

struct DownloadResult {
  bool downloaded = false;         // false: DEST was already there and right
  std::uint64_t bytes = 0;         // DEST's size
  std::uint64_t resumed_from = 0;  // bytes of an earlier attempt that were kept
  std::string sha256;              // DEST's SHA-256
};

// Returns DEST.part, where Download writes before the rename.
std::filesystem::path PartialPath(const std::filesystem::path& dest);

// Downloads `url` to `dest` as described above, creating dest's folder.
// `expected_sha256` (64 lowercase hex digits, or empty for none) is checked
// before the rename. When `dest` exists once the folder's lock is held (a
// process that held it first has finished the file), it is kept without a
// request if no digest is expected or its digest is the expected one.
// Throws FetchError naming the URL for a failed transfer (DEST.part kept to
// resume), Interrupted when stop_requested stopped it (DEST.part kept), HttpError for an HTTP error
// status, FetchError naming DEST and both digests for a mismatch (nothing left in place),
// InputError naming a file that cannot be written.
DownloadResult Download(const std::string& url, const std::filesystem::path& dest,
                        std::string_view expected_sha256, const DownloadOptions& options);

// Moves `part` to `dest` after checking that its SHA-256 is `expected_sha256`
// (skipped when empty): flushes it to disk, then renames it atomically.
// `source` says where the bytes came from, for the error. Returns the
// digest. Throws FetchError naming `dest`, `source` and both digests on a
// mismatch, after removing `part`; InputError when a file cannot be read,
// synced or renamed.
std::string MoveVerified(const std::filesystem::path& part, const std::filesystem::path& dest,
                         std::string_view expected_sha256, std::string_view source);

}  // namespace llmcal::fetch
