// CSV export: numbers as Python's repr writes them (known answers made by Python), and the
// reference's rmse_values.csv files reproduced byte for byte from their values.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <sstream>

#include "igbench/io/csv_export.hpp"
#include "io_fixtures.hpp"

namespace igbench::io {
namespace {

using experiment::Method;
using testing::ScratchDir;

TEST(PythonFloatRepr, ValuesOfTheReferenceFiles) {
  EXPECT_EQ(python_float_repr(0.2905333109357936), "0.2905333109357936");
  EXPECT_EQ(python_float_repr(12.926845013839342), "12.926845013839342");
  EXPECT_EQ(python_float_repr(1e-05), "1e-05");
  EXPECT_EQ(python_float_repr(1.0), "1.0");
  EXPECT_EQ(python_float_repr(0.1), "0.1");
  EXPECT_EQ(python_float_repr(0.0001), "0.0001");
  EXPECT_EQ(python_float_repr(1e16), "1e+16");
  EXPECT_EQ(python_float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(python_float_repr(-2.5e-7), "-2.5e-07");
  EXPECT_EQ(python_float_repr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(python_float_repr(testing::nan), "nan");
  EXPECT_EQ(python_float_repr(-0.0), "-0.0");
}

// tests/io/data/python_repr.txt: "<hex bits> <repr>" made by make_python_repr.py.
TEST(PythonFloatRepr, KnownAnswersFromPython) {
  std::ifstream in(std::string(IGBENCH_SOURCE_DIR) + "/tests/io/data/python_repr.txt");
  ASSERT_TRUE(in) << "missing tests/io/data/python_repr.txt";
  std::string hex, expected;
  int n = 0;
  while (in >> hex >> expected) {
    const double x = std::bit_cast<double>(std::stoull(hex, nullptr, 16));
    EXPECT_EQ(python_float_repr(x), expected) << hex;
    ++n;
  }
  EXPECT_GT(n, 3000);
}

// The values of a reference CSV, by line.
std::vector<std::vector<std::string>> read_csv_fields(const std::string& text) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    std::istringstream l(line);
    std::string f;
    while (std::getline(l, f, ',')) fields.push_back(f);
    lines.push_back(fields);
  }
  return lines;
}

struct ReferenceCase {
  const char* file;
  scm::ScmType scm_type;
  int K;
  std::int64_t N;
};

// Rebuilds the rows of a reference main experiment (rng = reference: Pool is pooled_ref) from its
// CSV and checks the export gives the same bytes.
TEST(CsvExport, ReproducesTheReferenceFilesByteForByte) {
  const ReferenceCase cases[] = {{"main_polynomial_K3_N1000_runs20.csv", scm::ScmType::polynomial, 3, 1000},
                                 {"main_polynomial_K5_N2000_runs10.csv", scm::ScmType::polynomial, 5, 2000},
                                 {"main_linear_K3_N1000_runs10.csv", scm::ScmType::linear, 3, 1000}};
  for (const ReferenceCase& c : cases) {
    const std::string text = testing::read_text(std::string(IGBENCH_SHARED_DIR) + "/reference/" + c.file);
    ASSERT_FALSE(text.empty()) << c.file;
    const auto lines = read_csv_fields(text);
    std::vector<ResultRow> rows;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      ResultRow r;
      r.params = sweep::main_point(c.K, c.N);
      r.params.scm_type = c.scm_type;
      r.rng = experiment::RngMode::reference;
      r.run = std::stoi(lines[i][0]);
      r.seed = static_cast<std::uint32_t>(r.run);
      r.result[Method::obs].rmse = std::strtod(lines[i][1].c_str(), nullptr);
      r.result[Method::method].rmse = std::strtod(lines[i][2].c_str(), nullptr);
      r.result[Method::jint].rmse = std::strtod(lines[i][3].c_str(), nullptr);
      r.result[Method::pooled_ref].rmse = std::strtod(lines[i][4].c_str(), nullptr);
      r.result[Method::pooled].rmse = -1.0;  // not the reference's pool
      rows.push_back(r);
    }
    std::reverse(rows.begin(), rows.end());  // the export orders by (point, run)
    EXPECT_EQ(csv_text(rows), text) << c.file;
  }
}

TEST(CsvExport, RatioAndConvergenceLayouts) {
  std::vector<ResultRow> ratio;
  for (double x : {0.05, 1.0, 10.0}) {
    ResultRow r;
    r.params = sweep::ratio_point(5, 10000, x);
    r.point = static_cast<std::int64_t>(ratio.size());
    r.run = 1;
    r.result[Method::obs].rmse = 0.5;
    r.result[Method::method].rmse = 1e-05;
    r.result[Method::jint].rmse = 0.25;
    ratio.push_back(r);
  }
  EXPECT_EQ(csv_text(ratio),
            "Ratio,Run,RMSE Obs,RMSE Method,RMSE Joint Int,RMSE Pool\r\n"
            "0.05,1,0.5,1e-05,0.25\r\n"
            "1.0,1,0.5,1e-05,0.25\r\n"
            "10.0,1,0.5,1e-05,0.25\r\n");
  std::vector<ResultRow> convergence;
  for (std::int64_t n : {1000, 10000000}) {
    ResultRow r;
    r.params = sweep::convergence_point(5, n);
    r.point = static_cast<std::int64_t>(convergence.size());
    r.result[Method::method].rmse = 0.125;
    r.result[Method::jint].rmse = testing::nan;
    convergence.push_back(r);
  }
  EXPECT_EQ(csv_text(convergence),
            "Ratio,Run,RMSE Method,RMSE Joint Int\r\n"
            "1000,0,0.125,nan\r\n"
            "10000000,0,0.125,nan\r\n");
  std::vector<ResultRow> main_fast = {testing::make_row(testing::small_main_spec(), 0, 2)};
  EXPECT_EQ(csv_text(main_fast).substr(csv_text(main_fast).find("\r\n") + 2, 2), "2,");
  EXPECT_NE(csv_text(main_fast).find(python_float_repr(main_fast[0].result[Method::pooled].rmse) + "\r\n"),
            std::string::npos);
}

TEST(CsvExport, GroupsAndFolders) {
  ScratchDir dir("csv_groups");
  ResultsFile f;
  f.sweep = SweepDescription::of(testing::small_main_spec());
  f.rows = testing::all_rows(testing::small_main_spec());  // K 3,5 x N 1000,2000: 4 groups
  const auto groups = csv_groups(f.rows);
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(groups[0].name, "main_polynomial_K3_d3_ridge_N1000");
  EXPECT_EQ(groups[3].name, "main_polynomial_K5_d3_ridge_N2000");
  EXPECT_THROW(csv_text(f.rows), std::invalid_argument);
  const auto written = export_all(f, dir.path());
  ASSERT_EQ(written.size(), 4u);
  EXPECT_EQ(written[1], dir / "main_polynomial_K3_d3_ridge_N2000" / "rmse_values.csv");
  EXPECT_EQ(testing::read_text(written[1]), csv_text(groups[1].rows));

  ScratchDir one("csv_one");
  ResultsFile g;
  g.rows = groups[2].rows;
  const auto single = export_all(g, one.path());
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0], one / "rmse_values.csv");
  EXPECT_EQ(one.names(), std::vector<std::string>{"rmse_values.csv"});

  ResultRow ref = testing::make_row(testing::small_ratio_spec(), 0, 0);
  ref.rng = experiment::RngMode::reference;
  EXPECT_EQ(csv_groups({ref})[0].name, "ratio_polynomial_K3_d3_ridge_Navg1000_rng-reference");
}

}  // namespace
}  // namespace igbench::io
