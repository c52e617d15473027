#include "fetch/download.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

#include "common/sha256.h"
#include "common/unique_fd.h"
#include "fetch/internal/curl_handles.h"

namespace llmcal::fetch {

namespace {

namespace fs = std::filesystem;

InputError FileError(const fs::path& path, const std::string& what) {
  return InputError::At(path.string(), 0, "", what);
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::optional<std::uint64_t> ParseUnsigned(std::string_view digits) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty())
    return std::nullopt;
  return value;
}

// The size of `path`, or 0 when it does not exist.
std::uint64_t SizeOrZero(const fs::path& path) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::uint64_t>(size);
}

// Processes downloading into one folder take turns: an exclusive flock on
// the folder itself, released by the operating system however its holder
// ends, so a killed download never blocks the next.
class FolderLock {
 public:
  FolderLock(const fs::path& folder, bool announce) {
    fd_ = UniqueFd(open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd_.valid())
      throw FileError(folder, std::string("cannot open the folder: ") + std::strerror(errno));
    if (flock(fd_.get(), LOCK_EX | LOCK_NB) == 0)
      return;
    if (announce) {
      fmt::print(stderr, "llmcal: waiting for another llmcal downloading into {}\n",
                 folder.string());
    }
    while (flock(fd_.get(), LOCK_EX) != 0) {
      if (errno != EINTR)
        throw FileError(folder, std::string("cannot lock the folder: ") + std::strerror(errno));
    }
  }

 private:
  UniqueFd fd_;
};

// "bytes START-END/TOTAL" or "bytes */TOTAL".
struct ContentRange {
  std::optional<std::uint64_t> start;
  std::optional<std::uint64_t> total;
};

ContentRange ParseContentRange(std::string_view value) {
  ContentRange range;
  value = Trim(value);
  if (!value.starts_with("bytes "))
    return range;
  value.remove_prefix(6);
  const std::size_t slash = value.find('/');
  if (slash == std::string_view::npos)
    return range;
  range.total = ParseUnsigned(value.substr(slash + 1));
  const std::string_view span = value.substr(0, slash);
  const std::size_t dash = span.find('-');
  if (dash != std::string_view::npos)
    range.start = ParseUnsigned(span.substr(0, dash));
  return range;
}

