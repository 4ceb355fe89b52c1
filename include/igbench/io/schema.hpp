#pragma once
// The result row's columns, declared once (src/io/schema.cpp). The table drives everything that
// lists columns: the HDF5 write and read of /runs, the journal's record layout, RowKey, its order
// and its one-line description, same_result, the all-columns CSV export, the summary's extra
// lines, docs/results-format.md's column table and the Python test fixtures (both checked against
// the table by tests/io/test_schema.cpp).
//
// Adding a result column: add its field to experiment::RunResult (or ResultRow), compute it, and
// add one entry to the table in src/io/schema.cpp; then regenerate the docs table and
// analysis/tests/columns.json (IGBENCH_UPDATE_SCHEMA_DOCS=1 test_io --gtest_filter='Schema*').
// A column declared `optional` reads as its default (NaN, empty) from files written before it
// existed.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "igbench/io/result_row.hpp"

namespace igbench::io {

// How a column is stored in /runs (and in the journal).
enum class Storage {
  string16,  // fixed-length NULL-padded 16-byte string (journal: u8 index into `choices`)
  string64,  // fixed-length NULL-padded 64-byte string, longer values cut (journal: u32 length + bytes)
  int32,     // little-endian int32
  int64,     // little-endian int64
  float64,   // IEEE-754 double
};
std::string_view storage_name(Storage s);

enum class Shape {
  scalar,      // one value per row: a 1-D dataset
  per_action,  // K values per row, or none: a 2-D dataset rows x (largest K), NaN-padded (float64 only)
};

// The role of a column in a row's identity (RowKey): the point's parameters, the run within the
// point, or none (results, and `point`, the index of the point in its own sweep's grid).
enum class KeyRole { none, point, run };

// One value of one column of one row.
using Cell = std::variant<std::string, std::int64_t, double, std::vector<double>>;

struct Column {
  std::string name;
  Storage storage = Storage::float64;
  Shape shape = Shape::scalar;
  std::string unit;     // "" when dimensionless or a name
  std::string meaning;  // one line for the format document
  KeyRole key = KeyRole::none;
  bool compared = true;     // same_result compares it (false: key columns, `point`, timings)
  bool summarized = false;  // `summary` prints its mean +- SEM per point
  bool optional = false;    // a file without this column reads as the row's default
  std::vector<std::string> choices;  // string16: the allowed names, in key order
  // How a key column appears in describe(RowKey): prefix + value + suffix, left out when the
  // value is absent (an integer < 0 or NaN).
  std::string describe_prefix, describe_suffix;

  std::function<Cell(const ResultRow&)> get;
  // Stores a cell read from a file or a journal. Throws std::invalid_argument (one line) for a
  // value the row cannot hold: an unknown name, an integer out of the field's range.
  std::function<void(ResultRow&, const Cell&)> set;
};

// The columns in the order they are written (the key columns in key order).
const std::vector<Column>& result_columns();
// The column named `name`, or nullptr.
const Column* find_column(std::string_view name);

// CRC-32 of every column's name, storage and shape: a journal records it and refuses records of
// another schema.
std::uint32_t schema_fingerprint();

// The /runs table of docs/results-format.md (Markdown), and the columns as JSON for the Python
// fixture writers (name, storage, shape, unit, meaning, key, compared, optional, choices).
std::string schema_markdown();
std::string schema_json();

// A cell as text: names and integers as they are, doubles as Python's repr, per-action values
// as "[a, b]" (used by the all-columns CSV and describe()).
std::string cell_text(const Cell& cell);

}  // namespace igbench::io
