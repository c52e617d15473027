#include "fetch/data_fetch.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "common/error.h"
#include "common/sha256.h"
#include "common/unique_fd.h"
#include "data/file_check.h"
#include "fetch/archive.h"
#include "fetch/url.h"

namespace llmcal::fetch {

namespace {

namespace fs = std::filesystem;
using data::ManifestFile;

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

// Whether `file` is in `dir` as the manifest says, so that nothing is
// fetched: what `data verify` calls intact (data::CheckFile: size and
// SHA-256); an unpinned file must also match the git blob when the manifest
// has one (without one it has nothing to differ from).
bool AlreadyThere(const ManifestFile& file, const fs::path& dir) {
  switch (data::CheckFile(file, dir).state) {
    case data::FileState::kIntact:
      return true;
    case data::FileState::kUnpinned:
      return file.git_blob_sha1.empty() || GitBlobSha1OfFile(dir / file.path) == file.git_blob_sha1;
    case data::FileState::kMissing:
    case data::FileState::kChanged:
    case data::FileState::kNotFetched:
      return false;
  }
  return false;
}

// Checks `part` (a downloaded or extracted file) against the manifest and
// moves it to `dest`. Throws FetchError naming dest and both digests on a
// mismatch, after removing `part`.
FetchedFile Commit(const ManifestFile& file, const fs::path& part, const fs::path& dest,
                   std::string_view source) {
  if (file.pinned())
    return {&file, FetchOutcome::kFetched, MoveVerified(part, dest, file.sha256, source)};
  if (!file.git_blob_sha1.empty()) {
    const std::string blob = GitBlobSha1OfFile(part);
    if (blob != file.git_blob_sha1) {
      std::error_code ec;
      fs::remove(part, ec);
      throw FetchError(fmt::format(
          "{}: git blob mismatch: expected {} (the manifest's git_blob_sha1), got {} from {}; "
          "nothing was put in place",
          dest.string(), file.git_blob_sha1, blob, source));
    }
    return {&file, FetchOutcome::kFetched, MoveVerified(part, dest, "", source)};
  }
  return {&file, FetchOutcome::kUnverified, MoveVerified(part, dest, "", source)};
}

// The name an archive is kept under while its members are taken out: the
// URL's last path segment, or "archive".
std::string ArchiveName(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  const std::size_t slash = path.rfind('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return name.empty() || name == "." || name == ".." ? "archive" : name;
}

// The entries of one URL: a file, or the members wanted of one archive.
struct Source {
  std::string url;  // as the request goes out (endpoint applied)
  std::vector<const ManifestFile*> files;
};

class DataFetcher {
 public:
  DataFetcher(const fs::path& dir, const DataFetchOptions& options)
      : dir_(dir), options_(options) {}

  void FetchDirect(const ManifestFile& file, const std::string& url) {
    const fs::path dest = dir_ / file.path;
    DownloadOptions download = options_.download;
    download.label = file.path;
    if (file.pinned()) {
      const DownloadResult result = Download(url, dest, file.sha256, download);
      Done({&file, FetchOutcome::kFetched, result.sha256});
      return;
    }
    // Nothing to give Download to check: the bytes wait in the staging
    // folder until the git blob (if any) is checked.
    const fs::path staged = Staging() / fs::path(file.path).filename();
    Download(url, staged, "", download);
    fs::create_directories(dest.parent_path());
    Done(Commit(file, staged, dest, url));
  }

  void FetchArchive(const Source& source) {
    const fs::path archive = Staging() / ArchiveName(source.url);
    DownloadOptions download = options_.download;
    download.label = ArchiveName(source.url);
    Download(source.url, archive, "", download);
    std::map<std::string, fs::path> wanted;
    for (const ManifestFile* file : source.files) {
      const fs::path dest = dir_ / file->path;
      fs::create_directories(dest.parent_path());
      wanted[file->archive_member] = PartialPath(dest);
    }
    ExtractMembers(archive, wanted);
    for (const ManifestFile* file : source.files) {
      const fs::path dest = dir_ / file->path;
      try {
        Done(Commit(*file, PartialPath(dest), dest,
                    fmt::format("{} in {}", file->archive_member, source.url)));
      } catch (const std::runtime_error& e) {
        Fail(*file, e.what());
      }
    }
    std::error_code ec;
    fs::remove(archive, ec);
  }

  void Done(FetchedFile fetched) { report_.files.push_back(std::move(fetched)); }
  void Fail(const ManifestFile& file, const std::string& why) {
    report_.failures.push_back(fmt::format("{}: {}", file.path, why));
  }

  // Removes the staging folder when nothing is left in it (a failed
  // download's .part stays, to be resumed).
  DataFetchReport Finish() {
    std::error_code ec;
    if (fs::is_empty(dir_ / kStagingFolder, ec))
      fs::remove(dir_ / kStagingFolder, ec);
    return std::move(report_);
  }

 private:
  fs::path Staging() const { return dir_ / kStagingFolder; }

  const fs::path& dir_;
  const DataFetchOptions& options_;
  DataFetchReport report_;
};

}  // namespace

std::string_view FetchOutcomeName(FetchOutcome outcome) {
  switch (outcome) {
    case FetchOutcome::kAlreadyThere:
      return "already there";
    case FetchOutcome::kFetched:
      return "fetched";
    case FetchOutcome::kUnverified:
      return "fetched, unverified";
  }
  return "?";
}

DataFetchReport FetchDataFiles(const std::vector<const ManifestFile*>& files, const fs::path& dir,
                               const DataFetchOptions& options) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw InputError::At(dir.string(), 0, "", "cannot create the folder: " + ec.message());
  const std::string endpoint =
      options.endpoint.empty() ? "" : CheckedEndpoint(options.endpoint, "endpoint");
  DataFetcher fetcher(dir, options);

