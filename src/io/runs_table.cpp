#include "runs_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "igbench/io/schema.hpp"

namespace igbench::io {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::size_t row_K(const ResultRow& r) { return static_cast<std::size_t>(std::max(r.params.K, 0)); }

// Width of a per-action dataset: the largest K of the rows (0 without rows).
std::size_t per_action_width(const std::vector<ResultRow>& rows) {
  std::size_t width = 0;
  for (const ResultRow& r : rows) width = std::max(width, row_K(r));
  return width;
}

std::size_t string_bytes(Storage s) { return s == Storage::string16 ? 16 : status_max_bytes; }

void write_column(const h5::Writer& w, hid_t g, const Column& c, const std::vector<ResultRow>& rows) {
  const hsize_t n = rows.size();
  const char* name = c.name.c_str();
  switch (c.storage) {
    case Storage::string16:
    case Storage::string64: {
      std::vector<std::string> v;
      for (const ResultRow& r : rows) v.push_back(std::get<std::string>(c.get(r)));
      w.string_dataset(g, name, v, string_bytes(c.storage));
      return;
    }
    case Storage::int32: {
      std::vector<std::int32_t> v;
      for (const ResultRow& r : rows) v.push_back(static_cast<std::int32_t>(std::get<std::int64_t>(c.get(r))));
      w.numeric_dataset(g, name, H5T_STD_I32LE, H5T_NATIVE_INT32, v.data(), {n});
      return;
    }
    case Storage::int64: {
      std::vector<std::int64_t> v;
      for (const ResultRow& r : rows) v.push_back(std::get<std::int64_t>(c.get(r)));
      w.numeric_dataset(g, name, H5T_STD_I64LE, H5T_NATIVE_INT64, v.data(), {n});
      return;
    }
    case Storage::float64: break;
  }
  if (c.shape == Shape::scalar) {
    std::vector<double> v;
    for (const ResultRow& r : rows) v.push_back(std::get<double>(c.get(r)));
    w.numeric_dataset(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), {n});
    return;
  }
  // rows x width, a row's values (0 or K of them) NaN-padded.
  const std::size_t width = per_action_width(rows);
  std::vector<double> v(rows.size() * width, nan);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto values = std::get<std::vector<double>>(c.get(rows[i]));
    std::copy(values.begin(), values.end(), v.begin() + static_cast<std::ptrdiff_t>(i * width));
  }
  w.numeric_dataset(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), {n, width});
}

// Stores cells[i] in rows[i] with the column's setter; a value a row cannot hold is a FileError.
void set_all(const h5::Reader& rd, const Column& c, std::vector<ResultRow>& rows, std::vector<Cell> cells) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    try {
      c.set(rows[i], cells[i]);
    } catch (const std::invalid_argument& e) {
      rd.fail(std::string(e.what()) + ", row " + std::to_string(i));
    }
  }
}

void read_scalar_column(const h5::Reader& rd, hid_t g, const Column& c, std::vector<ResultRow>& rows) {
  const std::size_t n = rows.size();
  const bool text = c.storage == Storage::string16 || c.storage == Storage::string64;
  const bool real = c.storage == Storage::float64;
  const h5::Reader::Dataset d = rd.dataset(g, c.name, text ? H5T_STRING : real ? H5T_FLOAT : H5T_INTEGER, 1);
  if (d.dims[0] != n)
    rd.fail("column '" + c.name + "' has " + std::to_string(d.dims[0]) + " rows, column 'point' has " +
            std::to_string(n) + " (truncated or inconsistent /runs)");
  std::vector<Cell> cells(n);
  if (text) {
    const std::vector<std::string> v = rd.read_strings(d, c.name);
    for (std::size_t i = 0; i < n; ++i) cells[i] = v[i];
  } else if (real) {
    std::vector<double> v(n);
    rd.read_numeric(d, c.name, H5T_NATIVE_DOUBLE, v.data());
    for (std::size_t i = 0; i < n; ++i) cells[i] = v[i];
  } else {
    std::vector<std::int64_t> v(n);
    rd.read_numeric(d, c.name, H5T_NATIVE_INT64, v.data());
    for (std::size_t i = 0; i < n; ++i) cells[i] = v[i];
  }
  set_all(rd, c, rows, std::move(cells));
}

