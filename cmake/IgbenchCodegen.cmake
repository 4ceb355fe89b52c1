# igbench_codegen: an interface target carrying the code-generation flags every igbench
# translation unit (library, tests, benchmarks) must share, because results depend on them.
add_library(igbench_codegen INTERFACE)
if(IGBENCH_NATIVE)
  target_compile_options(igbench_codegen INTERFACE -march=${IGBENCH_MARCH})
endif()
# IEEE arithmetic as written: GCC's C++ default (-ffp-contract=fast) fuses a * b + c into one FMA
# where the target has it, which changes results with the instruction set and breaks the
# bit-compatibility of the reference-exact mode with numpy (compiled without FMA).
# -fno-math-errno: math functions never set errno, which lets sqrt inline; results unchanged.
target_compile_options(igbench_codegen INTERFACE -ffp-contract=off -fno-math-errno)
