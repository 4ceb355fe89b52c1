#pragma once
// The igbench command line: `igbench <subcommand> [options]`.
#include <cstdint>
#include <string>
#include <vector>

#include "igbench/scm/scm.hpp"

namespace igbench::cli {

// Exit codes shared by every subcommand.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // a run failed (I/O error, internal error)
inline constexpr int exit_usage = 2;    // bad input: one line on stderr says what and how to fix

// Runs the subcommand named by argv[1]; returns the process exit code.
int dispatch(int argc, char** argv);

// The subcommands; each takes the arguments after its name.
int scm_command(const std::vector<std::string>& args);
int main_command(const std::vector<std::string>& args);
int ratio_command(const std::vector<std::string>& args);
int convergence_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int export_command(const std::vector<std::string>& args);
int summary_command(const std::vector<std::string>& args);

// The model part of `igbench scm`'s output (its header line, a blank line, the parameters);
// also the printed form of the Python package's SCM objects.
std::string scm_text(const scm::Scm& model, std::uint32_t seed, std::uint32_t run);

}  // namespace igbench::cli
