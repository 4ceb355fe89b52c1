#include "igbench/io/isolated.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

namespace igbench::io {

namespace {

// Everything the child wrote to `fd` until it closed it or the deadline passed; false on timeout.
bool read_until_closed(int fd, std::string& out, std::chrono::steady_clock::time_point deadline) {
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) return rc == 0 ? false : true;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

void write_all_ignoring_errors(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

IsolatedOutcome run_isolated(const std::function<void()>& check, std::chrono::seconds timeout) {
  int fds[2];
  if (::pipe(fds) != 0) {  // cannot isolate: run in process (the caller's own read follows anyway)
    return {};
  }
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {};
  }
  if (child == 0) {
    ::close(fds[0]);
    // The child reports through the pipe only: whatever a crashing library (or a sanitizer's
    // report of it) writes to stderr must not reach the user, whose error is one line.
    if (const int null = ::open("/dev/null", O_WRONLY); null >= 0) {
      ::dup2(null, STDERR_FILENO);
      ::close(null);
    }
    // Protocol: "E<message>" for an error, "O" for success; exit code 0 either way.
    try {
      check();
      write_all_ignoring_errors(fds[1], "O");
    } catch (const std::exception& e) {
      write_all_ignoring_errors(fds[1], std::string("E") + e.what());
    } catch (...) {
      write_all_ignoring_errors(fds[1], "Eunknown error");
    }
    ::close(fds[1]);
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string reply;
  const bool closed = read_until_closed(fds[0], reply, std::chrono::steady_clock::now() + timeout);
  ::close(fds[0]);
  if (!closed) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  IsolatedOutcome out;
  if (!closed) {
    out.kind = IsolatedOutcome::Kind::timed_out;
  } else if (WIFSIGNALED(status)) {
    out.kind = IsolatedOutcome::Kind::crashed;
    out.message = std::string("signal ") + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || reply.empty()) {
    out.kind = IsolatedOutcome::Kind::crashed;
    out.message = "exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else if (reply[0] == 'E') {
    out.kind = IsolatedOutcome::Kind::error;
    out.message = reply.substr(1);
  }
  return out;
}

}  // namespace igbench::io
