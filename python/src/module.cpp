#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "igbench's C++ core (thin bindings; use the igbench package's functions and classes)";
  igbench::python::bind_scm(m);
  igbench::python::bind_fit(m);
  igbench::python::bind_experiment(m);
}
