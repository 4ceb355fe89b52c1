#pragma once
// Durable file operations (POSIX): unique temporary names, fsync of files and directories, and the
// atomic replace "write PATH.tmp.<unique>, fsync it, rename over PATH, fsync the directory".
// Failures throw io::FileError naming the file.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace igbench::io {

// PATH.tmp.<pid>.<counter>: unique among concurrent writers on one host and within a process.
std::filesystem::path unique_tmp_path(const std::filesystem::path& path);

// fsync(2) of a file's data and metadata.
void fsync_file(const std::filesystem::path& path);
// fsync(2) of the directory holding `path`, so a rename or unlink in it is durable.
void fsync_parent_directory(const std::filesystem::path& path);

// Calls write(tmp) for a fresh unique temporary path, fsyncs it, renames it over `path` and
// fsyncs the directory. If write throws, the temporary file is removed and the exception goes on;
// `path` is then untouched.
void atomic_replace(const std::filesystem::path& path,
                    const std::function<void(const std::filesystem::path& tmp)>& write);

// Creates `path` (which must not exist) holding `bytes`, with write(2) and close(2); a failure
// (ENOSPC, EIO, ...) throws WriteError naming `shown` and leaves the partial file to the caller.
void write_new_file(const std::filesystem::path& path, const std::string& bytes, const std::filesystem::path& shown);
// The whole content of a file; throws FileError when it is missing, unreadable or longer than
// max_bytes.
std::string read_whole_file(const std::filesystem::path& path, std::uintmax_t max_bytes);

// Removes the temporaries a killed writer of `path` may have left: PATH.tmp.* and
// PATH.journal.<n>.tmp.* (never the results file or a journal). Returns how many.
std::size_t remove_stale_temporaries(const std::filesystem::path& path);

// Files in the directory of `path` named "<filename of path><suffix><digits>", sorted, e.g. the
// journals PATH.journal.0, PATH.journal.1 for suffix ".journal.".
std::vector<std::filesystem::path> numbered_siblings(const std::filesystem::path& path, const std::string& suffix);

}  // namespace igbench::io
