#pragma once
// A small HDF5 wrapper (private to src/io): RAII handles, attribute and dataset helpers, HDF5
// errors turned into one-line io::FileError messages naming the file. The only header that
// includes hdf5.h.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "igbench/io/error.hpp"

namespace igbench::io::h5 {

// An HDF5 identifier closed on scope exit.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), close_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  ~Handle() { reset(); }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();
  // Closes now and reports whether the close succeeded (a file's close writes its metadata).
  bool close();

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

// Our messages replace HDF5's automatic error printing (idempotent).
void silence_errors();
// The most specific message on HDF5's error stack ("" when empty); clears the stack.
std::string error_detail();
// Dataset creation properties for `rows` rows of `columns` values: chunked, with the Fletcher32
// checksum filter, so a reader detects corrupt data; contiguous when empty.
Handle dataset_creation(hsize_t rows, hsize_t columns);

// The writer of one file. Every failure throws FileError("<shown>: cannot write: <what> (<detail>)").
class Writer {
 public:
  explicit Writer(std::filesystem::path shown) : shown_(std::move(shown)) {}
  [[noreturn]] void fail(const std::string& what) const;
  template <class T>
  T check(T id_or_status, const std::string& what) const {
    if (id_or_status < 0) fail(what);
    return id_or_status;
  }
  // A new file in memory (HDF5's core driver, no backing store): HDF5 never writes to disk, so a
  // full disk or an I/O error can only meet our own write of image() (io/file_ops.hpp).
  Handle create_memory_file() const;
  // The bytes of an HDF5 file of a memory file, after flushing it.
  std::string image(hid_t file) const;
  Handle create_group(hid_t where, const char* name) const;
  void string_attribute(hid_t where, const char* name, const std::string& value) const;
  void int_attribute(hid_t where, const char* name, std::int64_t value) const;
  void string_array_attribute(hid_t where, const char* name, const std::vector<std::string>& values) const;
  void int_array_attribute(hid_t where, const char* name, const std::vector<std::int64_t>& values) const;
  void double_array_attribute(hid_t where, const char* name, const std::vector<double>& values) const;
  // A numeric dataset of shape `dims` (rows, or rows x columns) from `data` in memory type `memory_type`.
  void numeric_dataset(hid_t group, const char* name, hid_t file_type, hid_t memory_type, const void* data,
                       const std::vector<hsize_t>& dims) const;
  // A 1-D fixed-length, NULL-padded string dataset; values longer than `bytes` are cut.
  void string_dataset(hid_t group, const char* name, const std::vector<std::string>& values, std::size_t bytes) const;

 private:
  std::filesystem::path shown_;
};

// The reader of one file. Every failure throws FileError("<path>: <problem> (<detail>)").
class Reader {
 public:
  explicit Reader(std::filesystem::path path) : path_(std::move(path)) {}
  [[noreturn]] void fail(const std::string& problem) const;
  const std::filesystem::path& path() const { return path_; }

  // Opens the bytes of a file (read-only, in memory); checks the HDF5 signature first.
  Handle open_image(const std::string& bytes) const;
  Handle open_group(hid_t where, const char* name) const;
  bool has_attribute(hid_t where, const char* name) const { return H5Aexists(where, name) > 0; }
  bool has_link(hid_t where, const std::string& name) const { return H5Lexists(where, name.c_str(), H5P_DEFAULT) > 0; }
  std::string string_attribute(hid_t where, const char* name, const char* where_name) const;
  std::int64_t int_attribute(hid_t where, const char* name, const char* where_name) const;

  // A dataset of a group after checking its type class and rank, with its shape.
  struct Dataset {
    Handle set;
    Handle type;
    std::vector<hsize_t> dims;
  };
  Dataset dataset(hid_t group, const std::string& name, H5T_class_t expected, int rank) const;
  // All values of a numeric dataset, read as `memory_type` into `out` (sized by the caller).
  void read_numeric(const Dataset& d, const std::string& name, hid_t memory_type, void* out) const;
  // A 1-D fixed-length string dataset's values (trailing NULs removed).
  std::vector<std::string> read_strings(const Dataset& d, const std::string& name) const;

 private:
  Handle attribute(hid_t where, const char* name, const char* where_name) const;
  std::filesystem::path path_;
};

}  // namespace igbench::io::h5
