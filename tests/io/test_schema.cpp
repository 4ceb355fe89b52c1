// The one declaration of the result row (io/schema.hpp): its invariants, the documents generated
// from it (docs/results-format.md's column table, analysis/tests/columns.json for the Python
// fixture writers; a drift fails here), and the behaviour it drives (keys, same_result, CSV).
//   IGBENCH_UPDATE_SCHEMA_DOCS=1 test_io --gtest_filter='Schema*'   rewrites both documents.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <set>

#include "igbench/io/csv_export.hpp"
#include "igbench/io/schema.hpp"
#include "io_fixtures.hpp"

namespace igbench::io {
namespace {

namespace fs = std::filesystem;
using testing::make_row;
using testing::small_main_spec;
using testing::small_ratio_spec;

const fs::path source_dir = IGBENCH_SOURCE_DIR;
constexpr const char* begin_marker = "<!-- schema:columns begin (generated from src/io/schema.cpp) -->\n";
constexpr const char* end_marker = "<!-- schema:columns end -->\n";

bool update_requested() {
  const char* v = std::getenv("IGBENCH_UPDATE_SCHEMA_DOCS");
  return v != nullptr && std::string(v) == "1";
}

TEST(Schema, NamesAreUniqueAndTheDeclarationsConsistent) {
  std::set<std::string> names;
  for (const Column& c : result_columns()) {
    EXPECT_TRUE(names.insert(c.name).second) << c.name;
    EXPECT_FALSE(c.meaning.empty()) << c.name;
    EXPECT_TRUE(c.get && c.set) << c.name;
    if (c.shape == Shape::per_action) {
      EXPECT_EQ(c.storage, Storage::float64) << c.name;
    }
    if (c.key != KeyRole::none) {
      EXPECT_FALSE(c.compared) << c.name << ": a key column is part of the identity";
    }
    if (c.storage == Storage::string16 && c.key != KeyRole::none) {
      EXPECT_FALSE(c.choices.empty()) << c.name;
    }
    if (c.name.rfind("seconds_", 0) == 0) {
      EXPECT_FALSE(c.compared) << c.name << ": timings are not results";
    }
    EXPECT_EQ(find_column(c.name), &c);
  }
  EXPECT_EQ(find_column("no_such_column"), nullptr);
  EXPECT_EQ(names.count("point"), 1u);  // the reader takes the row count from it
}

TEST(Schema, EveryColumnRoundTripsThroughItsAccessors) {
  for (const sweep::SweepSpec& spec : {small_main_spec(), small_ratio_spec()}) {
    const ResultRow row = make_row(spec, 1, 1);
    ResultRow copy;
    for (const Column& c : result_columns()) c.set(copy, c.get(row));
    for (const Column& c : result_columns()) EXPECT_EQ(cell_text(c.get(copy)), cell_text(c.get(row))) << c.name;
    EXPECT_TRUE(row_key(copy) == row_key(row));
    EXPECT_TRUE(same_result(copy, row));
  }
}

TEST(Schema, SettersRefuseValuesARowCannotHold) {
  ResultRow r;
  EXPECT_THROW(find_column("scm_type")->set(r, Cell(std::string("cubic"))), std::invalid_argument);
  EXPECT_THROW(find_column("K")->set(r, Cell(std::int64_t{0})), std::invalid_argument);
  EXPECT_THROW(find_column("K")->set(r, Cell(std::int64_t{1} << 40)), std::invalid_argument);
  EXPECT_THROW(find_column("seed")->set(r, Cell(std::int64_t{1} << 32)), std::invalid_argument);
  EXPECT_THROW(find_column("run")->set(r, Cell(std::int64_t{-1})), std::invalid_argument);
  EXPECT_THROW(find_column("rmse_obs")->set(r, Cell(std::string("x"))), std::invalid_argument);
  EXPECT_NO_THROW(find_column("seed")->set(r, Cell(std::int64_t{4294967295})));
  EXPECT_EQ(r.seed, 4294967295u);
}

TEST(Schema, KeysOrderLikeTheEnumsAndNanRatiosFirst) {
  ResultRow a = make_row(small_main_spec(), 0, 0), b = a;
  b.params.experiment = experiment::ExperimentKind::convergence;  // enum 2 > main 0, though "c" < "m"
  EXPECT_TRUE(row_key(a) < row_key(b));
  ResultRow c = a, d = a;
  c.params.ratio = std::nan("");
  d.params.ratio = 0.5;
  EXPECT_TRUE(row_key(c) < row_key(d));
  ResultRow e = c;
  e.params.ratio = -std::nan("");  // every NaN is the same key
  EXPECT_TRUE(row_key(c) == row_key(e));
  ResultRow f = a;
  f.run = a.run + 1;
  EXPECT_FALSE(row_key(f) == row_key(a));
  EXPECT_TRUE(point_key(f) == point_key(a));
}

TEST(Schema, DescribeKeepsItsOneLineForm) {
  const ResultRow main = make_row(small_main_spec(), 0, 2);
  EXPECT_EQ(describe(row_key(main)), "main polynomial K=3 d=3 ridge rng=fast N=1000 (N_obs/N_sint/N_jint "
                                     "1000/1000/1000) run 2 seed 2");
  const ResultRow ratio = make_row(small_ratio_spec(), 0, 1);
  EXPECT_NE(describe(row_key(ratio)).find(" N_avg=1000 ratio=0.10000000000000001 (N_obs/"), std::string::npos)
      << describe(row_key(ratio));
  EXPECT_EQ(describe(point_key(main)), "main polynomial K=3 d=3 ridge rng=fast N=1000 (N_obs/N_sint/N_jint "
                                       "1000/1000/1000)");
}

TEST(Schema, SameResultComparesResultsButNotTimingsOrThePointIndex) {
  const ResultRow a = make_row(small_main_spec(), 1, 0);
  ResultRow b = a;
  b.result.seconds_solve += 1.0;
  b.point = 7;
  EXPECT_TRUE(same_result(a, b));
  for (const Column& c : result_columns()) {
    if (!c.compared) continue;
    ResultRow changed = a;
    const Cell cell = c.get(a);
    if (const auto* x = std::get_if<double>(&cell)) c.set(changed, Cell(std::isnan(*x) ? 1.0 : *x + 1.0));
    if (std::holds_alternative<std::int64_t>(cell)) c.set(changed, Cell(std::get<std::int64_t>(cell) + 1));
    if (std::holds_alternative<std::string>(cell)) c.set(changed, Cell(std::string("failed: x")));
    if (const auto* v = std::get_if<std::vector<double>>(&cell)) {
      std::vector<double> w = *v;
      if (w.empty()) w.assign(static_cast<std::size_t>(a.params.K), 1.0);  // not fitted -> fitted
      else w[0] += 1.0;
      c.set(changed, Cell(w));
    }
    EXPECT_FALSE(same_result(a, changed)) << c.name;
  }
}

TEST(Schema, AllColumnsCsvHasEveryColumn) {
  const std::vector<ResultRow> rows = {make_row(small_main_spec(), 0, 0), make_row(small_main_spec(), 0, 1)};
  const std::string text = all_columns_csv_text(rows);
  const std::string header = text.substr(0, text.find('\n'));
  for (const Column& c : result_columns()) {
    const std::string name = c.shape == Shape::per_action ? c.name + "_0" : c.name;
    EXPECT_NE(("," + header + ",").find("," + name + ","), std::string::npos) << name;
  }
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
}

// The generated text between the markers of `file`, compared with `expected` (or rewritten).
void check_generated_section(const fs::path& file, const std::string& expected, bool whole_file) {
  std::string text = testing::read_text(file);
  std::string found = text;
  std::size_t begin = 0, end = text.size();
  if (!whole_file) {
    begin = text.find(begin_marker);
    end = text.find(end_marker);
    ASSERT_NE(begin, std::string::npos) << file << " lacks the marker " << begin_marker;
    ASSERT_NE(end, std::string::npos) << file << " lacks the marker " << end_marker;
    begin += std::string(begin_marker).size();
    found = text.substr(begin, end - begin);
  }
  if (found == expected) return;
  if (update_requested()) {
    testing::write_text(file, text.substr(0, begin) + expected + text.substr(end));
    return;
  }
  ADD_FAILURE() << file << " has drifted from the schema; regenerate with IGBENCH_UPDATE_SCHEMA_DOCS=1 "
                << "test_io --gtest_filter='Schema*'. Expected:\n"
                << expected;
}

TEST(Schema, FormatDocumentTableIsGeneratedFromTheTable) {
  check_generated_section(source_dir / "docs" / "results-format.md", schema_markdown(), false);
}

TEST(Schema, PythonFixtureColumnsAreGeneratedFromTheTable) {
  check_generated_section(source_dir / "analysis" / "tests" / "columns.json", schema_json(), true);
}

}  // namespace
}  // namespace igbench::io
