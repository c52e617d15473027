#include "data/manifest.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <toml++/toml.h>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/sha256.h"

namespace llmcal::data {
namespace {

std::int64_t LineOf(const toml::node& node) {
  return static_cast<std::int64_t>(node.source().begin.line);
}

// One TOML table of the manifest, read key by key: each accessor returns the
// value or throws an InputError at the manifest, the node's line and the
// key's dotted path; Finish() refuses a key no accessor read (a typo would
// otherwise be dropped silently).
class Table {
 public:
  Table(const toml::table& table, const std::string& file, std::string path)
      : table_(table), file_(file), path_(std::move(path)) {}

  std::optional<std::string> String(const std::string& key) {
    const toml::node* node = Take(key);
    if (node == nullptr)
      return std::nullopt;
    const std::optional<std::string> value = node->value_exact<std::string>();
    if (!value)
      throw ErrorAt(*node, key, "expected a string");
    return value;
  }

  std::optional<std::int64_t> Count(const std::string& key) {
    const toml::node* node = Take(key);
    if (node == nullptr)
      return std::nullopt;
    const std::optional<std::int64_t> value = node->value_exact<std::int64_t>();
    if (!value)
      throw ErrorAt(*node, key, "expected an integer");
    if (*value < 0)
      throw ErrorAt(*node, key, fmt::format("expected a count of 0 or more, got {}", *value));
    return value;
  }

  std::optional<bool> Boolean(const std::string& key) {
    const toml::node* node = Take(key);
    if (node == nullptr)
      return std::nullopt;
    const std::optional<bool> value = node->value_exact<bool>();
    if (!value)
      throw ErrorAt(*node, key, "expected true or false");
    return value;
  }

  std::string RequiredString(const std::string& key) {
    std::optional<std::string> value = String(key);
    if (!value)
      throw Missing(key);
    if (value->empty())
      throw Error(key, "must not be empty");
    return *value;
  }

  // Marks `key` as read by the caller, who checked it.
  void Mark(const std::string& key) { read_.insert(key); }

  void Finish() const {
    for (const auto& [key, node] : table_) {
      if (!read_.contains(std::string(key.str())))
        throw ErrorAt(node, std::string(key.str()), "unknown key");
    }
  }

  // An error at `key` (at its line when present, else at the table's).
  InputError Error(const std::string& key, const std::string& what) const {
    const toml::node* node = table_.get(key);
    return node != nullptr ? ErrorAt(*node, key, what)
                           : InputError::At(file_, LineOf(table_), Path(key), what);
  }

  InputError Missing(const std::string& key) const {
    return InputError::At(file_, LineOf(table_), Path(key), "missing");
  }

  std::int64_t line() const { return LineOf(table_); }

 private:
  const toml::node* Take(const std::string& key) {
    read_.insert(key);
    return table_.get(key);
  }

  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  InputError ErrorAt(const toml::node& node, const std::string& key,
                     const std::string& what) const {
    return InputError::At(file_, LineOf(node), Path(key), what);
  }

  const toml::table& table_;
  const std::string& file_;
  std::string path_;
  std::set<std::string> read_;
};

// A path inside the data folder: relative, '/'-separated, no '.', '..' or
// empty parts (a manifest must not point a download outside its folder).
bool IsInsideFolder(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.back() == '/' ||
      path.find('\\') != std::string::npos)
    return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view part(path.data() + start, end - start);
    if (part.empty() || part == "." || part == "..")
      return false;
    start = end + 1;
  }
  return true;
}

