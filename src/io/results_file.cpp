#include "igbench/io/results_file.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "igbench/io/error.hpp"
#include "igbench/io/file_ops.hpp"

namespace igbench::io {

namespace fs = std::filesystem;
using experiment::Method;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Format decisions (docs/results-format.md, version 1):
// - string attributes are variable-length UTF-8 (h5py gives str), integer attributes int64;
// - string columns are fixed-length, NULL-padded (h5py gives bytes): 16 bytes for the science
//   options, 64 for the status;
// - datasets are contiguous and uncompressed (a sweep has at most some 10^5 rows).
constexpr std::size_t option_string_bytes = 16;

// ---------------------------------------------------------------------------------------------
// HDF5 plumbing

// An HDF5 identifier closed on scope exit.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), close_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      close_ = o.close_;
      o.id_ = -1;
    }
    return *this;
  }
  ~Handle() { reset(); }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset() {
    if (id_ >= 0 && close_ != nullptr) close_(id_);
    id_ = -1;
  }
  // Closes now and reports whether the close succeeded (a file's close writes its metadata).
  bool close() {
    const herr_t rc = id_ >= 0 && close_ != nullptr ? close_(id_) : 0;
    id_ = -1;
    return rc >= 0;
  }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

// Our messages replace HDF5's automatic error printing.
void silence_hdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

// The most specific message on HDF5's error stack ("" when empty), for one-line diagnostics.
std::string hdf5_detail() {
  std::string detail;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* e, void* data) -> herr_t {
        if (n == 0 && e->desc != nullptr) *static_cast<std::string*>(data) = e->desc;
        return 0;
      },
      &detail);
  H5Eclear2(H5E_DEFAULT);
  return detail;
}

std::string with_detail(const std::string& problem) {
  const std::string detail = hdf5_detail();
  return detail.empty() ? problem : problem + " (" + detail + ")";
}

// File access: no file locking (our writers never modify a file in place: they rename a new one
// over it, and locks fail on some parallel file systems).
Handle file_access() {
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
#if H5_VERSION_GE(1, 10, 7)
  H5Pset_file_locking(fapl.get(), false, true);
#endif
  return fapl;
}

// The writer and the reader of one file; they throw FileError naming `path`.
class Writer {
 public:
  // Writes through a temporary file; messages name `shown`, the file the user asked for.
  explicit Writer(fs::path shown) : shown_(std::move(shown)) {}

  void fail(const std::string& what) const { throw FileError(shown_, with_detail("cannot write: " + what)); }
  template <class T>
  T check(T id_or_status, const std::string& what) const {
    if (id_or_status < 0) fail(what);
    return id_or_status;
  }

