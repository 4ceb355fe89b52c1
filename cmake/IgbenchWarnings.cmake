# igbench_warnings: an interface target carrying the project's warning flags.
add_library(igbench_warnings INTERFACE)
target_compile_options(igbench_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)
if(IGBENCH_WERROR)
  target_compile_options(igbench_warnings INTERFACE -Werror)
endif()
if(IGBENCH_NATIVE)
  target_compile_options(igbench_warnings INTERFACE -march=native)
endif()
