#include "hdf5_file.hpp"

#include <algorithm>

namespace igbench::io::h5 {

namespace fs = std::filesystem;

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = -1;
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && close_ != nullptr) close_(id_);
  id_ = -1;
}

bool Handle::close() {
  const herr_t rc = id_ >= 0 && close_ != nullptr ? close_(id_) : 0;
  id_ = -1;
  return rc >= 0;
}

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string error_detail() {
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

namespace {
std::string with_detail(const std::string& problem) {
  const std::string detail = error_detail();
  return detail.empty() ? problem : problem + " (" + detail + ")";
}
}  // namespace

Handle dataset_creation(hsize_t rows, hsize_t columns) {
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  if (rows == 0 || columns == 0) return dcpl;
  // Chunks of at most 65536 rows (0.5 MB of doubles per column and action).
  const hsize_t chunk[2] = {std::min<hsize_t>(rows, 65536), columns};
  H5Pset_chunk(dcpl.get(), columns == 1 ? 1 : 2, chunk);
  H5Pset_fletcher32(dcpl.get());
  return dcpl;
}

// ---------------------------------------------------------------------------------------------
// Writer

void Writer::fail(const std::string& what) const { throw FileError(shown_, with_detail("cannot write: " + what)); }

Handle Writer::create_memory_file() const {
  Handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), "file access"), H5Pclose);
  check(H5Pset_fapl_core(fapl.get(), std::size_t{1} << 20, false), "core driver");
  return Handle(check(H5Fcreate("igbench-memory-file", H5F_ACC_EXCL, H5P_DEFAULT, fapl.get()), "create"), H5Fclose);
}

std::string Writer::image(hid_t file) const {
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush");
  const ssize_t size = check(H5Fget_file_image(file, nullptr, 0), "file image");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  check(H5Fget_file_image(file, bytes.data(), bytes.size()), "file image");
  return bytes;
}

Handle Writer::create_group(hid_t where, const char* name) const {
  return Handle(check(H5Gcreate2(where, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), name), H5Gclose);
}

void Writer::string_attribute(hid_t where, const char* name, const std::string& value) const {
  Handle type(check(H5Tcopy(H5T_C_S1), name), H5Tclose);
  check(H5Tset_size(type.get(), H5T_VARIABLE), name);
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), name);
  Handle space(check(H5Screate(H5S_SCALAR), name), H5Sclose);
  Handle attr(check(H5Acreate2(where, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), name), H5Aclose);
  const char* data = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &data), name);
}

void Writer::int_attribute(hid_t where, const char* name, std::int64_t value) const {
  Handle space(check(H5Screate(H5S_SCALAR), name), H5Sclose);
  Handle attr(check(H5Acreate2(where, name, H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), name), H5Aclose);
  check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &value), name);
}

void Writer::string_array_attribute(hid_t where, const char* name, const std::vector<std::string>& values) const {
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

namespace {
void array_attribute(const Writer& w, hid_t where, const char* name, hsize_t n, hid_t file_type, hid_t memory_type,
                     const void* data) {
  Handle space(w.check(H5Screate_simple(1, &n, nullptr), name), H5Sclose);
  Handle attr(w.check(H5Acreate2(where, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), name), H5Aclose);
  w.check(H5Awrite(attr.get(), memory_type, data), name);
}
}  // namespace

void Writer::int_array_attribute(hid_t where, const char* name, const std::vector<std::int64_t>& values) const {
  array_attribute(*this, where, name, values.size(), H5T_STD_I64LE, H5T_NATIVE_INT64, values.data());
}

void Writer::double_array_attribute(hid_t where, const char* name, const std::vector<double>& values) const {
  array_attribute(*this, where, name, values.size(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values.data());
}

void Writer::numeric_dataset(hid_t group, const char* name, hid_t file_type, hid_t memory_type, const void* data,
                             const std::vector<hsize_t>& dims) const {
  Handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), name), H5Sclose);
  Handle dcpl = dataset_creation(dims[0], dims.size() > 1 ? dims[1] : 1);
  Handle set(check(H5Dcreate2(group, name, file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), name),
             H5Dclose);
  hsize_t elements = 1;
  for (hsize_t d : dims) elements *= d;
  if (elements > 0) check(H5Dwrite(set.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), name);
}

void Writer::string_dataset(hid_t group, const char* name, const std::vector<std::string>& values,
                            std::size_t bytes) const {
  Handle type(check(H5Tcopy(H5T_C_S1), name), H5Tclose);
  check(H5Tset_size(type.get(), bytes), name);
  check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), name);
  std::string buffer(values.size() * bytes, '\0');
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i].copy(buffer.data() + i * bytes, std::min(bytes, values[i].size()));
  const hsize_t n = values.size();
  Handle space(check(H5Screate_simple(1, &n, nullptr), name), H5Sclose);
  Handle dcpl = dataset_creation(n, 1);
  Handle set(check(H5Dcreate2(group, name, type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), name),
             H5Dclose);
  if (n > 0) check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), name);
}

