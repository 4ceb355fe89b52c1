#pragma once
// The pybind11 module igbench._core: a thin layer over the C++ core. It converts arguments,
// releases the GIL and calls the functions the CLI calls; the Python package (python/igbench)
// gives them their user-facing names, defaults and argument checks.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "array_source.hpp"

namespace igbench::python {

namespace py = pybind11;

void bind_scm(py::module_& m);
void bind_fit(py::module_& m);
void bind_experiment(py::module_& m);

// A float64 numpy array of 1 or 2 dimensions as a strided view (no copy). The caller keeps the
// array alive while the view is used. A 1-D array is a column (rows x 1).
inline StridedMatrix strided_view(const py::array_t<double>& a) {
  StridedMatrix v;
  v.data = reinterpret_cast<const char*>(a.data());
  v.rows = a.ndim() >= 1 ? static_cast<std::int64_t>(a.shape(0)) : 1;
  v.cols = a.ndim() == 2 ? static_cast<std::int64_t>(a.shape(1)) : 1;
  v.row_stride = a.ndim() >= 1 ? static_cast<std::ptrdiff_t>(a.strides(0)) : 0;
  v.col_stride = a.ndim() == 2 ? static_cast<std::ptrdiff_t>(a.strides(1)) : 0;
  return v;
}

}  // namespace igbench::python
