#pragma once
// Rows keyed by RowKey, for combining files and journals: a row whose key is already present is
// dropped when its result is the same (an identical duplicate), replaces a failed row when it is
// ok, and is otherwise a conflict (the first row stays).
#include <cstddef>
#include <map>
#include <vector>

#include "igbench/io/result_row.hpp"

namespace igbench::io {

class RowSet {
 public:
  enum class Outcome {
    added,           // a new key
    duplicate,       // same key and same result: dropped
    replaced_failed, // an ok row replaced a failed one
    kept_ok,         // a failed row where an ok one exists: dropped
    conflict,        // same key, both ok (or both failed), different results: the first stays
  };
  Outcome add(const ResultRow& row);

  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const std::map<RowKey, ResultRow>& by_key() const { return rows_; }
  // The rows sorted by (point, run) (then key).
  std::vector<ResultRow> sorted_rows() const;

 private:
  std::map<RowKey, ResultRow> rows_;
};

}  // namespace igbench::io
