# igbench_warnings: an interface target carrying the project's warning flags (nothing else).
add_library(igbench_warnings INTERFACE)
target_compile_options(igbench_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)
if(IGBENCH_WERROR)
  target_compile_options(igbench_warnings INTERFACE -Werror)
endif()
# GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string (GCC PR 105329)
# when std::string concatenations are inlined at -O3.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(igbench_warnings INTERFACE -Wno-restrict)
endif()
