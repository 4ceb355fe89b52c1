#include "igbench/io/results_file.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

#include <boost/crc.hpp>

#include "hdf5_file.hpp"
#include "igbench/io/journal.hpp"
#include "igbench/io/error.hpp"
#include "igbench/io/file_ops.hpp"
#include "igbench/io/isolated.hpp"
#include "igbench/io/merge.hpp"
#include "igbench/io/result_store.hpp"
#include "igbench/io/row_set.hpp"
#include "igbench/io/schema.hpp"
#include "runs_table.hpp"

namespace igbench::io {

namespace fs = std::filesystem;

namespace {

// Format decisions (docs/results-format.md, version 1): string attributes are variable-length
// UTF-8 (h5py gives str), integer attributes int64; /runs as the schema declares it.

// The root attributes of FileMetadata, in the order they are written: a string, an int64, or a
// flag stored as int64 0/1. One table for the writer and the reader.
struct MetadataAttribute {
  const char* name;
  std::string FileMetadata::*text = nullptr;
  std::int64_t FileMetadata::*number = nullptr;
  bool FileMetadata::*flag = nullptr;
};
const MetadataAttribute metadata_attributes[] = {
    {"igbench_version", &FileMetadata::igbench_version}, {"git_commit", &FileMetadata::git_commit},
    {"command_line", &FileMetadata::command_line},       {"host", &FileMetadata::host},
    {"start_time", &FileMetadata::start_time},           {"end_time", &FileMetadata::end_time},
    {"ranks", nullptr, &FileMetadata::ranks},            {"threads", nullptr, &FileMetadata::threads},
    {"experiment", &FileMetadata::experiment},           {"complete", nullptr, nullptr, &FileMetadata::complete},
    {"n_tasks", nullptr, &FileMetadata::n_tasks},
};

void write_metadata(const h5::Writer& w, hid_t file, const FileMetadata& m) {
  w.string_attribute(file, "format", format_name);
  w.int_attribute(file, "format_version", format_version);
  for (const MetadataAttribute& a : metadata_attributes) {
    if (a.text != nullptr) w.string_attribute(file, a.name, m.*a.text);
    else if (a.number != nullptr) w.int_attribute(file, a.name, m.*a.number);
    else w.int_attribute(file, a.name, (m.*a.flag) ? 1 : 0);
  }
}

FileMetadata read_metadata(const h5::Reader& rd, hid_t file) {
  const char* root = "the root group";
  FileMetadata m;
  for (const MetadataAttribute& a : metadata_attributes) {
    if (a.text != nullptr) m.*a.text = rd.string_attribute(file, a.name, root);
    else if (a.number != nullptr) m.*a.number = rd.int_attribute(file, a.name, root);
    else m.*a.flag = rd.int_attribute(file, a.name, root) != 0;
  }
  return m;
}

// /sweep: the spec texts, and the attributes of sweep_attributes() for readers in other languages.
void write_sweep(const h5::Writer& w, hid_t file, const SweepDescription& sweep) {
  const h5::Handle group = w.create_group(file, "sweep");
  const hid_t g = group.get();
  const SweepAttributes a = sweep_attributes(sweep);
  w.string_attribute(g, "spec", sweep.joined_text());
  w.string_attribute(g, "experiment", a.experiment);
  w.string_attribute(g, "rng", a.rng);
  w.int_attribute(g, "N_runs", a.N_runs);
  w.int_attribute(g, "seed", a.seed);
  w.string_array_attribute(g, "scm_type", a.scm_type);
  w.string_array_attribute(g, "regularization", a.regularization);
  w.string_array_attribute(g, "methods", a.methods);
  w.int_array_attribute(g, "K", a.K);
  w.int_array_attribute(g, "n_order_fit", a.n_order_fit);
  if (a.N) w.int_array_attribute(g, "N", *a.N);
  if (a.N_avg) w.int_array_attribute(g, "N_avg", *a.N_avg);
  if (a.ratios) w.double_array_attribute(g, "ratios", *a.ratios);
  if (a.N_total) w.int_array_attribute(g, "N_total", *a.N_total);
}

// The sweeps are read from the `spec` text (the other /sweep attributes are for readers in other
// languages).
SweepDescription read_sweep(const h5::Reader& rd, hid_t file) {
  const h5::Handle group = rd.open_group(file, "sweep");
  SweepDescription d;
  for (const std::string& text : split_spec_texts(rd.string_attribute(group.get(), "spec", "/sweep"))) {
    try {
      d.specs.push_back(sweep::parse_canonical_text(text));
    } catch (const std::invalid_argument& e) {
      rd.fail(std::string("unreadable /sweep spec (") + e.what() + ")");
    }
    d.texts.push_back(text);
  }
  if (d.texts.empty()) rd.fail("empty /sweep spec");
  return d;
}

// CRC-32 of what a reader takes from the file: the metadata it does not recompute, the spec
// texts, and every row (the journal's row encoding; a per-action value that is all NaN counts as
// none, as the reader returns it). Stored as the root attribute `digest`, it makes a silent change
// of any value (a corrupt chunk index, a flipped byte HDF5 does not checksum) a detected one.
std::int64_t content_digest(const ResultsFile& f, const std::vector<ResultRow>& rows) {
  boost::crc_32_type crc;
  auto add = [&](const std::string& text) {
    const std::uint32_t n = static_cast<std::uint32_t>(text.size());
    crc.process_bytes(&n, sizeof n);
    crc.process_bytes(text.data(), text.size());
  };
  const FileMetadata& m = f.metadata;
  for (const std::string* text : {&m.igbench_version, &m.git_commit, &m.command_line, &m.host, &m.start_time,
                                  &m.end_time})
    add(*text);
  add(std::to_string(m.ranks) + "," + std::to_string(m.threads));
  add(f.sweep.joined_text());
  for (ResultRow row : rows) {
    for (const Column& c : result_columns()) {
      if (c.shape != Shape::per_action) continue;
      const auto values = std::get<std::vector<double>>(c.get(row));
      if (std::all_of(values.begin(), values.end(), [](double v) { return std::isnan(v); }))
        c.set(row, Cell(std::vector<double>{}));
    }
    add(encode_row(row));
  }
  return static_cast<std::int64_t>(crc.checksum());
}

void check_is_our_file(const h5::Reader& rd, hid_t file) {
  if (!rd.has_attribute(file, "format"))
    rd.fail(std::string("not an igbench results file (HDF5 without a 'format' attribute; expected '") +
            format_name + "')");
  const std::string format = rd.string_attribute(file, "format", "the root group");
  if (format != format_name)
    rd.fail("not an igbench results file (format is '" + format + "', expected '" + format_name + "')");
  const std::int64_t version = rd.int_attribute(file, "format_version", "the root group");
  if (version > format_version)
    rd.fail("format_version " + std::to_string(version) + " is newer than this igbench reads (" +
            std::to_string(format_version) + "); use a newer igbench");
  if (version < 1) rd.fail("invalid format_version " + std::to_string(version));
}

// A file's rows against its own /sweep: every row a task of one of its sweeps (at its point
// index), no key twice. Throws FileError naming the first offending row.
void check_rows_match_sweeps(const fs::path& path, const ResultsFile& file) {
  std::vector<std::vector<sweep::SweepPoint>> points;
  for (const sweep::SweepSpec& s : file.sweep.specs) points.push_back(sweep::expand_points(s));
  std::set<RowKey> seen;
  for (std::size_t i = 0; i < file.rows.size(); ++i) {
    const ResultRow& row = file.rows[i];
    const RowKey key = row_key(row);
    bool task = false;
    for (std::size_t s = 0; s < points.size() && !task; ++s) {
      const sweep::SweepSpec& spec = file.sweep.specs[s];
      task = row.point >= 0 && static_cast<std::size_t>(row.point) < points[s].size() && row.run < spec.N_runs &&
             key == task_key(spec, points[s][static_cast<std::size_t>(row.point)], row.run);
    }
    const std::string which = "row " + std::to_string(i) + " (point " + std::to_string(row.point) + ", run " +
                              std::to_string(row.run) + ")";
    if (!task) throw FileError(path, which + " is not a task of the file's /sweep (corrupt or edited file)");
    if (!seen.insert(key).second) throw FileError(path, which + " repeats the key of an earlier row (corrupt or edited file)");
  }
}

// What the rows make of the sweeps (never trusted from the file): experiment, n_tasks, complete.
void recompute_summary_attributes(ResultsFile& file) {
  FileMetadata& m = file.metadata;
  m.experiment.clear();
  m.n_tasks = 0;
  for (const sweep::SweepSpec& s : file.sweep.specs) {
    const std::string name(experiment::experiment_name(s.experiment));
    m.experiment = m.experiment.empty() || m.experiment == name ? name : "mixed";
    m.n_tasks += task_count(s);
  }
  RowSet rows;
  for (const ResultRow& r : file.rows) rows.add(r);
  m.complete = file.sweep.single() && all_tasks_done(file.sweep.specs.front(), rows);
}

}  // namespace

const std::vector<std::string>& run_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c;
    for (const Column& column : result_columns()) c.push_back(column.name);
    return c;
  }();
  return columns;
}

