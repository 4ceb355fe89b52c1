#include "bindings.hpp"
#include "igbench/version.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "igbench's C++ core (thin bindings; use the igbench package's functions and classes)";
  igbench::python::bind_scm(m);
  igbench::python::bind_fit(m);
  igbench::python::bind_experiment(m);
  m.attr("__version__") = std::string(igbench::version());
  m.attr("git_commit") = std::string(igbench::git_commit());
}