// A per-action column: a row's first K values, or none when they are all NaN (not fitted).
void read_per_action_column(const h5::Reader& rd, hid_t g, const Column& c, std::vector<ResultRow>& rows,
                            std::uintmax_t file_size) {
  const std::size_t n = rows.size();
  const h5::Reader::Dataset d = rd.dataset(g, c.name, H5T_FLOAT, 2);
  if (d.dims[0] != n)
    rd.fail("column '" + c.name + "' has " + std::to_string(d.dims[0]) + " rows, column 'point' has " +
            std::to_string(n) + " (truncated or inconsistent /runs)");
  const std::size_t width = d.dims[1];
  if (n > 0 && width > file_size / 8 / n) rd.fail("column '" + c.name + "' claims more values than the file holds");
  std::vector<double> v(n * width);
  rd.read_numeric(d, c.name, H5T_NATIVE_DOUBLE, v.data());
  std::vector<Cell> cells(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t K = row_K(rows[i]);
    if (K > width) rd.fail("row " + std::to_string(i) + " has K = " + std::to_string(K) + " but column '" + c.name +
                           "' has " + std::to_string(width) + " values per row");
    const auto first = v.begin() + static_cast<std::ptrdiff_t>(i * width);
    const auto last = first + static_cast<std::ptrdiff_t>(K);
    std::vector<double> values;
    if (!std::all_of(first, last, [](double a) { return std::isnan(a); })) values.assign(first, last);
    cells[i] = std::move(values);
  }
  set_all(rd, c, rows, std::move(cells));
}

}  // namespace

void check_per_action_sizes(const std::vector<ResultRow>& rows) {
  for (const Column& c : result_columns()) {
    if (c.shape != Shape::per_action) continue;
    for (const ResultRow& r : rows) {
      const std::size_t size = std::get<std::vector<double>>(c.get(r)).size();
      if (size != 0 && size != row_K(r))
        throw std::invalid_argument("row (point " + std::to_string(r.point) + ", run " + std::to_string(r.run) +
                                    ") has " + std::to_string(size) + " " + c.name + " entries; expected 0 or K = " +
                                    std::to_string(row_K(r)));
    }
  }
}

void write_runs(const h5::Writer& w, hid_t file, const std::vector<ResultRow>& rows) {
  const h5::Handle group = w.create_group(file, "runs");
  for (const Column& c : result_columns()) write_column(w, group.get(), c, rows);
}

std::vector<ResultRow> read_runs(const h5::Reader& rd, hid_t file, std::uintmax_t file_size) {
  const h5::Handle group = rd.open_group(file, "runs");
  const hid_t g = group.get();
  // The length of `point` is the row count every other column must have; a row takes at least
  // 8 bytes of `point` alone.
  const std::size_t n = static_cast<std::size_t>(rd.dataset(g, "point", H5T_INTEGER, 1).dims[0]);
  if (n > file_size / 8) rd.fail("/runs claims " + std::to_string(n) + " rows, more than the file can hold");
  std::vector<ResultRow> rows(n);
  // Scalars first: a per-action column needs each row's K.
  for (const bool per_action : {false, true})
    for (const Column& c : result_columns()) {
      if ((c.shape == Shape::per_action) != per_action) continue;
      if (c.optional && !rd.has_link(g, c.name)) continue;
      if (per_action)
        read_per_action_column(rd, g, c, rows, file_size);
      else
        read_scalar_column(rd, g, c, rows);
    }
  return rows;
}

}  // namespace igbench::io
