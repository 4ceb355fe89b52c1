#include <iostream>
#include <string_view>

#include "igbench/cli/commands.hpp"

namespace igbench::cli {
int dispatch(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "igbench: missing subcommand (try 'igbench --help')\n";
    return exit_usage;
  }
  std::cerr << "igbench: unknown subcommand '" << std::string_view(argv[1]) << "'\n";
  return exit_usage;
}
}  // namespace igbench::cli
