// igbench._core.Scm: a sampled model (the one `igbench scm` prints and experiment::run uses),
// its parameters as Python values, its data sets on the CLI's counter-based streams, and the
// true interventional mean.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "igbench/cli/commands.hpp"
#include "igbench/experiment/accumulate.hpp"
#include "igbench/experiment/run.hpp"
#include "igbench/features/polynomial_features.hpp"

namespace igbench::python {

namespace {

struct PyScm {
  scm::Scm model;
  std::uint32_t seed = 0, run = 0;
};

py::array_t<double> vector_array(const std::vector<double>& v) {
  py::array_t<double> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

py::dict noise_dict(const random::NoiseSpec& n) {
  py::dict d;
  d["family"] = std::string(random::family_name(n.family));
  d["mean"] = n.mean;
  // gaussian / uniform / logistic: the std; lognormal: sigma of exp(N(0, sigma^2))
  d[n.family == random::Family::lognormal ? "sigma" : "std"] = n.param;
  return d;
}

py::array_t<std::uint8_t> mask_array(const scm::EdgeMask& m) {
  py::array_t<std::uint8_t> a({m.K, m.K});
  std::copy(m.bits.begin(), m.bits.end(), a.mutable_data());
  return a;
}

py::dict polynomial_dict(const scm::RandomPolynomial& p, const std::vector<std::string>& inputs) {
  py::dict d;
  d["inputs"] = inputs;
  d["order"] = p.order;
  py::array_t<std::uint8_t> e({static_cast<py::ssize_t>(p.n_terms()), static_cast<py::ssize_t>(p.n_inputs)});
  std::copy(p.exponents.begin(), p.exponents.end(), e.mutable_data());
  d["exponents"] = e;
  d["coefficients"] = vector_array(p.coefficients);
  return d;
}

py::dict parameters(const scm::PolynomialScm& s) {
  py::dict d;
  py::list W, V, f, g;
  for (const auto& n : s.W) W.append(noise_dict(n));
  for (const auto& n : s.V) V.append(noise_dict(n));
  for (int k = 0; k < s.K; ++k) {
    const std::string ks = std::to_string(k);
    f.append(polynomial_dict(s.f[static_cast<std::size_t>(k)], {"a_" + ks, "c_" + ks}));
    std::vector<std::string> names;
    for (int j : s.parents[static_cast<std::size_t>(k)]) names.push_back("a_" + std::to_string(j));
    names.push_back("c_" + ks);
    names.push_back("v_" + ks);
    g.append(polynomial_dict(s.g[static_cast<std::size_t>(k)], names));
  }
  d["W"] = W;
  d["V"] = V;
  d["U"] = noise_dict(s.U);
  d["edges"] = mask_array(s.mask);
  d["sigma_int"] = s.sigma_int;
  d["f"] = f;
  d["g"] = g;
  py::array_t<double> q({static_cast<py::ssize_t>(s.K), py::ssize_t{3}});
  for (int k = 0; k < s.K; ++k)
    for (int i = 0; i < 3; ++i) q.mutable_at(k, i) = s.f_mean[static_cast<std::size_t>(k)][static_cast<std::size_t>(i)];
  d["f_mean"] = q;
  return d;
}

py::dict parameters(const scm::LinearScm& s) {
  py::dict d;
  d["sigma_W"] = vector_array(s.sigma_W);
  d["sigma_V"] = vector_array(s.sigma_V);
  d["sigma_U"] = s.sigma_U;
  d["alpha"] = vector_array(s.alpha);
  d["beta"] = vector_array(s.beta);
  d["gamma"] = vector_array(s.gamma);
  py::array_t<double> delta({s.K, s.K});
  std::copy(s.delta.begin(), s.delta.end(), delta.mutable_data());
  d["delta"] = delta;
  d["edges"] = mask_array(s.mask);
  d["sigma_int"] = s.sigma_int;
  return d;
}

random::PhiloxStream stream(const PyScm& s, random::StreamRole role, int action, std::uint32_t data_seed,
                            std::uint32_t tag) {
  return random::PhiloxStream(data_seed, s.run, {role, static_cast<std::uint16_t>(action), tag});
}

scm::Regime regime_of(int kind, int action) {
  return {static_cast<scm::RegimeKind>(kind), action};
}

random::StreamRole role_of(scm::RegimeKind kind) {
  switch (kind) {
    case scm::RegimeKind::observational: return random::StreamRole::observational;
    case scm::RegimeKind::single_intervention: return random::StreamRole::single_intervention;
    case scm::RegimeKind::joint_intervention: return random::StreamRole::joint_intervention;
  }
  return random::StreamRole::observational;
}

// Samples [0, n) of a data set as (A (n x K, C order), Y, mu); chunks in parallel (each sample
// is a pure function of its stream and index, so chunking does not change values).
py::tuple generate(const PyScm& s, std::int64_t n, int kind, int action, std::uint32_t data_seed, std::uint32_t tag,
                   const std::vector<double>& mean, const std::vector<double>& std_dev) {
  const int K = scm::action_count(s.model);
  const scm::Regime regime = regime_of(kind, action);
  const scm::DataSetGenerator gen(s.model, regime, scm::InterventionMoments{mean, std_dev},
                                  stream(s, role_of(regime.kind), action, data_seed, tag));
  py::array_t<double> A({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(K)});
  py::array_t<double> Y(static_cast<py::ssize_t>(n)), mu(static_cast<py::ssize_t>(n));
  double* a = A.mutable_data();
  double* y = Y.mutable_data();
  double* m = mu.mutable_data();
  {
    py::gil_scoped_release release;
    const std::int64_t chunk = experiment::samples_per_chunk;
    const std::int64_t n_chunks = (n + chunk - 1) / chunk;
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t c = 0; c < n_chunks; ++c) {
      thread_local scm::SampleChunk out;
      const std::int64_t first = c * chunk;
      const auto len = static_cast<std::size_t>(std::min(chunk, n - first));
      gen.generate(static_cast<std::uint64_t>(first), len, out);
      for (std::size_t i = 0; i < len; ++i) {
        const auto row = static_cast<std::size_t>(first) + i;
        for (int k = 0; k < K; ++k) a[row * static_cast<std::size_t>(K) + static_cast<std::size_t>(k)] = out.a(i, k);
        y[row] = out.Y[i];
        m[row] = out.mu[i];
      }
    }
  }
  return py::make_tuple(A, Y, mu);
}

// mu_k, sigma_k of an observational data set of n samples, exactly as experiment::run records
// them: the streaming moment pass over the data set with the run's features, then
// experiment::intervention_moments.
py::tuple observational_moments(const PyScm& s, std::int64_t n, std::uint32_t data_seed, std::uint32_t tag,
                                int n_order_fit) {
  const int K = scm::action_count(s.model);
  scm::InterventionMoments moments;
  {
    py::gil_scoped_release release;
    const features::PolynomialFeatures phi(K, n_order_fit);
    const scm::DataSetGenerator gen(s.model, {scm::RegimeKind::observational, 0}, {},
                                    stream(s, random::StreamRole::observational, 0, data_seed, tag));
    const experiment::DataSetPlan plan{&gen, n, true};
    const auto sets = experiment::accumulate_data_sets(std::span(&plan, 1), phi);
    moments = experiment::intervention_moments(sets.front().whole(), K);
  }
  return py::make_tuple(moments.mean, moments.std);
}

py::array_t<double> true_effect(const PyScm& s, const py::array_t<double>& A) {
  const StridedMatrix v = strided_view(A);
  py::array_t<double> out(static_cast<py::ssize_t>(v.rows));
  double* o = out.mutable_data();
  py::gil_scoped_release release;
  std::vector<double> a(static_cast<std::size_t>(v.cols));
  for (std::int64_t i = 0; i < v.rows; ++i) {
    for (std::int64_t k = 0; k < v.cols; ++k) a[static_cast<std::size_t>(k)] = v.at(i, k);
    o[i] = scm::true_interventional_mean(s.model, a.data());
  }
  return out;
}

}  // namespace

void bind_scm(py::module_& m) {
  py::class_<PyScm>(m, "Scm", "A sampled SCM (C++ core object); use igbench.sample_polynomial_scm / sample_linear_scm.")
      .def_property_readonly("scm_type", [](const PyScm& s) { return std::string(scm::scm_type_name(scm::scm_type(s.model))); })
      .def_property_readonly("K", [](const PyScm& s) { return scm::action_count(s.model); })
      .def_readonly("seed", &PyScm::seed)
      .def_readonly("run", &PyScm::run)
      .def("parameters", [](const PyScm& s) { return std::visit([](const auto& x) { return parameters(x); }, s.model); })
      .def("text", [](const PyScm& s) { return cli::scm_text(s.model, s.seed, s.run); })
      .def("generate", &generate, py::arg("n"), py::arg("kind"), py::arg("action"), py::arg("data_seed"),
           py::arg("tag"), py::arg("mean"), py::arg("std"))
      .def("observational_moments", &observational_moments, py::arg("n"), py::arg("data_seed"), py::arg("tag"),
           py::arg("n_order_fit"))
      .def("true_effect", &true_effect, py::arg("A").noconvert());

  m.def("sample_scm", [](const std::string& type, int K, std::uint32_t seed, std::uint32_t run) {
        const scm::ScmType t = scm::parse_scm_type(type);
        py::gil_scoped_release release;
        return PyScm{experiment::sample_fast_scm(t, K, seed, run), seed, run};
      }, py::arg("scm_type"), py::arg("K"), py::arg("seed"), py::arg("run"));
  m.def("point_tag", [](std::int64_t N_obs, std::int64_t N_sint, std::int64_t N_jint) {
        experiment::RunSpec spec;
        spec.N_obs = N_obs;
        spec.N_sint = N_sint;
        spec.N_jint = N_jint;
        return experiment::point_tag(spec);
      }, py::arg("N_obs"), py::arg("N_sint"), py::arg("N_jint"),
      "The 32-bit tag of a sweep point's data streams (experiment::point_tag).");
}

}  // namespace igbench::python