bool IsGitBlobSha1(const std::string& text) {
  return text.size() == 40 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

ManifestFile ReadFile(Table& t) {
  ManifestFile f;
  f.line = t.line();
  f.path = t.RequiredString("path");
  if (!IsInsideFolder(f.path))
    throw t.Error("path",
                  fmt::format("'{}' is not a relative path inside the data folder", f.path));
  f.task = t.RequiredString("task");
  f.split = t.String("split").value_or("");
  if (!f.split.empty() && f.split != "test" && f.split != "validation" && f.split != "dev")
    throw t.Error("split", fmt::format("unknown split '{}' (test, validation, dev)", f.split));
  f.items = t.Count("items");
  f.format = t.RequiredString("format");
  if (const std::optional<std::int64_t> bytes = t.Count("bytes"))
    f.bytes = static_cast<std::uint64_t>(*bytes);
  if (const std::optional<std::string> sha256 = t.String("sha256")) {
    if (!IsSha256Hex(*sha256))
      throw t.Error("sha256", "expected 64 lowercase hex digits");
    f.sha256 = *sha256;
  }
  f.licence = t.RequiredString("licence");
  f.licence_file = t.String("licence_file").value_or("");
  if (!f.licence_file.empty() && !IsInsideFolder(f.licence_file))
    throw t.Error("licence_file", fmt::format("'{}' is not a relative path inside the data folder",
                                              f.licence_file));
  f.source = t.RequiredString("source");
  f.url = t.String("url").value_or("");
  if (!f.url.empty() && f.url.find("://") == std::string::npos)
    throw t.Error("url", fmt::format("'{}' is not a URL", f.url));
  f.archive_member = t.String("archive_member").value_or("");
  if (!f.archive_member.empty() && f.url.empty())
    throw t.Error("archive_member", "needs a url (the archive it is a member of)");
  if (const std::optional<std::string> blob = t.String("git_blob_sha1")) {
    if (!IsGitBlobSha1(*blob))
      throw t.Error("git_blob_sha1", "expected 40 lowercase hex digits");
    f.git_blob_sha1 = *blob;
  }
  const std::optional<bool> shipped = t.Boolean("shipped");
  if (!shipped)
    throw t.Missing("shipped");
  f.shipped = *shipped;
  if (f.shipped && (f.sha256.empty() || !f.bytes))
    throw t.Error(f.sha256.empty() ? "sha256" : "bytes", "required for a shipped file");
  if (!f.shipped && f.url.empty())
    throw t.Missing("url");
  if (f.sha256.empty() != !f.bytes)  // name the one given
    throw t.Error(f.sha256.empty() ? "bytes" : "sha256", "sha256 and bytes go together");
  t.Finish();
  return f;
}

}  // namespace

Manifest ParseManifest(std::string_view text, const std::string& file_name) {
  toml::table document;
  try {
    document = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    throw InputError::At(file_name, static_cast<std::int64_t>(e.source().begin.line), "",
                         std::string(e.description()));
  }
  Manifest manifest;
  manifest.file = file_name;
  Table root(document, manifest.file, "");
  const std::optional<std::int64_t> schema = root.Count("schema");
  if (!schema)
    throw root.Missing("schema");
  if (*schema != kManifestSchema)
    throw root.Error("schema",
                     fmt::format("this llmcal reads schema {}, not {}", kManifestSchema, *schema));
  const toml::node* files = document.get("file");
  const toml::array* array = files != nullptr ? files->as_array() : nullptr;
  if (files != nullptr && (array == nullptr || !array->is_array_of_tables()))
    throw root.Error("file", "expected [[file]] tables");
  root.Mark("file");  // its type was checked above
  root.Finish();
  std::set<std::string> paths;
  for (std::size_t i = 0; array != nullptr && i < array->size(); ++i) {
    Table t(*(*array)[i].as_table(), manifest.file, fmt::format("file[{}]", i));
    ManifestFile entry = ReadFile(t);
    if (!paths.insert(entry.path).second)
      throw t.Error("path", fmt::format("'{}' is listed twice", entry.path));
    manifest.files.push_back(std::move(entry));
  }
  if (manifest.files.empty())
    throw InputError::At(manifest.file, 0, "file", "no [[file]] tables");
  return manifest;
}

Manifest ReadManifest(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (!in)
    throw InputError::At(path.string(), 0, "", "cannot read the data manifest");
  text << in.rdbuf();
  return ParseManifest(text.str(), path.string());
}

std::vector<const ManifestFile*> SelectTasks(const Manifest& manifest,
                                             const std::vector<std::string>& tasks) {
  std::vector<const ManifestFile*> selected;
  std::set<std::string> known;
  for (const ManifestFile& f : manifest.files)
    known.insert(f.task);
  for (const std::string& task : tasks) {
    if (!known.contains(task))
      throw InputError::At(
          manifest.file, 0, "",
          fmt::format("no task '{}' (the manifest has: {})", task, fmt::join(known, ", ")));
  }
  const std::set<std::string> wanted(tasks.begin(), tasks.end());
  for (const ManifestFile& f : manifest.files) {
    if (wanted.empty() || wanted.contains(f.task))
      selected.push_back(&f);
  }
  return selected;
}

}  // namespace llmcal::data
