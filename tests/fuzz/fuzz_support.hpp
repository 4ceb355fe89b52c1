#pragma once
// Helpers shared by the libFuzzer targets: input bytes as a temporary file, and a failure that
// libFuzzer records as a crash (abort) for an exception the code should never let out.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

namespace igbench::fuzz {

// A file holding the fuzzer's bytes, removed when it goes out of scope.
class TempFile {
 public:
  TempFile(const std::uint8_t* data, std::size_t size) {
    char name[] = "/tmp/igbench_fuzz_XXXXXX";
    const int fd = mkstemp(name);
    if (fd < 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = write(fd, data + done, size - done);
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
    close(fd);
    path_ = name;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Any exception other than the documented one is a bug: report it and crash for libFuzzer.
[[noreturn]] inline void unexpected(const char* target, const std::exception& e) {
  std::fprintf(stderr, "%s: unexpected exception: %s\n", target, e.what());
  std::abort();
}

}  // namespace igbench::fuzz