std::string results_file_image(const ResultsFile& file, const fs::path& shown) {
  h5::silence_errors();
  std::vector<ResultRow> rows = file.rows;
  sort_rows(rows);
  check_per_action_sizes(rows);  // reject malformed rows before creating anything
  const h5::Writer w(shown);
  h5::Handle h5 = w.create_memory_file();
  write_metadata(w, h5.get(), file.metadata);
  w.int_attribute(h5.get(), "digest", content_digest(file, rows));
  write_sweep(w, h5.get(), file.sweep);
  write_runs(w, h5.get(), rows);
  std::string bytes = w.image(h5.get());
  if (!h5.close()) w.fail("close");
  return bytes;
}

void write_results_file(const fs::path& path, const ResultsFile& file) {
  const std::string bytes = results_file_image(file, path);
  atomic_replace(path, [&](const fs::path& tmp) { write_new_file(tmp, bytes, path); });
}

ResultsFile read_results_image(const std::string& bytes, const fs::path& shown) {
  h5::silence_errors();
  const h5::Reader rd(shown);
  h5::Handle h5 = rd.open_image(bytes);
  check_is_our_file(rd, h5.get());
  ResultsFile out;
  out.metadata = read_metadata(rd, h5.get());
  out.sweep = read_sweep(rd, h5.get());
  out.rows = read_runs(rd, h5.get(), bytes.size());
  // Files written before the digest existed have none; a present one must match.
  if (rd.has_attribute(h5.get(), "digest") &&
      rd.int_attribute(h5.get(), "digest", "the root group") != content_digest(out, out.rows))
    rd.fail("its data do not match its digest (corrupt file)");
  h5 = h5::Handle();
  check_rows_match_sweeps(shown, out);
  recompute_summary_attributes(out);
  return out;
}