// ---------------------------------------------------------------------------------------------
// Reader

void Reader::fail(const std::string& problem) const { throw FileError(path_, with_detail(problem)); }

Handle Reader::open_image(const std::string& bytes) const {
  // The signature at offset 0 or after a user block (512, 1024, 2048, ... bytes).
  static const std::string signature("\211HDF\r\n\032\n", 8);
  bool found = false;
  for (std::size_t at = 0; at + signature.size() <= bytes.size() && !found; at = at == 0 ? 512 : 2 * at)
    found = bytes.compare(at, signature.size(), signature) == 0;
  if (!found) throw FileError(path_, "not an HDF5 file (expected an igbench results file)");
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!fapl.valid() || H5Pset_fapl_core(fapl.get(), std::size_t{1} << 20, false) < 0 ||
      H5Pset_file_image(fapl.get(), const_cast<char*>(bytes.data()), bytes.size()) < 0)
    fail("cannot read");
  Handle h5(H5Fopen("igbench-memory-file", H5F_ACC_RDONLY, fapl.get()), H5Fclose);
  if (!h5.valid()) fail("truncated or corrupt HDF5 file");
  return h5;
}

Handle Reader::open_group(hid_t where, const char* name) const {
  if (!has_link(where, name)) fail(std::string("no /") + name + " group");
  Handle group(H5Gopen2(where, name, H5P_DEFAULT), H5Gclose);
  if (!group.valid()) fail(std::string("cannot open /") + name);
  return group;
}

Handle Reader::attribute(hid_t where, const char* name, const char* where_name) const {
  if (!has_attribute(where, name)) fail(std::string("missing attribute '") + name + "' on " + where_name);
  Handle attr(H5Aopen(where, name, H5P_DEFAULT), H5Aclose);
  if (!attr.valid()) fail(std::string("cannot open attribute '") + name + "'");
  return attr;
}

std::string Reader::string_attribute(hid_t where, const char* name, const char* where_name) const {
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
  if (size == 0 || size > (1u << 24)) fail(std::string("attribute '") + name + "' has an invalid size");
  std::string buffer(size, '\0');
  if (H5Aread(attr.get(), type.get(), buffer.data()) < 0) fail(std::string("cannot read attribute '") + name + "'");
  return buffer.substr(0, buffer.find('\0'));
}

std::int64_t Reader::int_attribute(hid_t where, const char* name, const char* where_name) const {
  Handle attr = attribute(where, name, where_name);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_INTEGER) fail(std::string("attribute '") + name + "' is not an integer");
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  if (H5Sget_simple_extent_npoints(space.get()) != 1) fail(std::string("attribute '") + name + "' is not a scalar");
  std::int64_t value = 0;
  if (H5Aread(attr.get(), H5T_NATIVE_INT64, &value) < 0) fail(std::string("cannot read attribute '") + name + "'");
  return value;
}

Reader::Dataset Reader::dataset(hid_t group, const std::string& name, H5T_class_t expected, int rank) const {
  if (!has_link(group, name)) fail("/runs lacks column '" + name + "'");
  Dataset d;
  d.set = Handle(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.set.valid()) fail("cannot open column '" + name + "'");
  d.type = Handle(H5Dget_type(d.set.get()), H5Tclose);
  if (H5Tget_class(d.type.get()) != expected) fail("column '" + name + "' has the wrong type");
  Handle space(H5Dget_space(d.set.get()), H5Sclose);
  if (H5Sget_simple_extent_ndims(space.get()) != rank)
    fail("column '" + name + "' is not " + std::to_string(rank) + "-dimensional");
  d.dims.assign(static_cast<std::size_t>(rank), 0);
  H5Sget_simple_extent_dims(space.get(), d.dims.data(), nullptr);
  return d;
}

void Reader::read_numeric(const Dataset& d, const std::string& name, hid_t memory_type, void* out) const {
  hsize_t elements = 1;
  for (hsize_t x : d.dims) elements *= x;
  if (elements > 0 && H5Dread(d.set.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
    fail("cannot read column '" + name + "' (corrupt?)");
}

std::vector<std::string> Reader::read_strings(const Dataset& d, const std::string& name) const {
  if (H5Tis_variable_str(d.type.get()) > 0) fail("column '" + name + "' is not a fixed-length string");
  const std::size_t size = H5Tget_size(d.type.get());
  if (size == 0 || size > 4096) fail("column '" + name + "' has an invalid string size");
  const std::size_t rows = d.dims[0];
  std::string buffer(rows * size, '\0');
  if (rows > 0 && H5Dread(d.set.get(), d.type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
    fail("cannot read column '" + name + "' (corrupt?)");
  std::vector<std::string> values(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string s = buffer.substr(i * size, size);
    values[i] = s.substr(0, s.find('\0'));
  }
  return values;
}

}  // namespace igbench::io::h5