// A SHA-256 in a header value: 64 hex digits, optionally quoted or weak (W/"...").
std::optional<std::string> DigestInHeader(std::string_view value) {
  value = Trim(value);
  if (value.starts_with("W/"))
    value.remove_prefix(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  std::string digest = Lower(value);
  if (!IsSha256Hex(digest))
    return std::nullopt;
  return digest;
}

// One HTTP transfer into DEST.part: a GET, with a Range when part of the
// file is there already.
class Transfer {
 public:
  enum class Outcome { kComplete, kRangeNotSatisfiable };

  Transfer(const std::string& url, const fs::path& part, const DownloadOptions& options,
           DownloadProgress& progress)
      : url_(url), part_(part), options_(options), progress_(progress) {}

  // Runs the GET, asking for the bytes from `offset` on when it is > 0.
  // Throws as Download does.
  Outcome Run(std::uint64_t offset) {
    offset_ = offset;
    base_ = offset;
    status_ = 0;
    file_ = UniqueFd();
    write_error_ = 0;
    range_mismatch_ = false;
    stopped_ = false;
    internal::EasyHandle curl = internal::NewEasyHandle();
    char error_text[CURL_ERROR_SIZE] = {};
    internal::HeaderList headers;
    const std::string authorization = "Authorization: Bearer " + options_.bearer_token;
    if (!options_.bearer_token.empty())
      internal::AppendHeader(headers, authorization.c_str());
    const std::string range = fmt::format("{}-", offset);
    Configure(curl.get(), error_text, headers.get(), offset > 0 ? range.c_str() : nullptr);
    progress_.Started(offset, std::nullopt);
    const CURLcode code = curl_easy_perform(curl.get());
    progress_.Finished();
    if (write_error_ != 0) {
      throw FileError(part_,
                      std::string("cannot write the download: ") + std::strerror(write_error_));
    }
    if (range_mismatch_) {
      throw FetchError(
          fmt::format("{}: asked for the bytes from {} on, the server sent them "
                      "from {}",
                      url_, offset, range_.start ? *range_.start : 0));
    }
    if (code == CURLE_ABORTED_BY_CALLBACK && stopped_) {
      throw Interrupted(
          fmt::format("download of {} stopped; {} bytes kept in {}, and the next "
                      "try resumes them",
                      url_, SizeOrZero(part_), part_.string()));
    }
    if (code != CURLE_OK)
      throw FetchError(TransferFailure(curl.get(), code, error_text));
    // Statuses are checked here rather than by libcurl (CURLOPT_FAILONERROR),
    // which stops before a 416's Content-Range arrives.
    if (status_ == 416 && offset > 0)
      return Outcome::kRangeNotSatisfiable;
    if (status_ >= 400 || status_ < 200)
      throw HttpError(fmt::format("{}: HTTP {}{}", url_, status_, reason_), status_);
    if (!file_.valid())
      OpenPart(false);  // an empty body: the file is empty
    if (fsync(file_.get()) != 0 || file_.Reset() != 0)
      throw FileError(part_, std::string("cannot write the download: ") + std::strerror(errno));
    return Outcome::kComplete;
  }

  // Bytes of DEST.part that an earlier attempt left and this one kept.
  std::uint64_t kept() const { return base_; }
  // The total size a 416 answer gave ("bytes */TOTAL"), if any.
  std::optional<std::uint64_t> range_total() const { return range_.total; }
  // The digest the sha256_header carried in any response of the last transfer.
  const std::optional<std::string>& header_digest() const { return header_digest_; }

 private:
  void Configure(CURL* curl, char* error_text, curl_slist* headers, const char* range) {
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "llmcal");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(std::max<std::int64_t>(1, options_.stall_timeout.count())));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (range != nullptr)
      curl_easy_setopt(curl, CURLOPT_RANGE, range);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Transfer::OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Transfer::OnProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  }

  std::string TransferFailure(CURL* curl, CURLcode code, const char* error_text) const {
    curl_off_t connect_us = 0;
    curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connect_us);
    std::string what;
    if (code == CURLE_OPERATION_TIMEDOUT && connect_us == 0) {
      what = fmt::format("no connection within {} ms", options_.connect_timeout.count());
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      what = fmt::format("the server sent nothing for {} s (stalled)",
                         std::max<std::int64_t>(1, options_.stall_timeout.count()));
    } else {
      what = curl_easy_strerror(code);
      if (error_text[0] != '\0')
        what += fmt::format(" ({})", error_text);
    }
    const std::uint64_t kept = SizeOrZero(part_);
    if (kept > 0) {
      what += fmt::format("; the {} bytes received are kept in {}, and the next try resumes them",
                          kept, part_.string());
    }
    return fmt::format("{}: {}", url_, what);
  }

  static std::size_t OnHeader(char* data, std::size_t size, std::size_t n, void* self) {
    static_cast<Transfer*>(self)->Header(std::string_view(data, size * n));
    return size * n;
  }

  void Header(std::string_view line) {
    line = Trim(line);
    if (line.starts_with("HTTP/")) {  // a new response (after a redirect, or the first)
      const std::size_t space = line.find(' ');
      const std::string_view rest = space == std::string_view::npos ? "" : line.substr(space + 1);
      const std::size_t after_code = rest.find(' ');
      status_ = static_cast<long>(ParseUnsigned(rest.substr(0, after_code)).value_or(0));
      reason_ = after_code == std::string_view::npos
                    ? std::string()
                    : fmt::format(" {}", rest.substr(after_code + 1));
      range_ = ContentRange{};
      return;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      return;
    const std::string name = Lower(Trim(line.substr(0, colon)));
    const std::string_view value = line.substr(colon + 1);
    if (name == "content-range")
      range_ = ParseContentRange(value);
    if (!options_.sha256_header.empty() && name == Lower(options_.sha256_header)) {
      if (std::optional<std::string> digest = DigestInHeader(value))
        header_digest_ = std::move(digest);
    }
  }

  static std::size_t OnBody(char* data, std::size_t size, std::size_t n, void* self) {
    return static_cast<Transfer*>(self)->Body(data, size * n);
  }

  // Returns `n` when the bytes were written; anything else aborts the transfer.
  std::size_t Body(const char* data, std::size_t n) {
    if (status_ < 200 || status_ >= 300)
      return n;  // a redirect's or an error's own body: not the file
    if (!file_.valid()) {
      if (status_ == 206 && range_.start != offset_) {
        range_mismatch_ = true;
        return 0;
      }
      // 200 to a Range request: the server ignored it and sends the whole file.
      OpenPart(status_ == 206);
      if (!file_.valid())
        return 0;
    }
    for (std::size_t done = 0; done < n;) {
      const ssize_t wrote = write(file_.get(), data + done, n - done);
      if (wrote < 0 && errno == EINTR)
        continue;
      if (wrote <= 0) {
        write_error_ = wrote < 0 ? errno : EIO;
        return 0;
      }
      done += static_cast<std::size_t>(wrote);
    }
    return n;
  }

  // Opens DEST.part to append to what is there, or to replace it.
  void OpenPart(bool append) {
    const int mode = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
    file_ = UniqueFd(open(part_.c_str(), mode, 0644));
    if (!file_.valid()) {
      write_error_ = errno;
      return;
    }
    if (!append)
      base_ = 0;
  }

  static int OnProgress(void* self, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
    Transfer& t = *static_cast<Transfer*>(self);
    if (t.options_.stop_requested && t.options_.stop_requested()) {
      t.stopped_ = true;
      return 1;  // aborts the transfer
    }
    if (t.status_ >= 200 && t.status_ < 300 && t.file_.valid()) {
      const std::optional<std::uint64_t> whole =
          total > 0 ? std::optional(t.base_ + static_cast<std::uint64_t>(total)) : std::nullopt;
      t.progress_.Update(t.base_ + static_cast<std::uint64_t>(now), whole);
    }
    return 0;
  }

  const std::string& url_;
  const fs::path& part_;
  const DownloadOptions& options_;
  DownloadProgress& progress_;
  std::uint64_t offset_ = 0;  // bytes asked to be skipped (the Range)
  std::uint64_t base_ = 0;    // bytes in DEST.part before this response's body
  long status_ = 0;           // of the response being received
  std::string reason_;        // its reason phrase, with a leading space
  ContentRange range_;
  std::optional<std::string> header_digest_;
  UniqueFd file_;
  int write_error_ = 0;
  bool range_mismatch_ = false;
  bool stopped_ = false;
};

}  // namespace

