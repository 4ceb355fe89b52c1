#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "igbench/cli/commands.hpp"
#include "igbench/version.hpp"

namespace igbench::cli {

namespace {

struct Subcommand {
  std::string_view name;
  std::string_view summary;
  int (*run)(const std::vector<std::string>& args);
};

const std::vector<Subcommand>& subcommands() {
  static const std::vector<Subcommand> list = {
      {"scm", "print a sampled SCM and per-regime sample statistics", &scm_command},
  };
  return list;
}

void print_usage(std::ostream& out) {
  out << "igbench " << version() << ": learning joint interventional effects from single-variable\n"
      << "interventions in additive models (Kekic et al., ICML 2025), at scale.\n\n"
      << "usage: igbench <command> [options]      (igbench <command> --help for its options)\n\n"
      << "commands:\n";
  for (const auto& c : subcommands()) {
    std::string name(c.name);
    name.resize(14, ' ');
    out << "  " << name << c.summary << "\n";
  }
}

}  // namespace

int dispatch(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "igbench: missing command (try 'igbench --help')\n";
    return exit_usage;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return exit_ok;
  }
  if (name == "--version") {
    std::cout << "igbench " << version() << " (" << git_commit() << ")\n";
    return exit_ok;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  for (const auto& c : subcommands())
    if (c.name == name) return c.run(args);
  std::cerr << "igbench: unknown command '" << name << "' (try 'igbench --help')\n";
  return exit_usage;
}

}  // namespace igbench::cli
