#pragma once
// One writer per result file: an exclusive lock on PATH.lock, held for the writer's lifetime.
//
// The lock is an open-file-description lock (fcntl F_OFD_SETLK; plain F_SETLK where the kernel
// lacks OFD locks) on the whole of PATH.lock. The kernel drops it when the holder dies, kill -9
// included, so a dead holder never blocks a later --resume. The holder writes who it is into the
// file (host, pid, start time, command line) so a refused writer can name it.
//
// What this relies on:
//  - local file systems: POSIX record locks (always available);
//  - NFS v3 (NLM/lockd) and v4 (locks in the protocol): the lock is seen by every client; a
//    crashed client's lock is released when its lease expires (NFSv4: about 90 s) or the server's
//    lock manager learns of the reboot;
//  - Lustre: only when mounted with `-o flock` (coherent across clients); `-o localflock` makes
//    it node-local and `-o noflock` refuses locks (ENOSYS). A file system that refuses locks
//    (ENOLCK, ENOSYS, EOPNOTSUPP) is reported by try_acquire() as unsupported, and the caller may
//    fall back to the holder file's pid check on the same host (see describe()).
#include <filesystem>
#include <optional>
#include <string>

namespace igbench::io {

// Who holds (or last held) a lock: the contents of PATH.lock.
struct LockHolder {
  std::string host;
  long pid = 0;
  std::string start_time;    // ISO 8601 UTC
  std::string command_line;  // may be empty
  // "host H, pid P, started T" (what a refusal message names).
  std::string describe() const;
};

// The lock file of results file `path`: PATH.lock.
std::filesystem::path lock_path(const std::filesystem::path& path);

// Text form of a holder (one "key=value" per line) and back; parse ignores unknown or malformed
// lines (a torn file yields a partial holder, never an exception).
std::string format_holder(const LockHolder& holder);
LockHolder parse_holder(const std::string& text);

class FileLock {
 public:
  enum class Outcome {
    acquired,     // this process holds the lock
    held,         // another process holds it; holder() says who
    unsupported,  // the file system refuses locks (see the header comment)
  };

  // Tries once, without waiting. On `acquired` the holder info is written into the lock file;
  // `me` is recorded as the holder. Throws FileError when the lock file cannot be created or
  // opened (missing folder, permissions).
  static FileLock try_acquire(const std::filesystem::path& results_path, const LockHolder& me);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  // Releases the lock; an acquired lock's file is removed first (while still locked).
  ~FileLock();

  Outcome outcome() const { return outcome_; }
  bool acquired() const { return outcome_ == Outcome::acquired; }
  // For `held`: the holder as its lock file names it (fields empty if it could not be read).
  const LockHolder& holder() const { return holder_; }
  const std::filesystem::path& path() const { return path_; }
  // Releases now (idempotent).
  void release();

 private:
  FileLock() = default;
  std::filesystem::path path_;
  int fd_ = -1;
  Outcome outcome_ = Outcome::held;
  LockHolder holder_;
};

// The holder of the current process: this host, getpid(), now, `command_line`.
LockHolder this_process_holder(const std::string& command_line);

// Whether a process with this pid exists on this host (kill(pid, 0)); used to judge a holder
// file on a file system without locks.
bool process_alive(long pid);

}  // namespace igbench::io
