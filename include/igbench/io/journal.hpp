#pragma once
// The journal: an append-only binary file per writer (PATH.journal.<rank>) that makes every
// finished run durable without rewriting the HDF5 file.
//
// Layout (little-endian):
//   header:  "IGBJRNL1" (8 bytes), u32 journal version (2), u32 n, n bytes of fields, u32 crc32
//            of the fields; fields = the sweep's canonical text, the creation metadata, the rank,
//            the schema fingerprint (io/schema.hpp; a journal of other columns is refused).
//   records: u32 magic 0x4A524331, u32 length, `length` bytes of payload (one ResultRow, its
//            columns in schema order, see encode_row), u32 crc32 of the payload.
// Strings are u32 length + bytes, doubles their IEEE-754 bits. A record is written with one
// write(2), so a killed writer leaves at most one torn record at the end; readers ignore (and
// count) a torn or corrupt record and go on at the next record that checks.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "igbench/io/metadata.hpp"
#include "igbench/io/result_row.hpp"
#include "igbench/io/schema.hpp"

namespace igbench::io {

// 1: a hand-written row layout; 2: the schema-driven layout plus the schema fingerprint.
inline constexpr std::uint32_t journal_version = 2;

struct JournalHeader {
  std::string spec_text;  // sweep::canonical_text of the sweep the rows belong to
  FileMetadata metadata;  // of the writer at creation
  std::int32_t rank = 0;
  std::uint32_t schema = schema_fingerprint();
  bool operator==(const JournalHeader&) const = default;
};

struct JournalContents {
  JournalHeader header;
  std::vector<ResultRow> rows;     // every record that checks, in file order
  std::size_t ignored_records = 0; // torn or corrupt stretches skipped (a torn tail counts 1)
  std::uint64_t ignored_bytes = 0;
  std::uint64_t valid_end = 0;     // offset just past the last good record (or the header)
};

// Reads a journal. Throws FileError when the file is missing or its header is not a valid
// journal header (bad magic, unknown version, torn or corrupt header).
JournalContents read_journal(const std::filesystem::path& path);
// The same from the journal's bytes (`shown` names it in errors); the entry point for a fuzzer.
JournalContents parse_journal(const std::string& bytes, const std::filesystem::path& shown);

// The path of rank `rank`'s journal of results file `path`: PATH.journal.<rank>.
std::filesystem::path journal_path(const std::filesystem::path& path, int rank);
// Every PATH.journal.<n> on disk, by increasing n.
std::vector<std::filesystem::path> existing_journals(const std::filesystem::path& path);

// When the writer calls fdatasync: on sync(), on close(), and after an append when `interval`
// has passed since the last one. `now` is the clock (tests inject one; empty: steady_clock).
struct SyncPolicy {
  using Clock = std::chrono::steady_clock;
  std::chrono::milliseconds interval{2000};
  std::function<Clock::time_point()> now;
};

// Byte-level codec of a row (the payload of a record); decode throws std::invalid_argument.
std::string encode_row(const ResultRow& row);
ResultRow decode_row(const std::string& payload);

// CRC-32 (IEEE 802.3, the one of zlib and PNG; Boost.CRC's crc_32_type).
std::uint32_t crc32(const void* data, std::size_t size);

class JournalWriter {
 public:
  // Creates a new journal: the header is written to a temporary file, fsynced and renamed into
  // place, so a journal on disk always has a whole header. Throws FileError if `path` exists.
  static JournalWriter create(const std::filesystem::path& path, const JournalHeader& header, SyncPolicy policy = {});
  // Opens an existing journal to append to it (resume): cuts a torn tail off first.
  static JournalWriter reopen(const std::filesystem::path& path, SyncPolicy policy = {});

  JournalWriter(JournalWriter&& other) noexcept;
  JournalWriter& operator=(JournalWriter&& other) noexcept;
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  ~JournalWriter();  // closes (with a final fdatasync); errors are swallowed: call close() to see them

  // Appends one record with one write(2); fdatasyncs when the policy's interval has passed.
  void append(const ResultRow& row);
  // fdatasync now if anything was written since the last one.
  void sync();
  // sync() and close the file. Further appends throw.
  void close();

  const std::filesystem::path& path() const { return path_; }
  const JournalHeader& header() const { return header_; }
  std::size_t records_appended() const { return records_; }
  std::size_t syncs() const { return syncs_; }

 private:
  JournalWriter(std::filesystem::path path, JournalHeader header, int fd, SyncPolicy policy);
  SyncPolicy::Clock::time_point now() const;

  std::filesystem::path path_;
  JournalHeader header_;
  int fd_ = -1;
  SyncPolicy policy_;
  SyncPolicy::Clock::time_point last_sync_{};
  bool dirty_ = false;
  std::size_t records_ = 0;
  std::size_t syncs_ = 0;
};

}  // namespace igbench::io