fs::path PartialPath(const fs::path& dest) {
  fs::path part = dest;
  part += ".part";
  return part;
}

std::string MoveVerified(const fs::path& part, const fs::path& dest,
                         std::string_view expected_sha256, std::string_view source) {
  const std::string actual = Sha256OfFile(part);
  if (!expected_sha256.empty() && actual != expected_sha256) {
    std::error_code ec;
    fs::remove(part, ec);
    throw FetchError(fmt::format(
        "{}: SHA-256 mismatch: expected {} ({}), got {} from {}; nothing was put in place",
        dest.string(), expected_sha256, source.empty() ? "expected" : source, actual,
        part.string()));
  }
  {
    // The bytes reach the disk before the name does: a power cut leaves the
    // old state or the whole new file, never a renamed empty one.
    const UniqueFd fd(open(part.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid() || fsync(fd.get()) != 0)
      throw FileError(part, std::string("cannot flush to disk: ") + std::strerror(errno));
  }
  std::error_code ec;
  fs::rename(part, dest, ec);
  if (ec)
    throw FileError(dest, "cannot move the download into place: " + ec.message());
  const UniqueFd folder(open(dest.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.valid())
    fsync(folder.get());
  return actual;
}

DownloadResult Download(const std::string& url, const fs::path& dest,
                        std::string_view expected_sha256, const DownloadOptions& options) {
  const fs::path folder = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec)
    throw FileError(folder, "cannot create the folder: " + ec.message());
  const FolderLock lock(folder, options.progress != ProgressMode::kQuiet);

  DownloadResult result;
  if (fs::is_regular_file(dest, ec)) {
    if (expected_sha256.empty()) {
      result.bytes = SizeOrZero(dest);
      return result;
    }
    if (Sha256OfFile(dest) == expected_sha256) {
      result.bytes = SizeOrZero(dest);
      result.sha256 = expected_sha256;
      return result;
    }
  }

  const fs::path part = PartialPath(dest);
  DownloadProgress progress(stderr, options.progress,
                            options.label.empty() ? dest.filename().string() : options.label);
  Transfer transfer(url, part, options, progress);
  const std::uint64_t kept = SizeOrZero(part);
  const bool given = !expected_sha256.empty();
  const auto expected = [&] {
    return given ? std::string(expected_sha256) : transfer.header_digest().value_or("");
  };
  if (transfer.Run(kept) == Transfer::Outcome::kRangeNotSatisfiable) {
    // DEST.part is whole already (a download stopped before its rename), or
    // is not a beginning of this file at all: then start again. The answer's
    // total says which; a server that gives none (lighttpd) is judged by the
    // expected digest, and without one the file is fetched again.
    const std::optional<std::uint64_t> total = transfer.range_total();
    const bool whole =
        total ? *total == kept : !expected().empty() && Sha256OfFile(part) == expected();
    if (!whole) {
      fs::remove(part, ec);
      transfer.Run(0);
    }
  }
  result.downloaded = true;
  result.resumed_from = transfer.kept();
  const std::string source = given ? "expected" : "the server's " + options.sha256_header;
  result.sha256 = MoveVerified(part, dest, expected(), source);
  result.bytes = SizeOrZero(dest);
  return result;
}

}  // namespace llmcal::fetch