  // Group what must be fetched by URL, so that an archive is downloaded once
  // for all its members; requests go out in manifest order.
  std::map<std::string, Source> sources;
  std::vector<std::string> order;
  for (const ManifestFile* file : files) {
    if (AlreadyThere(*file, dir)) {
      fetcher.Done({file, FetchOutcome::kAlreadyThere, file->sha256});
      continue;
    }
    if (file->url.empty()) {
      fetcher.Fail(*file, "missing or changed, and the manifest gives no URL to fetch it from");
      continue;
    }
    const std::string url = endpoint.empty() ? file->url : WithEndpoint(file->url, endpoint);
    const std::string key = file->archive_member.empty() ? url + "\n" + file->path : url;
    if (!sources.contains(key))
      order.push_back(key);
    Source& source = sources[key];
    source.url = url;
    source.files.push_back(file);
  }
  for (const std::string& key : order) {
    const Source& source = sources.at(key);
    try {
      if (source.files.front()->archive_member.empty())
        fetcher.FetchDirect(*source.files.front(), source.url);
      else
        fetcher.FetchArchive(source);
    } catch (const std::runtime_error& e) {  // FetchError, HttpError, InputError
      for (const ManifestFile* file : source.files)
        fetcher.Fail(*file, e.what());
    }
  }
  return fetcher.Finish();
}

std::string GitBlobSha1OfFile(const fs::path& path) {
  const UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!fd.valid() || ec) {
    throw InputError::At(path.string(), 0, "", std::string("cannot read: ") + std::strerror(errno));
  }
  std::unique_ptr<EVP_MD_CTX, DigestContextFree> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha1(), nullptr) != 1)
    throw InputError::At(path.string(), 0, "", "OpenSSL could not start a SHA-1 digest");
  const std::string header = fmt::format("blob {}", size);
  EVP_DigestUpdate(context.get(), header.data(), header.size() + 1);  // with its '\0'
  std::vector<unsigned char> block(1 << 20);
  for (;;) {
    const ssize_t n = read(fd.get(), block.data(), block.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      throw InputError::At(path.string(), 0, "",
                           std::string("read error: ") + std::strerror(errno));
    if (n == 0)
      break;
    EVP_DigestUpdate(context.get(), block.data(), static_cast<std::size_t>(n));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i)
    hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace llmcal::fetch
