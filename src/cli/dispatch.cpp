#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "igbench/cli/commands.hpp"
#include "igbench/cli/options.hpp"
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
      {"main", "the paper's main experiment: obs, method, pooled, jint at N samples per data set", &main_command},
      {"ratio", "the data-ratio experiment: vary single-interventional vs observational samples", &ratio_command},
      {"convergence", "the convergence experiment: method and oracle over total sample sizes", &convergence_command},
      {"sweep", "a general sweep: lists on every axis, options from a config file", &sweep_command},
      {"merge", "combine result files (e.g. job-array shards) into one", &merge_command},
      {"export", "write the reference-compatible rmse_values.csv of a result file", &export_command},
      {"summary", "print mean +- SEM per point and method of a result file", &summary_command},
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
  remember_command_line(argc, argv);
  const std::vector<std::string> args(argv + 2, argv + argc);
  for (const auto& c : subcommands())
    if (c.name == name) return c.run(args);
  std::cerr << "igbench: unknown command '" << name << "' (try 'igbench --help')\n";
  return exit_usage;
}

}  // namespace igbench::cli
