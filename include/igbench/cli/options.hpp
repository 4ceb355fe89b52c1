#pragma once
// Shared option handling of the subcommands: strict list parsing, usage errors (exit 2, one
// line), and the wrapper that turns exceptions into exit codes.
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

namespace igbench::cli {

namespace po = boost::program_options;

// Bad input: the message says what is wrong and how to fix it; the command exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "2,3,5" -> {2, 3, 5}. Items may carry spaces; integers may be written 1e6 when exact.
// Throws UsageError naming the option for an empty list, an empty item, a repeated value, a
// malformed number ("is not an integer") or one beyond int64 / double ("is out of range").
std::vector<std::int64_t> parse_int_list(std::string_view text, std::string_view option);
std::vector<double> parse_double_list(std::string_view text, std::string_view option);
std::vector<std::string> parse_word_list(std::string_view text, std::string_view option);
std::int64_t parse_int(std::string_view text, std::string_view option);

// Boost.Program_options builds its error messages by replacing %name% placeholders until none is
// left, so a placeholder inside the user's text (an option name or value) makes it loop for ever
// (found by fuzzing: `igbench main --x%canonical_option%` hung). Throws UsageError for text holding
// %word%; parse_command_line() and the --config reader call it before Boost sees the text.
void refuse_placeholders(std::string_view text, std::string_view where);

// Throws UsageError for an option given (not defaulted) with an empty or blank string value.
void refuse_empty_values(const po::variables_map& vm);

// Parses argv (after the subcommand) into `vm`; `positional` names positional options.
// Unknown options, malformed values, stray positional arguments (when `positional` is null) and
// empty values (--out "") become UsageError.
void parse_command_line(const std::vector<std::string>& args, const po::options_description& options,
                        po::variables_map& vm,
                        const po::positional_options_description* positional = nullptr);

// Runs body(); UsageError -> "igbench <command>: <message>" on stderr and exit 2; other
// exceptions -> "igbench <command>: error: <message>" and exit 1.
int guarded(std::string_view command, const std::function<int()>& body);

// The full command line, shell-quoted where needed (recorded in result files).
std::string command_line_text(int argc, char** argv);
// The command line of this process, as recorded by dispatch().
void remember_command_line(int argc, char** argv);
std::string command_line_text_of_process();

}  // namespace igbench::cli
