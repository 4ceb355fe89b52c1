#pragma once
// The io layer's exceptions. Every message is one line that names the file and the problem, so
// the command line can print it as is.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace igbench::io {

// Base of every io error.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file is missing, unreadable, truncated, corrupt, foreign (not an igbench file) or cannot be
// written. what() is "<path>: <problem>".
class FileError : public Error {
 public:
  FileError(const std::filesystem::path& path, const std::string& problem)
      : Error(path.string() + ": " + problem), path_(path) {}
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writing a file failed for a reason of the machine, not of the input (a full disk, an I/O
// error): the command exits 1 (not 2), and whatever it replaces is untouched.
class WriteError : public FileError {
 public:
  using FileError::FileError;
};

// The operation would overwrite results or mix incompatible ones (an existing output without
// --resume, a different sweep, conflicting rows). what() names the file and how to proceed.
class RefusedError : public Error {
 public:
  using Error::Error;
};

}  // namespace igbench::io