ResultsFile read_results_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw FileError(path, "no such file");
  if (fs::is_directory(path, ec)) throw FileError(path, "is a directory, not a results file");
  const std::string bytes = read_whole_file(path, max_results_file_bytes);
  // A corrupt file may crash or hang the HDF5 library: parse it in a child first, allowed 10 s
  // plus 1 s per MiB (a valid file parses in milliseconds per MiB).
  const auto limit = std::chrono::seconds(10 + static_cast<std::int64_t>(bytes.size() >> 20));
  const IsolatedOutcome trial = run_isolated([&] { (void)read_results_image(bytes, path); }, limit);
  switch (trial.kind) {
    case IsolatedOutcome::Kind::ok: break;
    case IsolatedOutcome::Kind::error: {
      const std::string prefix = path.string() + ": ";
      const bool ours = trial.message.compare(0, prefix.size(), prefix) == 0;
      throw FileError(path, ours ? trial.message.substr(prefix.size()) : "corrupt file (" + trial.message + ")");
    }
    case IsolatedOutcome::Kind::crashed:
      throw FileError(path, "corrupt file (reading it crashed the HDF5 library: " + trial.message + ")");
    case IsolatedOutcome::Kind::timed_out:
      throw FileError(path, "corrupt file (reading it did not finish in " + std::to_string(limit.count()) + " s)");
  }
  return read_results_image(bytes, path);
}

}  // namespace igbench::io