  void string_attribute(hid_t where, const char* name, const std::string& value) const {
    Handle type(check(H5Tcopy(H5T_C_S1), name), H5Tclose);
    check(H5Tset_size(type.get(), H5T_VARIABLE), name);
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), name);
    Handle space(check(H5Screate(H5S_SCALAR), name), H5Sclose);
    Handle attr(check(H5Acreate2(where, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), name), H5Aclose);
    const char* data = value.c_str();
    check(H5Awrite(attr.get(), type.get(), &data), name);
  }

  void int_attribute(hid_t where, const char* name, std::int64_t value) const {
    Handle space(check(H5Screate(H5S_SCALAR), name), H5Sclose);
    Handle attr(check(H5Acreate2(where, name, H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), name),
                H5Aclose);
    check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &value), name);
  }

  void string_array_attribute(hid_t where, const char* name, const std::vector<std::string>& values) const {
    Handle type(check(H5Tcopy(H5T_C_S1), name), H5Tclose);
    check(H5Tset_size(type.get(), H5T_VARIABLE), name);
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), name);
    const hsize_t n = values.size();
    Handle space(check(H5Screate_simple(1, &n, nullptr), name), H5Sclose);
    Handle attr(check(H5Acreate2(where, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), name), H5Aclose);
    std::vector<const char*> data;
    for (const std::string& v : values) data.push_back(v.c_str());
    check(H5Awrite(attr.get(), type.get(), data.data()), name);
  }

  template <class T>
  void number_array_attribute(hid_t where, const char* name, const std::vector<T>& values, hid_t file_type,
                              hid_t memory_type) const {
    const hsize_t n = values.size();
    Handle space(check(H5Screate_simple(1, &n, nullptr), name), H5Sclose);
    Handle attr(check(H5Acreate2(where, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), name), H5Aclose);
    check(H5Awrite(attr.get(), memory_type, values.data()), name);
  }

  // A numeric dataset of shape `dims` (rows, or rows x columns).
  void numeric_dataset(hid_t group, const char* name, hid_t file_type, hid_t memory_type, const void* data,
                       const std::vector<hsize_t>& dims) const {
    Handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), name), H5Sclose);
    Handle set(check(H5Dcreate2(group, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), name),
               H5Dclose);
    hsize_t elements = 1;
    for (hsize_t d : dims) elements *= d;
    if (elements > 0) check(H5Dwrite(set.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), name);
  }

  // A 1-D fixed-length, NULL-padded string dataset; values longer than `bytes` are cut.
  void string_dataset(hid_t group, const char* name, const std::vector<std::string>& values, std::size_t bytes) const {
    Handle type(check(H5Tcopy(H5T_C_S1), name), H5Tclose);
    check(H5Tset_size(type.get(), bytes), name);
    check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), name);
    std::string buffer(values.size() * bytes, '\0');
    for (std::size_t i = 0; i < values.size(); ++i)
      values[i].copy(buffer.data() + i * bytes, std::min(bytes, values[i].size()));
    const hsize_t n = values.size();
    Handle space(check(H5Screate_simple(1, &n, nullptr), name), H5Sclose);
    Handle set(check(H5Dcreate2(group, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), name),
               H5Dclose);
    if (n > 0) check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), name);
  }

 private:
  fs::path shown_;
};

class Reader {
 public:
  explicit Reader(fs::path path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& problem) const { throw FileError(path_, with_detail(problem)); }

  bool has_attribute(hid_t where, const char* name) const { return H5Aexists(where, name) > 0; }

  Handle attribute(hid_t where, const char* name, const char* where_name) const {
    if (!has_attribute(where, name))
      fail(std::string("missing attribute '") + name + "' on " + where_name);
    Handle attr(H5Aopen(where, name, H5P_DEFAULT), H5Aclose);
    if (!attr.valid()) fail(std::string("cannot open attribute '") + name + "'");
    return attr;
  }

