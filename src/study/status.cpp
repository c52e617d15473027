#include "study/status.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "store/store.h"

namespace llmcal::study {

namespace {

std::string Json(const std::vector<store::RunProgress>& rows) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const store::RunProgress& p : rows) {
    list.push_back({{"model", p.run.model},
                    {"task", p.run.task},
                    {"style", p.run.style},
                    {"items_stored", p.items_stored},
                    {"items_total", p.items_planned},
                    {"items_failed", p.items_failed}});
  }
  return list.dump(2) + "\n";
}

std::string Table(const std::vector<store::RunProgress>& rows) {
  using Row = std::array<std::string, 7>;
  std::vector<Row> cells = {{"model", "task", "style", "stored", "total", "failed", "done"}};
  for (const store::RunProgress& p : rows) {
    const double done = p.items_planned > 0 ? 100.0 * static_cast<double>(p.items_stored) /
                                                  static_cast<double>(p.items_planned)
                                            : 100.0;
    cells.push_back({p.run.model, p.run.task, p.run.style, std::to_string(p.items_stored),
                     std::to_string(p.items_planned), std::to_string(p.items_failed),
                     fmt::format("{:.1f}%", done)});
  }
  std::array<std::size_t, 7> width{};
  for (const Row& row : cells) {
    for (std::size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  }
  std::string text;
  for (const Row& row : cells) {
    // Names left-aligned, counts right-aligned.
    text += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>{}}  {:>{}}  {:>{}}  {:>{}}\n", row[0],
                        width[0], row[1], width[1], row[2], width[2], row[3], width[3], row[4],
                        width[4], row[5], width[5], row[6], width[6]);
  }
  if (rows.empty())
    text += "(no runs yet)\n";
  return text;
}

}  // namespace

std::vector<store::RunProgress> ReadStatus(const std::filesystem::path& path) {
  return store::Store::Open(path, store::Database::kReadOnly).Progress();
}

std::string RenderStatus(const std::vector<store::RunProgress>& rows, StatusFormat format) {
  return format == StatusFormat::kJson ? Json(rows) : Table(rows);
}

}  // namespace llmcal::study
