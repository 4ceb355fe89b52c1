#pragma once
// Running an untrusted parse in a child process: HDF5 1.10 can crash (SIGSEGV) or loop on corrupt
// metadata, so a results file is first read in a fork()ed child; a crash or a timeout there
// becomes an ordinary error in the parent, which then reads the same bytes itself.
#include <chrono>
#include <functional>
#include <string>

namespace igbench::io {

struct IsolatedOutcome {
  enum class Kind { ok, error, crashed, timed_out } kind = Kind::ok;
  std::string message;  // error: what `check` threw; crashed: the signal
};

// Calls check() in a child process: ok when it returns, error (with the exception's what())
// when it throws, crashed when the child dies by a signal or exits otherwise, timed_out (the
// child is killed) after `timeout`. The child leaves with _exit: no atexit handler, no stdio
// flush, no library shutdown.
IsolatedOutcome run_isolated(const std::function<void()>& check, std::chrono::seconds timeout);

}  // namespace igbench::io