  // A scalar string attribute, variable- or fixed-length.
  std::string string_attribute(hid_t where, const char* name, const char* where_name) const {
    Handle attr = attribute(where, name, where_name);
    Handle type(H5Aget_type(attr.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) fail(std::string("attribute '") + name + "' is not a string");
    Handle space(H5Aget_space(attr.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) fail(std::string("attribute '") + name + "' is not a scalar");
    if (H5Tis_variable_str(type.get()) > 0) {
      Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
      H5Tset_size(memory.get(), H5T_VARIABLE);
      H5Tset_cset(memory.get(), H5Tget_cset(type.get()));
      char* data = nullptr;
      if (H5Aread(attr.get(), memory.get(), &data) < 0) fail(std::string("cannot read attribute '") + name + "'");
      std::string value = data != nullptr ? data : "";
      H5free_memory(data);
      return value;
    }
    const std::size_t size = H5Tget_size(type.get());
    std::string buffer(size, '\0');
    if (H5Aread(attr.get(), type.get(), buffer.data()) < 0) fail(std::string("cannot read attribute '") + name + "'");
    return buffer.substr(0, buffer.find('\0'));
  }

  std::int64_t int_attribute(hid_t where, const char* name, const char* where_name) const {
    Handle attr = attribute(where, name, where_name);
    Handle type(H5Aget_type(attr.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_INTEGER) fail(std::string("attribute '") + name + "' is not an integer");
    Handle space(H5Aget_space(attr.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) fail(std::string("attribute '") + name + "' is not a scalar");
    std::int64_t value = 0;
    if (H5Aread(attr.get(), H5T_NATIVE_INT64, &value) < 0) fail(std::string("cannot read attribute '") + name + "'");
    return value;
  }

  // A dataset of /runs with its shape, after checking its type class and rank.
  struct Column {
    Handle set;
    Handle type;
    std::vector<hsize_t> dims;
  };
  Column column(hid_t group, const std::string& name, H5T_class_t expected, int rank) const {
    if (H5Lexists(group, name.c_str(), H5P_DEFAULT) <= 0) fail("/runs lacks column '" + name + "'");
    Column c;
    c.set = Handle(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!c.set.valid()) fail("cannot open column '" + name + "'");
    c.type = Handle(H5Dget_type(c.set.get()), H5Tclose);
    if (H5Tget_class(c.type.get()) != expected) fail("column '" + name + "' has the wrong type");
    Handle space(H5Dget_space(c.set.get()), H5Sclose);
    if (H5Sget_simple_extent_ndims(space.get()) != rank)
      fail("column '" + name + "' is not " + std::to_string(rank) + "-dimensional");
    c.dims.assign(static_cast<std::size_t>(rank), 0);
    H5Sget_simple_extent_dims(space.get(), c.dims.data(), nullptr);
    return c;
  }

  template <class T>
  std::vector<T> numeric_column(hid_t group, const std::string& name, hid_t memory_type, std::size_t rows) const {
    const H5T_class_t cls = std::is_floating_point_v<T> ? H5T_FLOAT : H5T_INTEGER;
    Column c = column(group, name, cls, 1);
    if (c.dims[0] != rows) fail(length_problem(name, c.dims[0], rows));
    std::vector<T> values(rows);
    if (rows > 0 && H5Dread(c.set.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
      fail("cannot read column '" + name + "' (corrupt?)");
    return values;
  }

  std::vector<std::string> string_column(hid_t group, const std::string& name, std::size_t rows) const {
    Column c = column(group, name, H5T_STRING, 1);
    if (c.dims[0] != rows) fail(length_problem(name, c.dims[0], rows));
    if (H5Tis_variable_str(c.type.get()) > 0) fail("column '" + name + "' is not a fixed-length string");
    const std::size_t size = H5Tget_size(c.type.get());
    std::string buffer(rows * size, '\0');
    if (rows > 0 && H5Dread(c.set.get(), c.type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
      fail("cannot read column '" + name + "' (corrupt?)");
    std::vector<std::string> values(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      std::string s = buffer.substr(i * size, size);
      values[i] = s.substr(0, s.find('\0'));
    }
    return values;
  }

  static std::string length_problem(const std::string& name, hsize_t found, std::size_t expected) {
    return "column '" + name + "' has " + std::to_string(found) + " rows, column 'point' has " +
           std::to_string(expected) + " (truncated or inconsistent /runs)";
  }

 private:
  fs::path path_;
};

// ---------------------------------------------------------------------------------------------
// The /runs columns

const char* metric_prefix(bool truth) { return truth ? "truth_rmse_" : "rmse_"; }

std::string metric_column(bool truth, Method m) { return metric_prefix(truth) + std::string(experiment::method_name(m)); }

// Width of alpha_sint: the largest K of the file's rows (0 without rows). A row's alpha_sint has
// K entries when its single-intervention models were fitted, else none (written as NaN).
std::size_t alpha_sint_width(const std::vector<ResultRow>& rows) {
  std::size_t width = 0;
  for (const ResultRow& r : rows) {
    const std::size_t K = static_cast<std::size_t>(std::max(r.params.K, 0));
    if (!r.result.alpha_sint.empty() && r.result.alpha_sint.size() != K)
      throw std::invalid_argument("row (point " + std::to_string(r.point) + ", run " + std::to_string(r.run) +
                                  ") has " + std::to_string(r.result.alpha_sint.size()) +
                                  " alpha_sint entries; expected 0 or K = " + std::to_string(K));
    width = std::max(width, K);
  }
  return width;
}

template <class T, class F>
std::vector<T> column_of(const std::vector<ResultRow>& rows, F&& get) {
  std::vector<T> values;
  values.reserve(rows.size());
  for (const ResultRow& r : rows) values.push_back(static_cast<T>(get(r)));
  return values;
}

void write_runs(const Writer& w, hid_t file, const std::vector<ResultRow>& rows) {
  Handle group(w.check(H5Gcreate2(file, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "/runs"), H5Gclose);
  const hid_t g = group.get();
  const hsize_t n = rows.size();
  auto strings = [&](const char* name, std::size_t bytes, auto get) {
    w.string_dataset(g, name, column_of<std::string>(rows, get), bytes);
  };
  auto int32s = [&](const char* name, auto get) {
    const auto v = column_of<std::int32_t>(rows, get);
    w.numeric_dataset(g, name, H5T_STD_I32LE, H5T_NATIVE_INT32, v.data(), {n});
  };
  auto int64s = [&](const char* name, auto get) {
    const auto v = column_of<std::int64_t>(rows, get);
    w.numeric_dataset(g, name, H5T_STD_I64LE, H5T_NATIVE_INT64, v.data(), {n});
  };
  auto doubles = [&](const std::string& name, auto get) {
    const auto v = column_of<double>(rows, get);
    w.numeric_dataset(g, name.c_str(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), {n});
  };
  using R = const ResultRow&;
  strings("experiment", option_string_bytes, [](R r) { return std::string(experiment::experiment_name(r.params.experiment)); });
  strings("scm_type", option_string_bytes, [](R r) { return std::string(scm::scm_type_name(r.params.scm_type)); });
  strings("regularization", option_string_bytes,
          [](R r) { return std::string(fit::regularization_name(r.params.regularization)); });
  strings("rng", option_string_bytes, [](R r) { return std::string(experiment::rng_name(r.rng)); });
  int32s("K", [](R r) { return r.params.K; });
  int32s("n_order_fit", [](R r) { return r.params.n_order_fit; });
  int64s("N", [](R r) { return r.params.N; });
  int64s("N_avg", [](R r) { return r.params.N_avg; });
  doubles("ratio", [](R r) { return r.params.ratio; });
  int64s("N_total", [](R r) { return r.params.N_total; });
  int64s("N_obs", [](R r) { return r.params.N_obs; });
  int64s("N_sint", [](R r) { return r.params.N_sint; });
  int64s("N_jint", [](R r) { return r.params.N_jint; });
  int64s("point", [](R r) { return r.point; });
  int64s("run", [](R r) { return r.run; });
  int64s("seed", [](R r) { return r.seed; });
  for (bool truth : {false, true})
    for (Method m : experiment::all_methods)
      doubles(metric_column(truth, m), [&](R r) { return truth ? r.result[m].truth_rmse : r.result[m].rmse; });
  doubles("alpha_obs", [](R r) { return r.result.alpha_obs; });
  doubles("alpha_pooled", [](R r) { return r.result.alpha_pooled; });
  doubles("alpha_jint", [](R r) { return r.result.alpha_jint; });
  const std::size_t width = alpha_sint_width(rows);
  std::vector<double> alpha_sint(rows.size() * width, nan);
  for (std::size_t i = 0; i < rows.size(); ++i)
    std::copy(rows[i].result.alpha_sint.begin(), rows[i].result.alpha_sint.end(), alpha_sint.begin() + static_cast<std::ptrdiff_t>(i * width));
  w.numeric_dataset(g, "alpha_sint", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, alpha_sint.data(), {n, width});
  doubles("seconds_generate", [](R r) { return r.result.seconds_generate; });
  doubles("seconds_solve", [](R r) { return r.result.seconds_solve; });
  int64s("samples_generated", [](R r) { return r.result.samples_generated; });
  strings("status", status_max_bytes, [](R r) { return r.status; });
}

// Parses a name column with `parse`, turning an unknown name into a FileError.
template <class E, class F>
std::vector<E> parse_names(const Reader& rd, const std::vector<std::string>& names, const char* column, F&& parse) {
  std::vector<E> values;
  values.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    try {
      values.push_back(parse(names[i]));
    } catch (const std::invalid_argument&) {
      rd.fail(std::string("unknown value '") + names[i] + "' in column '" + column + "', row " + std::to_string(i));
    }
  }
  return values;
}

std::vector<ResultRow> read_runs(const Reader& rd, hid_t file) {
  if (H5Lexists(file, "runs", H5P_DEFAULT) <= 0) rd.fail("no /runs group");
  Handle group(H5Gopen2(file, "runs", H5P_DEFAULT), H5Gclose);
  if (!group.valid()) rd.fail("cannot open /runs");
  const hid_t g = group.get();
  // The length of `point` is the row count every other column must have.
  const std::size_t n = static_cast<std::size_t>(rd.column(g, "point", H5T_INTEGER, 1).dims[0]);
  auto int64s = [&](const char* name) { return rd.numeric_column<std::int64_t>(g, name, H5T_NATIVE_INT64, n); };
  auto int32s = [&](const char* name) { return rd.numeric_column<std::int32_t>(g, name, H5T_NATIVE_INT32, n); };
  auto doubles = [&](const std::string& name) { return rd.numeric_column<double>(g, name, H5T_NATIVE_DOUBLE, n); };

  const auto experiments = parse_names<experiment::ExperimentKind>(rd, rd.string_column(g, "experiment", n), "experiment",
                                                                   [](const std::string& s) { return experiment::parse_experiment(s); });
  const auto scm_types = parse_names<scm::ScmType>(rd, rd.string_column(g, "scm_type", n), "scm_type",
                                                   [](const std::string& s) { return scm::parse_scm_type(s); });
  const auto regs = parse_names<fit::Regularization>(rd, rd.string_column(g, "regularization", n), "regularization",
                                                     [](const std::string& s) { return fit::parse_regularization(s); });
  const auto rngs = parse_names<experiment::RngMode>(rd, rd.string_column(g, "rng", n), "rng",
                                                     [](const std::string& s) { return experiment::parse_rng(s); });
  const auto K = int32s("K"), d = int32s("n_order_fit");
  const auto N = int64s("N"), N_avg = int64s("N_avg"), N_total = int64s("N_total");
  const auto ratio = doubles("ratio");
  const auto N_obs = int64s("N_obs"), N_sint = int64s("N_sint"), N_jint = int64s("N_jint");
  const auto point = int64s("point"), run = int64s("run"), seed = int64s("seed");
  std::vector<std::vector<double>> metrics[2];
  for (bool truth : {false, true})
    for (Method m : experiment::all_methods) metrics[truth].push_back(doubles(metric_column(truth, m)));
  const auto alpha_obs = doubles("alpha_obs"), alpha_pooled = doubles("alpha_pooled"), alpha_jint = doubles("alpha_jint");
  Reader::Column sint = rd.column(g, "alpha_sint", H5T_FLOAT, 2);
  if (sint.dims[0] != n) rd.fail(Reader::length_problem("alpha_sint", sint.dims[0], n));
  const std::size_t width = static_cast<std::size_t>(sint.dims[1]);
  std::vector<double> alpha_sint(n * width);
  if (!alpha_sint.empty() &&
      H5Dread(sint.set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, alpha_sint.data()) < 0)
    rd.fail("cannot read column 'alpha_sint' (corrupt?)");
  const auto seconds_generate = doubles("seconds_generate"), seconds_solve = doubles("seconds_solve");
  const auto samples = int64s("samples_generated");
  const auto status = rd.string_column(g, "status", n);

  std::vector<ResultRow> rows(n);
  for (std::size_t i = 0; i < n; ++i) {
    ResultRow& r = rows[i];
    sweep::SweepPoint& p = r.params;
    p.experiment = experiments[i];
    p.scm_type = scm_types[i];
    p.K = K[i];
    p.n_order_fit = d[i];
    p.regularization = regs[i];
    p.N = N[i];
    p.N_avg = N_avg[i];
    p.ratio = ratio[i];
    p.N_total = N_total[i];
    p.N_obs = N_obs[i];
    p.N_sint = N_sint[i];
    p.N_jint = N_jint[i];
    r.rng = rngs[i];
    r.point = point[i];
    if (run[i] < 0 || run[i] > std::numeric_limits<std::int32_t>::max() || seed[i] < 0 ||
        seed[i] > std::numeric_limits<std::uint32_t>::max() || K[i] < 1 || static_cast<std::size_t>(K[i]) > width)
      rd.fail("row " + std::to_string(i) + " has an invalid run, seed or K");
    r.run = static_cast<std::int32_t>(run[i]);
    r.seed = static_cast<std::uint32_t>(seed[i]);
    for (std::size_t m = 0; m < experiment::n_methods; ++m) {
      r.result.methods[m].rmse = metrics[0][m][i];
      r.result.methods[m].truth_rmse = metrics[1][m][i];
    }
    r.result.alpha_obs = alpha_obs[i];
    r.result.alpha_pooled = alpha_pooled[i];
    r.result.alpha_jint = alpha_jint[i];
    // The row's K entries; all NaN means "not fitted" (written from an empty alpha_sint).
    const auto first = alpha_sint.begin() + static_cast<std::ptrdiff_t>(i * width);
    const auto last = first + K[i];
    if (!std::all_of(first, last, [](double a) { return std::isnan(a); })) r.result.alpha_sint.assign(first, last);
    r.result.seconds_generate = seconds_generate[i];
    r.result.seconds_solve = seconds_solve[i];
    r.result.samples_generated = samples[i];
    r.status = status[i];
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Root attributes and /sweep

void write_metadata(const Writer& w, hid_t file, const FileMetadata& m) {
  w.string_attribute(file, "format", format_name);
  w.int_attribute(file, "format_version", format_version);
  w.string_attribute(file, "igbench_version", m.igbench_version);
  w.string_attribute(file, "git_commit", m.git_commit);
  w.string_attribute(file, "command_line", m.command_line);
  w.string_attribute(file, "host", m.host);
  w.string_attribute(file, "start_time", m.start_time);
  w.string_attribute(file, "end_time", m.end_time);
  w.int_attribute(file, "ranks", m.ranks);
  w.int_attribute(file, "threads", m.threads);
  w.string_attribute(file, "experiment", m.experiment);
  w.int_attribute(file, "complete", m.complete ? 1 : 0);
  w.int_attribute(file, "n_tasks", m.n_tasks);
}

FileMetadata read_metadata(const Reader& rd, hid_t file) {
  const char* root = "the root group";
  FileMetadata m;
  m.igbench_version = rd.string_attribute(file, "igbench_version", root);
  m.git_commit = rd.string_attribute(file, "git_commit", root);
  m.command_line = rd.string_attribute(file, "command_line", root);
  m.host = rd.string_attribute(file, "host", root);
  m.start_time = rd.string_attribute(file, "start_time", root);
  m.end_time = rd.string_attribute(file, "end_time", root);
  m.ranks = rd.int_attribute(file, "ranks", root);
  m.threads = rd.int_attribute(file, "threads", root);
  m.experiment = rd.string_attribute(file, "experiment", root);
  m.complete = rd.int_attribute(file, "complete", root) != 0;
  m.n_tasks = rd.int_attribute(file, "n_tasks", root);
  return m;
}

// Values of one axis over every spec, distinct, in order of first appearance.
template <class T, class F>
std::vector<T> union_of(const std::vector<sweep::SweepSpec>& specs, F&& axis) {
  std::vector<T> out;
  for (const sweep::SweepSpec& s : specs)
    for (const auto& v : axis(s))
      if (std::find(out.begin(), out.end(), static_cast<T>(v)) == out.end()) out.push_back(static_cast<T>(v));
  return out;
}

// /sweep of a file holding several sweeps: the spec texts joined by "---" lines; a scalar that
// differs between them is written as "mixed" (strings) or -1 (integers), each axis as the union of
// its values in order of first appearance, a sample-size axis when any sweep has it.
void write_sweep(const Writer& w, hid_t file, const SweepDescription& sweep) {
  Handle group(w.check(H5Gcreate2(file, "sweep", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "/sweep"), H5Gclose);
  const hid_t g = group.get();
  const std::vector<sweep::SweepSpec>& specs = sweep.specs;
  w.string_attribute(g, "spec", sweep.joined_text());
  auto common_string = [&](auto name_of) {
    const std::vector<std::string> names = union_of<std::string>(specs, [&](const sweep::SweepSpec& s) {
      return std::vector<std::string>{std::string(name_of(s))};
    });
    return names.size() == 1 ? names[0] : std::string("mixed");
  };
  auto common_int = [&](auto value_of) {
    const auto values = union_of<std::int64_t>(specs, [&](const sweep::SweepSpec& s) {
      return std::vector<std::int64_t>{static_cast<std::int64_t>(value_of(s))};
    });
    return values.size() == 1 ? values[0] : std::int64_t{-1};
  };
  w.string_attribute(g, "experiment", common_string([](const sweep::SweepSpec& s) { return experiment::experiment_name(s.experiment); }));
  w.string_attribute(g, "rng", common_string([](const sweep::SweepSpec& s) { return experiment::rng_name(s.rng); }));
  w.int_attribute(g, "N_runs", common_int([](const sweep::SweepSpec& s) { return s.N_runs; }));
  w.int_attribute(g, "seed", common_int([](const sweep::SweepSpec& s) { return s.seed; }));
  auto names = [](const auto& values, auto name_of) {
    std::vector<std::string> out;
    for (const auto& v : values) out.emplace_back(name_of(v));
    return out;
  };
  w.string_array_attribute(g, "scm_type", union_of<std::string>(specs, [&](const sweep::SweepSpec& s) {
                             return names(s.scm_types, scm::scm_type_name);
                           }));
  w.string_array_attribute(g, "regularization", union_of<std::string>(specs, [&](const sweep::SweepSpec& s) {
                             return names(s.regularizations, fit::regularization_name);
                           }));
  w.string_array_attribute(g, "methods", union_of<std::string>(specs, [&](const sweep::SweepSpec& s) {
                             std::vector<std::string> out;
                             const experiment::MethodSet m = sweep::sweep_methods(s);
                             for (Method x : experiment::all_methods)
                               if (m.has(x)) out.emplace_back(experiment::method_name(x));
                             return out;
                           }));
  w.number_array_attribute(g, "K", union_of<std::int64_t>(specs, [](const sweep::SweepSpec& s) { return s.K; }),
                           H5T_STD_I64LE, H5T_NATIVE_INT64);
  w.number_array_attribute(g, "n_order_fit",
                           union_of<std::int64_t>(specs, [](const sweep::SweepSpec& s) { return s.n_order_fit; }),
                           H5T_STD_I64LE, H5T_NATIVE_INT64);
  auto has = [&](experiment::ExperimentKind e) {
    return std::any_of(specs.begin(), specs.end(), [&](const sweep::SweepSpec& s) { return s.experiment == e; });
  };
  auto of_kind = [&](experiment::ExperimentKind e) {
    std::vector<sweep::SweepSpec> out;
    for (const sweep::SweepSpec& s : specs)
      if (s.experiment == e) out.push_back(s);
    return out;
  };
  if (has(experiment::ExperimentKind::main))
    w.number_array_attribute(g, "N", union_of<std::int64_t>(of_kind(experiment::ExperimentKind::main), [](const sweep::SweepSpec& s) { return s.N; }),
                             H5T_STD_I64LE, H5T_NATIVE_INT64);
  if (has(experiment::ExperimentKind::ratio)) {
    const auto ratio_specs = of_kind(experiment::ExperimentKind::ratio);
    w.number_array_attribute(g, "N_avg", union_of<std::int64_t>(ratio_specs, [](const sweep::SweepSpec& s) { return s.N_avg; }),
                             H5T_STD_I64LE, H5T_NATIVE_INT64);
    w.number_array_attribute(g, "ratios", union_of<double>(ratio_specs, [](const sweep::SweepSpec& s) { return s.ratios; }),
                             H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
  }
  if (has(experiment::ExperimentKind::convergence))
    w.number_array_attribute(g, "N_total",
                             union_of<std::int64_t>(of_kind(experiment::ExperimentKind::convergence),
                                                    [](const sweep::SweepSpec& s) { return s.N_total; }),
                             H5T_STD_I64LE, H5T_NATIVE_INT64);
}

// The sweeps are read from the `spec` text (the other /sweep attributes are for readers in other
// languages).
SweepDescription read_sweep(const Reader& rd, hid_t file) {
  if (H5Lexists(file, "sweep", H5P_DEFAULT) <= 0) rd.fail("no /sweep group");
  Handle group(H5Gopen2(file, "sweep", H5P_DEFAULT), H5Gclose);
  if (!group.valid()) rd.fail("cannot open /sweep");
  SweepDescription d;
  for (const std::string& text : split_spec_texts(rd.string_attribute(group.get(), "spec", "/sweep"))) {
    try {
      d.specs.push_back(parse_canonical_text(text));
    } catch (const std::invalid_argument& e) {
      rd.fail(std::string("unreadable /sweep spec (") + e.what() + ")");
    }
    d.texts.push_back(text);
  }
  if (d.texts.empty()) rd.fail("empty /sweep spec");
  return d;
}

void check_is_our_file(const Reader& rd, hid_t file) {
  if (H5Aexists(file, "format") <= 0)
    rd.fail(std::string("not an igbench results file (HDF5 without a 'format' attribute; expected '") +
            format_name + "')");
  const std::string format = rd.string_attribute(file, "format", "the root group");
  if (format != format_name)
    rd.fail("not an igbench results file (format is '" + format + "', expected '" + format_name + "')");
  const std::int64_t version = rd.int_attribute(file, "format_version", "the root group");
  if (version > format_version)
    rd.fail("format_version " + std::to_string(version) + " is newer than this igbench reads (" +
            std::to_string(format_version) + "); use a newer igbench");
  if (version < 1) rd.fail("invalid format_version " + std::to_string(version));
}

}  // namespace

const std::vector<std::string>& run_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c = {"experiment", "scm_type", "regularization", "rng", "K", "n_order_fit",
                                  "N", "N_avg", "ratio", "N_total", "N_obs", "N_sint", "N_jint",
                                  "point", "run", "seed"};
    for (bool truth : {false, true})
      for (Method m : experiment::all_methods) c.push_back(metric_column(truth, m));
    for (const char* name : {"alpha_obs", "alpha_pooled", "alpha_jint", "alpha_sint", "seconds_generate",
                             "seconds_solve", "samples_generated", "status"})
      c.emplace_back(name);
    return c;
  }();
  return columns;
}

void write_results_file(const fs::path& path, const ResultsFile& file) {
  silence_hdf5();
  std::vector<ResultRow> rows = file.rows;
  sort_rows(rows);
  (void)alpha_sint_width(rows);  // reject malformed rows before creating anything
  atomic_replace(path, [&](const fs::path& tmp) {
    const Writer w(path);
    Handle fapl = file_access();
    Handle h5(w.check(H5Fcreate(tmp.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get()), "create " + tmp.filename().string()),
              H5Fclose);
    write_metadata(w, h5.get(), file.metadata);
    write_sweep(w, h5.get(), file.sweep);
    write_runs(w, h5.get(), rows);
    w.check(H5Fflush(h5.get(), H5F_SCOPE_GLOBAL), "flush");
    if (!h5.close()) w.fail("close");
  });
}

ResultsFile read_results_file(const fs::path& path) {
  silence_hdf5();
  std::error_code ec;
  if (!fs::exists(path, ec)) throw FileError(path, "no such file");
  if (fs::is_directory(path, ec)) throw FileError(path, "is a directory, not a results file");
  const Reader rd(path);
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0) rd.fail("cannot read");
  if (is_hdf5 == 0) throw FileError(path, "not an HDF5 file (expected an igbench results file)");
  Handle fapl = file_access();
  Handle h5(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose);
  if (!h5.valid()) rd.fail("truncated or corrupt HDF5 file");
  check_is_our_file(rd, h5.get());
  ResultsFile out;
  out.metadata = read_metadata(rd, h5.get());
  out.sweep = read_sweep(rd, h5.get());
  out.rows = read_runs(rd, h5.get());
  return out;
}

}  // namespace igbench::io
