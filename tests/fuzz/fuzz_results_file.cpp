// libFuzzer target: the results-file reader (io/results_file.hpp) on arbitrary bytes written to a
// temporary file (the public read function; the reader is being refactored, so this target only
// relies on read_results_file(path) and io::Error). Property: it returns or throws io::Error;
// never a crash, a sanitizer report or another exception (std::bad_alloc included).
#include <cstdint>

#include "fuzz_support.hpp"
#include "igbench/io/error.hpp"
#include "igbench/io/results_file.hpp"

using namespace igbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 262144) return 0;
  const fuzz::TempFile file(data, size);
  try {
    (void)io::read_results_file(file.path());
  } catch (const io::Error&) {
  } catch (const std::exception& e) {
    fuzz::unexpected("fuzz_results_file", e);
  }
  return 0;
}
