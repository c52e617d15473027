#include "store/store.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>
#include <random>

#include "store/blob_codec.h"
#include "store/schema.h"

namespace llmcal::store {

namespace {

constexpr std::string_view kRunColumns =
    "r.run_id, r.model_id, r.task_id, m.name, t.name, r.style, r.template_version, r.bos_mode, "
    "r.token_split, r.ctx_size, r.window, r.bos, r.block_items, r.created_at, r.num_fewshot, "
    "r.fewshot_sha256, r.origin "
    "FROM runs r JOIN models m ON m.model_id = r.model_id JOIN tasks t ON t.task_id = r.task_id";

// The items row is the same for a scored item (StoredItem) and an imported
// one (ImportedItem); only their choices go to different tables.
Statement PrepareItemRow(Database& db) {
  return db.Prepare(
      "INSERT INTO items (run_id, item_index, item_id, gold, subject, n_choices, truncated, error, "
      "session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
}

// Inserts the items row of `item` (a StoredItem or an ImportedItem) with
// `row`, a statement from PrepareItemRow. The error column stays NULL for an
// item that has scores.
template <typename Item>
void InsertItemRow(Statement& row, std::int64_t run_id, const Item& item, bool truncated) {
  row.Bind(1, run_id)
      .Bind(2, item.index)
      .Bind(3, item.id)
      .Bind(4, item.gold)
      .Bind(5, item.subject)
      .Bind(6, item.n_choices)
      .Bind(7, std::int64_t{truncated})
      .Bind(9, item.session_id);
  if (!item.ok())
    row.Bind(8, item.error);
  row.Run();
}

RunRecord RunFromRow(const Statement& row) {
  RunRecord run;
  run.id = row.Int(0);
  run.model_id = row.Int(1);
  run.task_id = row.Int(2);
  run.model = row.Text(3);
  run.task = row.Text(4);
  run.style = row.Text(5);
  run.settings.template_version = row.Text(6);
  run.settings.bos_mode = row.Text(7);
  run.settings.token_split = row.Text(8);
  run.settings.ctx_size = row.Int(9);
  if (!row.IsNull(10))
    run.effective = RunEffective{row.Int(10), row.Int(11) != 0};
  run.block_items = row.Int(12);
  run.created_at = row.Text(13);
  run.settings.num_fewshot = row.Int(14);
  run.settings.fewshot_sha256 = row.Text(15);
  run.origin = row.Text(16);
  return run;
}

constexpr std::string_view kModelColumns =
    "model_id, name, path, size_bytes, mtime_ns, sha256, architecture, n_params, description "
    "FROM models";

ModelRecord ModelFromRow(const Statement& row) {
  ModelRecord model;
  model.id = row.Int(0);
  model.name = row.Text(1);
  model.file.path = row.Text(2);
  model.file.size = static_cast<std::uint64_t>(row.Int(3));
  model.file.mtime_ns = row.Int(4);
  model.file.sha256 = row.Text(5);
  if (!row.IsNull(6)) {
    model.details = ModelDetails{row.Text(6), static_cast<std::uint64_t>(row.Int(7)), row.Text(8)};
  }
  return model;
}

constexpr std::string_view kSessionColumns =
    "session_id, session_key, kind, started_at, finished_at, llmcal_version, llama_version, host, "
    "threads, workers, batch_size, gpu_layers, rpc_servers, flash_attn, shard, prefix_cache "
    "FROM sessions";

SessionRecord SessionFromRow(const Statement& row) {
  SessionRecord s;
  s.id = row.Int(0);
  s.key = row.Text(1);
  s.kind = row.Text(2);
  s.started_at = row.Text(3);
  s.finished_at = row.IsNull(4) ? "" : row.Text(4);
  s.llmcal_version = row.Text(5);
  s.llama_version = row.Text(6);
  s.host = row.Text(7);
  s.threads = row.Int(8);
  s.workers = row.Int(9);
  s.batch_size = row.Int(10);
  s.gpu_layers = row.Int(11);
  s.rpc_servers = row.Text(12);
  s.flash_attn = row.Text(13);
  s.shard = row.Text(14);
  s.prefix_cache = row.Text(15);
  return s;
}

// SQLite stores a NaN as NULL; a NaN log-prob can only come from a broken model.
double RealOrNan(const Statement& row, int column) {
  return row.IsNull(column) ? std::numeric_limits<double>::quiet_NaN() : row.Real(column);
}

// Equal bits, or both NaN (whose payload SQLite does not keep).
bool SameValue(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

std::vector<std::int64_t> Indices(Statement statement) {
  std::vector<std::int64_t> indices;
  while (statement.Step())
    indices.push_back(statement.Int(0));
  return indices;
}

}  // namespace

std::string UtcTimestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string NewSessionKey() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}{:08x}{:08x}", device(), device(), device(), device());
}

bool SameContent(const StoredItem& a, const StoredItem& b) {
  if (a.index != b.index || a.id != b.id || a.gold != b.gold || a.subject != b.subject ||
      a.n_choices != b.n_choices || a.truncated != b.truncated || a.error != b.error ||
      a.choices.size() != b.choices.size()) {
    return false;
  }
  for (std::size_t k = 0; k < a.choices.size(); ++k) {
    const StoredChoice& x = a.choices[k];
    const StoredChoice& y = b.choices[k];
    if (x.tokens != y.tokens || x.n_bytes != y.n_bytes || x.n_chars != y.n_chars ||
        x.is_greedy != y.is_greedy || x.logprobs.size() != y.logprobs.size() ||
        std::memcmp(x.logprobs.data(), y.logprobs.data(), x.logprobs.size() * sizeof(float)) != 0) {
      return false;
    }
  }
  return true;
}

Store Store::Open(const std::filesystem::path& path, Database::Mode mode) {
  std::error_code ec;
  const std::filesystem::path folder = std::filesystem::absolute(path, ec).parent_path();
  if (mode == Database::kReadWrite && !std::filesystem::is_directory(folder, ec))
    throw InputError::At(path.string(), 0, "", "its folder " + folder.string() + " does not exist");
  std::unique_ptr<WriterLock> lock;
  if (mode == Database::kReadWrite)
    lock = std::make_unique<WriterLock>(path);
  Database db = OpenStoreDatabase(path, mode, lock.get());
  return Store(std::move(db), std::move(lock));
}

Store::~Store() {
  if (lock_ != nullptr)
    db_.TryLeaveWal();
}

void Store::Corrupt(const std::string& where, const std::string& what) const {
  throw InputError::At(file(), 0, "", fmt::format("the store is corrupt: {}: {}", where, what));
}

// --- Models -----------------------------------------------------------------

std::optional<ModelRecord> Store::FindModel(std::string_view name) {
  Statement s = db_.Prepare(fmt::format("SELECT {} WHERE name = ?", kModelColumns));
  s.Bind(1, name);
  if (!s.Step())
    return std::nullopt;
  return ModelFromRow(s);
}

std::int64_t Store::PutModel(const std::string& name, const FileFingerprint& file) {
  Statement s = db_.Prepare(
      "INSERT INTO models (name, path, size_bytes, mtime_ns, sha256) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET path = excluded.path, size_bytes = excluded.size_bytes, "
      "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256 RETURNING model_id");
  s.Bind(1, name)
      .Bind(2, file.path)
      .Bind(3, static_cast<std::int64_t>(file.size))
      .Bind(4, file.mtime_ns)
      .Bind(5, file.sha256);
  s.Step();
  const std::int64_t id = s.Int(0);
  s.Reset();
  return id;
}

void Store::SetModelDetails(std::int64_t model_id, const ModelDetails& details) {
  db_.Prepare(
         "UPDATE models SET architecture = ?, n_params = ?, description = ? WHERE model_id = ?")
      .Bind(1, details.architecture)
      .Bind(2, static_cast<std::int64_t>(details.n_params))
      .Bind(3, details.description)
      .Bind(4, model_id)
      .Run();
}

// --- Pairs ------------------------------------------------------------------

void Store::PutPair(const PairRecord& pair) {
  const std::optional<ModelRecord> base = FindModel(pair.base);
  const std::optional<ModelRecord> instruct = FindModel(pair.instruct);
  if (!base || !instruct) {
    throw InputError::At(file(), 0, "",
                         fmt::format("pair '{}': model '{}' is not in the store", pair.name,
                                     base ? pair.instruct : pair.base));
  }
  db_.Prepare(
         "INSERT INTO pairs (name, base_model_id, instruct_model_id) VALUES (?, ?, ?) "
         "ON CONFLICT (name) DO UPDATE SET base_model_id = excluded.base_model_id, "
         "instruct_model_id = excluded.instruct_model_id")
      .Bind(1, pair.name)
      .Bind(2, base->id)
      .Bind(3, instruct->id)
      .Run();
}

// --- Tasks ------------------------------------------------------------------

std::vector<TaskFile> Store::ReadTaskFiles(std::int64_t task_id) {
  Statement s = db_.Prepare(
      "SELECT path, size_bytes, sha256 FROM task_files WHERE task_id = ? ORDER BY position");
  s.Bind(1, task_id);
  std::vector<TaskFile> files;
  while (s.Step())
    files.push_back({s.Text(0), static_cast<std::uint64_t>(s.Int(1)), s.Text(2)});
  return files;
}

std::optional<TaskRecord> Store::FindTask(std::string_view name) {
  Statement s =
      db_.Prepare("SELECT task_id, name, item_count, load_options FROM tasks WHERE name = ?");
  s.Bind(1, name);
  if (!s.Step())
    return std::nullopt;
  TaskRecord task{s.Int(0), s.Text(1), s.Int(2), s.Text(3), {}};
  task.files = ReadTaskFiles(task.id);
  return task;
}

std::int64_t Store::PutTask(const TaskRecord& task) {
  Transaction transaction(db_);
  Statement s = db_.Prepare(
      "INSERT INTO tasks (name, item_count, load_options) VALUES (?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET item_count = excluded.item_count, "
      "load_options = excluded.load_options RETURNING task_id");
  s.Bind(1, task.name).Bind(2, task.item_count).Bind(3, task.load_options);
  s.Step();
  const std::int64_t id = s.Int(0);
  s.Reset();
  db_.Prepare("DELETE FROM task_files WHERE task_id = ?").Bind(1, id).Run();
  Statement insert = db_.Prepare(
      "INSERT INTO task_files (task_id, position, path, size_bytes, sha256) VALUES (?, ?, ?, ?, "
      "?)");
  for (std::size_t i = 0; i < task.files.size(); ++i) {
    insert.Bind(1, id)
        .Bind(2, static_cast<std::int64_t>(i))
        .Bind(3, task.files[i].path)
        .Bind(4, static_cast<std::int64_t>(task.files[i].size))
        .Bind(5, task.files[i].sha256)
        .Run();
  }
  transaction.Commit();
  return id;
}

// --- Runs -------------------------------------------------------------------

std::optional<RunRecord> Store::FindRun(std::int64_t model_id, std::int64_t task_id,
                                        std::string_view style) {
  Statement s = db_.Prepare(
      fmt::format("SELECT {} WHERE r.model_id = ? AND r.task_id = ? AND r.style = ?", kRunColumns));
  s.Bind(1, model_id).Bind(2, task_id).Bind(3, style);
  if (!s.Step())
    return std::nullopt;
  return RunFromRow(s);
}

std::int64_t Store::CreateRun(const RunRecord& run) {
  Statement s = db_.Prepare(
      "INSERT INTO runs (model_id, task_id, style, template_version, bos_mode, token_split, "
      "ctx_size, window, bos, block_items, created_at, num_fewshot, fewshot_sha256, origin) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.Bind(1, run.model_id)
      .Bind(2, run.task_id)
      .Bind(3, run.style)
      .Bind(4, run.settings.template_version)
      .Bind(5, run.settings.bos_mode)
      .Bind(6, run.settings.token_split)
      .Bind(7, run.settings.ctx_size)
      .Bind(10, run.block_items)
      .Bind(11, run.created_at.empty() ? UtcTimestamp() : run.created_at)
      .Bind(12, run.settings.num_fewshot)
      .Bind(13, run.settings.fewshot_sha256)
      .Bind(14, run.origin);
  if (run.effective) {
    s.Bind(8, run.effective->window).Bind(9, std::int64_t{run.effective->bos});
  }
  s.Run();
  return db_.LastInsertId();
}

void Store::SetRunEffective(std::int64_t run_id, const RunEffective& effective) {
  db_.Prepare("UPDATE runs SET window = ?, bos = ? WHERE run_id = ?")
      .Bind(1, effective.window)
      .Bind(2, std::int64_t{effective.bos})
      .Bind(3, run_id)
      .Run();
}

void Store::AddPlannedItems(std::int64_t run_id, std::span<const std::int64_t> indices) {
  Transaction transaction(db_);
  Statement s =
      db_.Prepare("INSERT OR IGNORE INTO planned_items (run_id, item_index) VALUES (?, ?)");
  for (std::int64_t index : indices)
    s.Bind(1, run_id).Bind(2, index).Run();
  transaction.Commit();
}

// --- Sessions ---------------------------------------------------------------

std::int64_t Store::BeginSession(SessionRecord& session) {
  if (session.started_at.empty())
    session.started_at = UtcTimestamp();
  Statement s = db_.Prepare(
      "INSERT INTO sessions (session_key, kind, started_at, finished_at, llmcal_version, "
      "llama_version, host, threads, workers, batch_size, gpu_layers, rpc_servers, flash_attn, "
      "shard, prefix_cache) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.Bind(1, session.key)
      .Bind(2, session.kind)
      .Bind(3, session.started_at)
      .Bind(5, session.llmcal_version)
      .Bind(6, session.llama_version)
      .Bind(7, session.host)
      .Bind(8, session.threads)
      .Bind(9, session.workers)
      .Bind(10, session.batch_size)
      .Bind(11, session.gpu_layers)
      .Bind(12, session.rpc_servers)
      .Bind(13, session.flash_attn)
      .Bind(14, session.shard)
      .Bind(15, session.prefix_cache);
  if (!session.finished_at.empty())
    s.Bind(4, session.finished_at);
  s.Run();
  session.id = db_.LastInsertId();
  return session.id;
}

void Store::FinishSession(std::int64_t session_id) {
  db_.Prepare("UPDATE sessions SET finished_at = ? WHERE session_id = ?")
      .Bind(1, UtcTimestamp())
      .Bind(2, session_id)
      .Run();
}

// --- Scores -----------------------------------------------------------------

void Store::WriteItems(std::int64_t run_id, std::span<const StoredItem> items) {
  Transaction transaction(db_);
  Statement item_row = PrepareItemRow(db_);
  Statement choice_row = db_.Prepare(
      "INSERT INTO choices (run_id, item_index, choice_index, n_tokens, logprob_sum, logprob_min, "
      "n_bytes, n_chars, is_greedy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  Statement tokens_row = db_.Prepare(
      "INSERT INTO choice_tokens (run_id, item_index, choice_index, logprobs, tokens) "
      "VALUES (?, ?, ?, ?, ?)");
  for (const StoredItem& item : items) {
    InsertItemRow(item_row, run_id, item, item.truncated);
    for (std::size_t k = 0; k < item.choices.size(); ++k) {
      const StoredChoice& c = item.choices[k];
      choice_row.Bind(1, run_id)
          .Bind(2, item.index)
          .Bind(3, static_cast<std::int64_t>(k))
          .Bind(4, c.n_tokens())
          .Bind(5, c.Sum())
          .Bind(6, c.Min())
          .Bind(7, c.n_bytes)
          .Bind(8, c.n_chars)
          .Bind(9, std::int64_t{c.is_greedy})
          .Run();
      tokens_row.Bind(1, run_id)
          .Bind(2, item.index)
          .Bind(3, static_cast<std::int64_t>(k))
          .BindBlob(4, EncodeFloats(c.logprobs))
          .BindBlob(5, EncodeInt32s(c.tokens))
          .Run();
    }
  }
  transaction.Commit();
}

// --- Imports ----------------------------------------------------------------

void Store::WriteImportedItems(std::int64_t run_id, std::span<const ImportedItem> items) {
  Transaction transaction(db_);
  Statement item_row = PrepareItemRow(db_);
  Statement choice_row = db_.Prepare(
      "INSERT INTO imported_choices (run_id, item_index, choice_index, logprob_sum, n_bytes, "
      "n_chars, is_greedy) VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (const ImportedItem& item : items) {
    InsertItemRow(item_row, run_id, item, /*truncated=*/false);  // samples files do not say
    for (std::size_t k = 0; k < item.choices.size(); ++k) {
      const ImportedChoice& c = item.choices[k];
      choice_row.Bind(1, run_id)
          .Bind(2, item.index)
          .Bind(3, static_cast<std::int64_t>(k))
          .Bind(4, c.sum)
          .Bind(5, c.n_bytes)
          .Bind(6, c.n_chars)
          .Bind(7, std::int64_t{c.is_greedy})
          .Run();
    }
  }
  transaction.Commit();
}

void Store::PutImport(const ImportRecord& import) {
  db_.Prepare(
         "INSERT INTO imports (run_id, sha256, path, size_bytes, source_task, source_format, "
         "harness_version, items, session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, import.run_id)
      .Bind(2, import.sha256)
      .Bind(3, import.path)
      .Bind(4, static_cast<std::int64_t>(import.size))
      .Bind(5, import.source_task)
      .Bind(6, import.source_format)
      .Bind(7, import.harness_version)
      .Bind(8, import.items)
      .Bind(9, import.session_id)
      .Run();
}

std::vector<ImportRecord> Store::ListImports() {
  Statement s = db_.Prepare(
      "SELECT run_id, sha256, path, size_bytes, source_task, source_format, harness_version, "
      "items, session_id FROM imports ORDER BY run_id, path");
  std::vector<ImportRecord> imports;
  while (s.Step()) {
    imports.push_back({s.Int(0), s.Text(1), s.Text(2), static_cast<std::uint64_t>(s.Int(3)),
                       s.Text(4), s.Text(5), s.Text(6), s.Int(7), s.Int(8)});
  }
  return imports;
}

// --- Reading ----------------------------------------------------------------

std::vector<ModelRecord> Store::ListModels() {
  Statement s = db_.Prepare(fmt::format("SELECT {} ORDER BY model_id", kModelColumns));
  std::vector<ModelRecord> models;
  while (s.Step())
    models.push_back(ModelFromRow(s));
  return models;
}

std::vector<PairRecord> Store::ListPairs() {
  Statement s = db_.Prepare(
      "SELECT p.name, b.name, i.name FROM pairs p JOIN models b ON b.model_id = p.base_model_id "
      "JOIN models i ON i.model_id = p.instruct_model_id ORDER BY p.rowid");
  std::vector<PairRecord> pairs;
  while (s.Step())
    pairs.push_back({s.Text(0), s.Text(1), s.Text(2)});
  return pairs;
}

std::vector<TaskRecord> Store::ListTasks() {
  Statement s =
      db_.Prepare("SELECT task_id, name, item_count, load_options FROM tasks ORDER BY task_id");
  std::vector<TaskRecord> tasks;
  while (s.Step())
    tasks.push_back({s.Int(0), s.Text(1), s.Int(2), s.Text(3), {}});
  for (TaskRecord& task : tasks)
    task.files = ReadTaskFiles(task.id);
  return tasks;
}

std::vector<RunRecord> Store::ListRuns() {
  Statement s = db_.Prepare(fmt::format("SELECT {} ORDER BY r.run_id", kRunColumns));
  std::vector<RunRecord> runs;
  while (s.Step())
    runs.push_back(RunFromRow(s));
  return runs;
}

std::vector<SessionRecord> Store::ListSessions() {
  Statement s = db_.Prepare(fmt::format("SELECT {} ORDER BY session_id", kSessionColumns));
  std::vector<SessionRecord> sessions;
  while (s.Step())
    sessions.push_back(SessionFromRow(s));
  return sessions;
}

std::vector<RunProgress> Store::Progress() {
  std::vector<RunProgress> progress;
  for (RunRecord& run : ListRuns()) {
    RunProgress p;
    Statement planned = db_.Prepare("SELECT count(*) FROM planned_items WHERE run_id = ?");
    planned.Bind(1, run.id).Step();
    p.items_planned = planned.Int(0);
    Statement stored = db_.Prepare("SELECT count(*), count(error) FROM items WHERE run_id = ?");
    stored.Bind(1, run.id).Step();
    p.items_stored = stored.Int(0);
    p.items_failed = stored.Int(1);
    p.run = std::move(run);
    progress.push_back(std::move(p));
  }
  return progress;
}

std::vector<std::int64_t> Store::PlannedItems(std::int64_t run_id) {
  Statement s =
      db_.Prepare("SELECT item_index FROM planned_items WHERE run_id = ? ORDER BY item_index");
  s.Bind(1, run_id);
  return Indices(std::move(s));
}

std::vector<std::int64_t> Store::StoredItemIndices(std::int64_t run_id) {
  Statement s = db_.Prepare("SELECT item_index FROM items WHERE run_id = ? ORDER BY item_index");
  s.Bind(1, run_id);
  return Indices(std::move(s));
}

bool Store::IsImportedRun(std::int64_t run_id) {
  Statement s = db_.Prepare("SELECT origin FROM runs WHERE run_id = ?");
  s.Bind(1, run_id);
  return s.Step() && s.Text(0) == kOriginLmEval;
}

std::vector<StoredItem> Store::ReadItems(std::int64_t run_id) {
  if (IsImportedRun(run_id)) {
    throw InputError::At(file(), 0, "",
                         fmt::format("run {} was imported from lm-evaluation-harness and has no "
                                     "per-token log-probs to read",
                                     run_id));
  }
  Statement item_rows = db_.Prepare(
      "SELECT item_index, item_id, gold, subject, n_choices, truncated, error, session_id "
      "FROM items "
      "WHERE run_id = ? ORDER BY item_index");
  item_rows.Bind(1, run_id);
  std::vector<StoredItem> items;
  while (item_rows.Step()) {
    StoredItem& item = items.emplace_back();
    item.index = item_rows.Int(0);
    item.id = item_rows.Text(1);
    item.gold = item_rows.Int(2);
    item.subject = item_rows.Text(3);
    item.n_choices = item_rows.Int(4);
    item.truncated = item_rows.Int(5) != 0;
    item.error = item_rows.IsNull(6) ? "" : item_rows.Text(6);
    item.session_id = item_rows.Int(7);
  }
  // The three tables share their key order, so one pass pairs them.
  Statement choice_rows = db_.Prepare(
      "SELECT item_index, choice_index, n_tokens, n_bytes, n_chars, is_greedy, logprob_sum, "
      "logprob_min FROM choices WHERE run_id = ? ORDER BY item_index, choice_index");
  Statement token_rows = db_.Prepare(
      "SELECT item_index, choice_index, logprobs, tokens FROM choice_tokens WHERE run_id = ? "
      "ORDER BY item_index, choice_index");
  choice_rows.Bind(1, run_id);
  token_rows.Bind(1, run_id);
  std::size_t at = 0;
  while (choice_rows.Step()) {
    const std::int64_t index = choice_rows.Int(0);
    while (at < items.size() && items[at].index < index)
      ++at;
    const auto where = [&] { return fmt::format("run {} item {}", run_id, index); };
    if (at == items.size() || items[at].index != index)
      Corrupt(where(), "choices without an item");
    StoredItem& item = items[at];
    if (choice_rows.Int(1) != static_cast<std::int64_t>(item.choices.size()))
      Corrupt(where(), fmt::format("choice {} out of order", choice_rows.Int(1)));
    if (!token_rows.Step() || token_rows.Int(0) != index ||
        token_rows.Int(1) != choice_rows.Int(1)) {
      Corrupt(where(), "a choice's token row is missing");
    }
    StoredChoice& c = item.choices.emplace_back();
    if (!DecodeFloats(token_rows.Blob(2), c.logprobs) ||
        !DecodeInt32s(token_rows.Blob(3), c.tokens) || c.logprobs.size() != c.tokens.size() ||
        c.n_tokens() != choice_rows.Int(2)) {
      Corrupt(where(), "token and log-prob blobs disagree with n_tokens");
    }
    c.n_bytes = choice_rows.Int(3);
    c.n_chars = choice_rows.Int(4);
    c.is_greedy = choice_rows.Int(5) != 0;
    if (!SameValue(c.Sum(), RealOrNan(choice_rows, 6)) ||
        !SameValue(c.Min(), RealOrNan(choice_rows, 7))) {
      Corrupt(where(), "logprob_sum or logprob_min disagrees with the log-probs");
    }
  }
  for (const StoredItem& item : items) {
    const std::size_t expected = item.ok() ? static_cast<std::size_t>(item.n_choices) : 0;
    if (item.choices.size() != expected) {
      Corrupt(fmt::format("run {} item {}", run_id, item.index),
              fmt::format("{} choices stored, {} expected", item.choices.size(), expected));
    }
  }
  return items;
}

std::vector<ImportedItem> Store::ReadImportedItems(std::int64_t run_id) {
  Statement item_rows = db_.Prepare(
      "SELECT item_index, item_id, gold, subject, n_choices, error, session_id FROM items "
      "WHERE run_id = ? ORDER BY item_index");
  item_rows.Bind(1, run_id);
  std::vector<ImportedItem> items;
  while (item_rows.Step()) {
    ImportedItem& item = items.emplace_back();
    item.index = item_rows.Int(0);
    item.id = item_rows.Text(1);
    item.gold = item_rows.Int(2);
    item.subject = item_rows.Text(3);
    item.n_choices = item_rows.Int(4);
    item.error = item_rows.IsNull(5) ? "" : item_rows.Text(5);
    item.session_id = item_rows.Int(6);
  }
  Statement choice_rows = db_.Prepare(
      "SELECT item_index, choice_index, logprob_sum, n_bytes, n_chars, is_greedy "
      "FROM imported_choices WHERE run_id = ? ORDER BY item_index, choice_index");
  choice_rows.Bind(1, run_id);
  std::size_t at = 0;
  while (choice_rows.Step()) {
    const std::int64_t index = choice_rows.Int(0);
    while (at < items.size() && items[at].index < index)
      ++at;
    const auto where = [&] { return fmt::format("run {} item {}", run_id, index); };
    if (at == items.size() || items[at].index != index)
      Corrupt(where(), "imported choices without an item");
    ImportedItem& item = items[at];
    if (choice_rows.Int(1) != static_cast<std::int64_t>(item.choices.size()))
      Corrupt(where(), fmt::format("choice {} out of order", choice_rows.Int(1)));
    item.choices.push_back(
        {choice_rows.Real(2), choice_rows.Int(3), choice_rows.Int(4), choice_rows.Int(5) != 0});
  }
  for (const ImportedItem& item : items) {
    const std::size_t expected = item.ok() ? static_cast<std::size_t>(item.n_choices) : 0;
    if (item.choices.size() != expected) {
      Corrupt(fmt::format("run {} item {}", run_id, item.index),
              fmt::format("{} choices stored, {} expected", item.choices.size(), expected));
    }
  }
  return items;
}

RunScores Store::ReadScores(std::int64_t run_id) {
  if (IsImportedRun(run_id))
    return ReadImportedScores(run_id);
  RunScores scores;
  Statement item_rows = db_.Prepare(
      "SELECT item_index, gold, subject, n_choices, truncated, error IS NOT NULL FROM items "
      "WHERE run_id = ? ORDER BY item_index");
  item_rows.Bind(1, run_id);
  while (item_rows.Step()) {
    scores.items.push_back({item_rows.Int(0), item_rows.Int(1), item_rows.Text(2), item_rows.Int(3),
                            item_rows.Int(4) != 0, item_rows.Int(5) != 0, 0});
  }
  Statement choice_rows = db_.Prepare(
      "SELECT item_index, choice_index, n_tokens, logprob_sum, logprob_min, n_bytes, n_chars, "
      "is_greedy FROM choices WHERE run_id = ? ORDER BY item_index, choice_index");
  choice_rows.Bind(1, run_id);
  std::vector<std::int64_t> counts(scores.items.size());  // choices seen per item
  std::size_t at = 0;
  while (choice_rows.Step()) {
    const std::int64_t index = choice_rows.Int(0);
    while (at < scores.items.size() && scores.items[at].index < index)
      ++at;
    const auto where = [&] { return fmt::format("run {} item {}", run_id, index); };
    if (at == scores.items.size() || scores.items[at].index != index)
      Corrupt(where(), "choices without an item");
    if (choice_rows.Int(1) != counts[at])
      Corrupt(where(), fmt::format("choice {} out of order", choice_rows.Int(1)));
    if (counts[at]++ == 0)
      scores.items[at].first_choice = scores.choices.size();
    ChoiceSummary& c = scores.choices.emplace_back();
    c.n_tokens = choice_rows.Int(2);
    c.sum = RealOrNan(choice_rows, 3);
    c.min = RealOrNan(choice_rows, 4);
    c.n_bytes = choice_rows.Int(5);
    c.n_chars = choice_rows.Int(6);
    c.is_greedy = choice_rows.Int(7) != 0;
  }
  for (std::size_t i = 0; i < scores.items.size(); ++i) {
    const ItemSummary& item = scores.items[i];
    const std::int64_t expected = item.failed ? 0 : item.n_choices;
    if (counts[i] != expected) {
      Corrupt(fmt::format("run {} item {}", run_id, item.index),
              fmt::format("{} choices stored, {} expected", counts[i], expected));
    }
  }
  return scores;
}

RunScores Store::ReadImportedScores(std::int64_t run_id) {
  RunScores scores;
  scores.token_scores = false;
  for (const ImportedItem& item : ReadImportedItems(run_id)) {
    scores.items.push_back({item.index, item.gold, item.subject, item.n_choices, false, !item.ok(),
                            scores.choices.size()});
    for (const ImportedChoice& c : item.choices) {
      scores.choices.push_back({.sum = c.sum,
                                .min = std::numeric_limits<double>::quiet_NaN(),
                                .n_tokens = 0,
                                .n_bytes = c.n_bytes,
                                .n_chars = c.n_chars,
                                .is_greedy = c.is_greedy});
    }
  }
  return scores;
}

}  // namespace llmcal::store
