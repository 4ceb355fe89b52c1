#include "igbench/io/row_set.hpp"

namespace igbench::io {

RowSet::Outcome RowSet::add(const ResultRow& row) {
  const auto [it, inserted] = rows_.try_emplace(row_key(row), row);
  if (inserted) return Outcome::added;
  ResultRow& present = it->second;
  if (same_result(present, row)) return Outcome::duplicate;
  if (!present.ok() && row.ok()) {
    present = row;
    return Outcome::replaced_failed;
  }
  if (present.ok() && !row.ok()) return Outcome::kept_ok;
  // Two failed rows with different reasons are not a conflict of results.
  if (!present.ok() && !row.ok()) return Outcome::duplicate;
  return Outcome::conflict;
}

std::vector<ResultRow> RowSet::sorted_rows() const {
  std::vector<ResultRow> rows;
  rows.reserve(rows_.size());
  for (const auto& [key, row] : rows_) rows.push_back(row);
  sort_rows(rows);
  return rows;
}

}  // namespace igbench::io
