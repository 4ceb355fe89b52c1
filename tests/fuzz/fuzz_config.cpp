// libFuzzer target: `igbench sweep --config FILE` with the input as the file. Property: accepted,
// or refused with UsageError; never a crash, a sanitizer report or another exception.
#include <cstdint>

#include "fuzz_support.hpp"
#include "igbench/cli/experiment_options.hpp"
#include "igbench/cli/options.hpp"

using namespace igbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) return 0;
  const fuzz::TempFile file(data, size);
  try {
    (void)cli::parse_experiment_options("sweep", {"--config", file.path()});
  } catch (const cli::UsageError&) {
  } catch (const std::exception& e) {
    fuzz::unexpected("fuzz_config", e);
  }
  return 0;
}
