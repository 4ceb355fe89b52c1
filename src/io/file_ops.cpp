#include "igbench/io/file_ops.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "igbench/io/error.hpp"

namespace igbench::io {

namespace fs = std::filesystem;

std::filesystem::path unique_tmp_path(const fs::path& path) {
  static std::atomic<unsigned long> counter{0};
  return fs::path(path.string() + ".tmp." + std::to_string(getpid()) + "." + std::to_string(counter++));
}

namespace {

void fsync_opened(const fs::path& path, int flags, const char* what) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw FileError(path, std::string("cannot open to sync ") + what + " (" + std::strerror(errno) + ")");
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Some file systems refuse fsync on directories (EINVAL); the rename is then as durable as
  // they make it.
  if (rc != 0 && !(err == EINVAL && (flags & O_DIRECTORY)))
    throw WriteError(path, std::string("fsync failed (") + std::strerror(err) + ")");
}

fs::path parent_or_dot(const fs::path& path) {
  const fs::path parent = path.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

}  // namespace

void fsync_file(const fs::path& path) { fsync_opened(path, O_RDONLY, "the file"); }

void fsync_parent_directory(const fs::path& path) {
  fsync_opened(parent_or_dot(path), O_RDONLY | O_DIRECTORY, "its directory");
}

void atomic_replace(const fs::path& path, const std::function<void(const fs::path& tmp)>& write) {
  const fs::path tmp = unique_tmp_path(path);
  try {
    write(tmp);
    fsync_file(tmp);
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      throw WriteError(path, "cannot rename " + tmp.filename().string() + " over it (" + std::strerror(errno) + ")");
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
  fsync_parent_directory(path);
}

void write_new_file(const fs::path& path, const std::string& bytes, const fs::path& shown) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw WriteError(shown, "cannot create " + path.filename().string() + " (" + std::strerror(errno) + ")");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      throw WriteError(shown, std::string("cannot write (") + std::strerror(err) + ")");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw WriteError(shown, std::string("cannot write (") + std::strerror(errno) + ")");
}

std::string read_whole_file(const fs::path& path, std::uintmax_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw FileError(path, std::string("cannot open (") + std::strerror(errno) + ")");
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw FileError(path, std::string("read error (") + std::strerror(err) + ")");
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
    if (bytes.size() > max_bytes) {
      ::close(fd);
      throw FileError(path, "longer than " + std::to_string(max_bytes) + " bytes: not a file this program reads");
    }
  }
  ::close(fd);
  return bytes;
}

std::size_t remove_stale_temporaries(const fs::path& path) {
  const std::string name = path.filename().string();
  const std::string tmp_prefix = name + ".tmp.", journal_prefix = name + ".journal.";
  std::size_t removed = 0;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(parent_or_dot(path), ec)) {
    const std::string f = entry.path().filename().string();
    const bool tmp = f.compare(0, tmp_prefix.size(), tmp_prefix) == 0;
    const bool journal_tmp = f.compare(0, journal_prefix.size(), journal_prefix) == 0 && f.find(".tmp.") != std::string::npos;
    if ((tmp || journal_tmp) && fs::remove(entry.path(), ec)) ++removed;
  }
  return removed;
}

std::vector<fs::path> numbered_siblings(const fs::path& path, const std::string& suffix) {
  std::vector<fs::path> found;
  const std::string prefix = path.filename().string() + suffix;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(parent_or_dot(path), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string tail = name.substr(prefix.size());
    if (!std::all_of(tail.begin(), tail.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    found.push_back(path.parent_path() / name);
  }
  std::sort(found.begin(), found.end(), [&](const fs::path& a, const fs::path& b) {
    const std::string ta = a.filename().string().substr(prefix.size());
    const std::string tb = b.filename().string().substr(prefix.size());
    return ta.size() != tb.size() ? ta.size() < tb.size() : ta < tb;
  });
  return found;
}

}  // namespace igbench::io
