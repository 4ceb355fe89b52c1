// libFuzzer target: the experiment commands' option parsing (command line -> DriverOptions) and
// the list parsers. Input: the first byte picks the command; the rest is split at NUL or newline
// into arguments. Property: every input is accepted or refused with UsageError (exit 2), never a
// crash, a sanitizer report or another exception.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "igbench/cli/experiment_options.hpp"
#include "igbench/cli/options.hpp"

using namespace igbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > 4096) return 0;
  static const char* const commands[] = {"main", "ratio", "convergence", "sweep"};
  const char* command = commands[data[0] % 4];
  std::vector<std::string> args(1);
  for (std::size_t i = 1; i < size; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\0' || c == '\n')
      args.emplace_back();
    else
      args.back() += c;
  }
  // --config reads a file the input would name (e.g. /dev/zero); fuzz_config covers it.
  for (const std::string& a : args)
    if (a.find("config") != std::string::npos || a == "--help" || a == "-h") return 0;
  try {
    (void)cli::parse_experiment_options(command, args);
  } catch (const cli::UsageError&) {
  } catch (const std::exception& e) {
    fuzz::unexpected("fuzz_options", e);
  }
  // The list parsers on the raw text.
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try { (void)cli::parse_int_list(text, "--N"); } catch (const cli::UsageError&) {}
  try { (void)cli::parse_double_list(text, "--ratios"); } catch (const cli::UsageError&) {}
  try { (void)cli::parse_word_list(text, "--methods"); } catch (const cli::UsageError&) {}
  return 0;
}
