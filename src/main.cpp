// igbench: git-style entry point; every subcommand lives in src/cli/.
#include "igbench/cli/commands.hpp"

int main(int argc, char** argv) { return igbench::cli::dispatch(argc, argv); }
