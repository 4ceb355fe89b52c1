#include "igbench/experiment/reference_run.hpp"

#include <stdexcept>

namespace igbench::experiment {

RunResult run_reference(const RunSpec&) {
  throw std::logic_error("the reference-exact mode is not implemented yet");
}

}  // namespace igbench::experiment
