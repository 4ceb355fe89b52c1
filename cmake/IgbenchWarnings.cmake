# igbench_warnings: an interface target carrying the project's warning flags.
add_library(igbench_warnings INTERFACE)
target_compile_options(igbench_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)
if(IGBENCH_WERROR)
  target_compile_options(igbench_warnings INTERFACE -Werror)
endif()
if(IGBENCH_NATIVE)
  target_compile_options(igbench_warnings INTERFACE -march=${IGBENCH_MARCH})
endif()
# GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string (GCC PR 105329)
# when std::string concatenations are inlined at -O3.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(igbench_warnings INTERFACE -Wno-restrict)
endif()
# (-fno-math-errno: math functions never set errno, which lets sqrt inline; results unchanged.)
# IEEE arithmetic as written: GCC's C++ default (-ffp-contract=fast) fuses a * b + c into one FMA
# where the target has it, which changes results with the instruction set and breaks the
# bit-compatibility of the reference-exact mode with numpy (compiled without FMA).
target_compile_options(igbench_warnings INTERFACE -ffp-contract=off -fno-math-errno)
