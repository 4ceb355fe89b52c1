// `igbench merge | export | summary`: operations on result files.
#include <iostream>

#include "igbench/cli/commands.hpp"
#include "igbench/cli/options.hpp"
#include "igbench/io/csv_export.hpp"
#include "igbench/io/error.hpp"
#include "igbench/io/merge.hpp"
#include "igbench/io/results_file.hpp"
#include "igbench/io/summary.hpp"

namespace igbench::cli {

namespace {

namespace fs = std::filesystem;

// io errors are bad input here (one line naming the file, exit 2), except a failed write (a full
// disk, an I/O error: exit 1).
template <class F>
int with_file_errors(F&& f) {
  try {
    return f();
  } catch (const io::WriteError&) {
    throw;
  } catch (const io::Error& e) {
    throw UsageError(e.what());
  }
}

int run_merge(const std::vector<std::string>& args) {
  po::options_description opts("igbench merge OUT IN...: combine result files (job-array shards) into OUT\n\nOptions");
  opts.add_options()("help,h", "show this help")
      ("keep-first", po::bool_switch(), "on conflicting duplicates keep the row of the earlier input instead of refusing")
      ("overwrite", po::bool_switch(), "replace OUT if it exists")
      ("files", po::value<std::vector<std::string>>(), "OUT followed by the inputs");
  po::positional_options_description pos;
  pos.add("files", -1);
  po::variables_map vm;
  parse_command_line(args, opts, vm, &pos);
  if (vm.count("help")) {
    std::cout << opts
              << "\nRows are keyed by their point and run: identical duplicates are dropped; rows with the same key and\n"
                 "different results are reported and nothing is written (unless --keep-first).\n";
    return exit_ok;
  }
  const auto files = vm.count("files") ? vm["files"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (files.size() < 2) throw UsageError("needs OUT and at least one input: igbench merge OUT IN...");
  std::vector<fs::path> inputs(files.begin() + 1, files.end());
  io::MergeOptions options;
  options.keep_first = vm["keep-first"].as<bool>();
  options.overwrite = vm["overwrite"].as<bool>();
  options.metadata = io::program_metadata(command_line_text_of_process(), 1, 1);
  return with_file_errors([&] {
    const io::MergeReport report = io::merge(files.front(), inputs, options);
    std::cout << io::describe(report, files.front());
    return report.written ? exit_ok : exit_failure;
  });
}

// Parses the options of a command taking one result file as its positional argument. Returns
// false when --help was shown. Throws UsageError (with `usage`) when the file is missing.
bool parse_file_command(const std::vector<std::string>& args, po::options_description& opts,
                        po::variables_map& vm, const std::string& usage) {
  opts.add_options()("file", po::value<std::string>(), "the result file");
  po::positional_options_description pos;
  pos.add("file", 1);
  parse_command_line(args, opts, vm, &pos);
  if (vm.count("help")) {
    std::cout << opts;
    return false;
  }
  if (!vm.count("file")) throw UsageError("needs a result file: " + usage);
  return true;
}

int run_export(const std::vector<std::string>& args) {
  po::options_description opts("igbench export FILE: write the reference-compatible rmse_values.csv of a result file\n\nOptions");
  opts.add_options()("help,h", "show this help")
      ("out", po::value<std::string>()->default_value("."), "folder to write into (one rmse_values.csv, or one subfolder per group)")
      ("all-columns", po::bool_switch(), "also write runs.csv beside each rmse_values.csv: every /runs column of every row");
  po::variables_map vm;
  if (!parse_file_command(args, opts, vm, "igbench export FILE [--out DIR]")) return exit_ok;
  const fs::path dir = vm["out"].as<std::string>();
  if (!fs::is_directory(dir)) throw UsageError("--out " + dir.string() + " is not a folder (create it first)");
  return with_file_errors([&] {
    const bool all_columns = vm["all-columns"].as<bool>();
    const std::vector<fs::path> written = io::export_all(fs::path(vm["file"].as<std::string>()), dir, all_columns);
    for (const fs::path& p : written) std::cout << p.string() << "\n";
    if (written.empty())
      std::cerr << "igbench export: " << vm["file"].as<std::string>() << " has no rows (no run finished yet); nothing written\n";
    return exit_ok;
  });
}

// The alpha grid the file's fits chose from: the sweeps' --alphas when they agree, else (a merge
// of sweeps with different grids) the reference's grid.
std::vector<double> alpha_grid_of(const io::SweepDescription& sweep) {
  std::vector<double> grid(fit::alpha_grid.begin(), fit::alpha_grid.end());
  if (sweep.specs.empty()) return grid;
  for (const sweep::SweepSpec& s : sweep.specs)
    if (s.alphas != sweep.specs.front().alphas) return grid;
  return sweep.specs.front().alphas;
}

int run_summary(const std::vector<std::string>& args) {
  po::options_description opts("igbench summary FILE: per point and method, mean +- SEM of rmse and truth_rmse,\n"
                               "the paired difference method - jint, the median with its 95% bootstrap interval,\n"
                               "the runs with the largest rmse and the fits whose alpha is at an end of the grid\n\nOptions");
  opts.add_options()("help,h", "show this help");
  po::variables_map vm;
  if (!parse_file_command(args, opts, vm, "igbench summary FILE")) return exit_ok;
  return with_file_errors([&] {
    const io::ResultsFile file = io::read_results_file(vm["file"].as<std::string>());
    std::cout << io::format_summary(io::summarize(file.rows, alpha_grid_of(file.sweep)));
    return exit_ok;
  });
}

}  // namespace

int merge_command(const std::vector<std::string>& args) { return guarded("merge", [&] { return run_merge(args); }); }
int export_command(const std::vector<std::string>& args) { return guarded("export", [&] { return run_export(args); }); }
int summary_command(const std::vector<std::string>& args) { return guarded("summary", [&] { return run_summary(args); }); }

}  // namespace igbench::cli
