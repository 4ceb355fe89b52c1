#include "igbench/io/file_lock.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "igbench/io/error.hpp"
#include "igbench/io/metadata.hpp"

namespace igbench::io {

namespace fs = std::filesystem;

std::string LockHolder::describe() const {
  std::ostringstream s;
  s << "host " << (host.empty() ? "?" : host) << ", pid " << pid << ", started "
    << (start_time.empty() ? "?" : start_time);
  return s.str();
}

fs::path lock_path(const fs::path& path) { return fs::path(path.string() + ".lock"); }

std::string format_holder(const LockHolder& h) {
  // One field per line; newlines in the command line would break the format, so they become spaces.
  std::string cmd = h.command_line;
  for (char& c : cmd)
    if (c == '\n' || c == '\r') c = ' ';
  return "host=" + h.host + "\npid=" + std::to_string(h.pid) + "\nstart_time=" + h.start_time + "\ncommand_line=" + cmd +
         "\n";
}

LockHolder parse_holder(const std::string& text) {
  LockHolder h;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "host") h.host = value;
    if (key == "start_time") h.start_time = value;
    if (key == "command_line") h.command_line = value;
    if (key == "pid") {
      long pid = 0;
      bool digits = !value.empty() && value.size() < 19;
      for (char c : value) digits = digits && c >= '0' && c <= '9';
      if (digits) pid = std::stol(value);
      h.pid = pid;
    }
  }
  return h;
}

LockHolder this_process_holder(const std::string& command_line) {
  return {host_name(), static_cast<long>(getpid()), iso8601_utc_now(), command_line};
}

bool process_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

namespace {

// A write lock on the whole file, without waiting: 0, or the errno of the refusal.
int lock_whole_file(int fd) {
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0;  // to the end, however long
#ifdef F_OFD_SETLK
  // Open-file-description locks: owned by this descriptor, not the process, so they conflict
  // between two descriptors of one process too and survive closing other descriptors of the file.
  if (::fcntl(fd, F_OFD_SETLK, &fl) == 0) return 0;
  if (errno != EINVAL) return errno;
#endif
  return ::fcntl(fd, F_SETLK, &fl) == 0 ? 0 : errno;
}

// Whether the descriptor still names the file at `path` (a previous holder may have removed it
// between our open and our lock).
bool still_linked(int fd, const fs::path& path) {
  struct stat a {}, b {};
  if (::fstat(fd, &a) != 0 || ::stat(path.c_str(), &b) != 0) return false;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

std::string read_all(int fd) {
  std::string text;
  char buf[4096];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, offset);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    offset += n;
    if (text.size() > (1u << 20)) break;  // a foreign or runaway file: the first MiB says enough
  }
  return text;
}

void write_holder(int fd, const fs::path& path, const LockHolder& me) {
  const std::string text = format_holder(me);
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
    throw FileError(path, std::string("cannot write the lock holder (") + std::strerror(errno) + ")");
}

}  // namespace

FileLock FileLock::try_acquire(const fs::path& results_path, const LockHolder& me) {
  FileLock lock;
  lock.path_ = lock_path(results_path);
  // A few attempts: each failure of still_linked() means a holder released (and removed the file)
  // in between, so the next attempt works on a fresh file.
  for (int attempt = 0; attempt < 8; ++attempt) {
    const int fd = ::open(lock.path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw FileError(lock.path_, std::string("cannot create the lock file (") + std::strerror(errno) + ")");
    const int err = lock_whole_file(fd);
    if (err == EAGAIN || err == EACCES) {
      lock.holder_ = parse_holder(read_all(fd));
      ::close(fd);
      lock.outcome_ = Outcome::held;
      return lock;
    }
    if (err != 0) {
      lock.holder_ = parse_holder(read_all(fd));
      ::close(fd);
      lock.outcome_ = Outcome::unsupported;
      return lock;
    }
    if (!still_linked(fd, lock.path_)) {
      ::close(fd);
      continue;
    }
    lock.fd_ = fd;
    lock.outcome_ = Outcome::acquired;
    lock.holder_ = me;
    write_holder(fd, lock.path_, me);
    return lock;
  }
  throw FileError(lock.path_, "the lock file keeps being replaced; is another igbench starting and stopping on it?");
}

FileLock::FileLock(FileLock&& o) noexcept
    : path_(std::move(o.path_)), fd_(o.fd_), outcome_(o.outcome_), holder_(std::move(o.holder_)) {
  o.fd_ = -1;
}

FileLock& FileLock::operator=(FileLock&& o) noexcept {
  if (this != &o) {
    release();
    path_ = std::move(o.path_);
    fd_ = o.fd_;
    outcome_ = o.outcome_;
    holder_ = std::move(o.holder_);
    o.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() { release(); }

void FileLock::release() {
  if (fd_ < 0) return;
  // Remove the file while still holding the lock, and only if it is still ours; a waiting
  // writer that opened it meanwhile notices (still_linked) and retries on a fresh file.
  if (still_linked(fd_, path_)) ::unlink(path_.c_str());
  ::close(fd_);
  fd_ = -1;
}

}  // namespace igbench::io
