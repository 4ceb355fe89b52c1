#pragma once
// The options of `igbench main | ratio | convergence | sweep` without running anything: the
// command line (and a sweep's --config file) -> DriverOptions. Used by the commands and by the
// option fuzzer (tests/fuzz).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "igbench/cli/sweep_driver.hpp"

namespace igbench::cli {

// `command` is main, ratio, convergence or sweep; `args` the arguments after it. Throws
// UsageError for bad input (the message is the one line the command prints); returns nothing for
// --help (after printing it).
std::optional<DriverOptions> parse_experiment_options(std::string_view command, const std::vector<std::string>& args);

}  // namespace igbench::cli
