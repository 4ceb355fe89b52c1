#include "igbench/io/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/crc.hpp>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "igbench/io/error.hpp"
#include "igbench/io/file_ops.hpp"
#include "igbench/io/schema.hpp"
#include "byte_codec.hpp"

namespace igbench::io {

namespace fs = std::filesystem;

static_assert(std::endian::native == std::endian::little, "the journal codec writes native little-endian values");

namespace {

constexpr char header_magic[8] = {'I', 'G', 'B', 'J', 'R', 'N', 'L', '1'};
constexpr std::uint32_t record_magic = 0x4A524331;  // bytes "1CRJ" on disk
constexpr std::size_t record_overhead = 12;         // magic, length, crc32
// A record longer than this is corrupt (a row is a few hundred bytes).
constexpr std::uint32_t max_payload = 1u << 20;

std::string encode_header_fields(const JournalHeader& h) {
  Encoder e;
  e.put_string(h.spec_text);
  const FileMetadata& m = h.metadata;
  for (const std::string* s : {&m.igbench_version, &m.git_commit, &m.command_line, &m.host, &m.start_time,
                               &m.end_time, &m.experiment})
    e.put_string(*s);
  e.put(m.ranks);
  e.put(m.threads);
  e.put(static_cast<std::uint8_t>(m.complete));
  e.put(m.n_tasks);
  e.put(h.rank);
  e.put(h.schema);
  return std::move(e.bytes());
}

JournalHeader decode_header_fields(const std::string& bytes) {
  Decoder d(bytes.data(), bytes.size());
  JournalHeader h;
  h.spec_text = d.get_string();
  FileMetadata& m = h.metadata;
  for (std::string* s : {&m.igbench_version, &m.git_commit, &m.command_line, &m.host, &m.start_time,
                         &m.end_time, &m.experiment})
    *s = d.get_string();
  m.ranks = d.get<std::int64_t>();
  m.threads = d.get<std::int64_t>();
  m.complete = d.get<std::uint8_t>() != 0;
  m.n_tasks = d.get<std::int64_t>();
  h.rank = d.get<std::int32_t>();
  h.schema = d.get<std::uint32_t>();
  if (!d.done()) throw std::invalid_argument("trailing bytes");
  return h;
}

// The whole header as written to disk.
std::string encode_header(const JournalHeader& h) {
  const std::string fields = encode_header_fields(h);
  Encoder e;
  e.bytes().append(header_magic, sizeof header_magic);
  e.put(journal_version);
  e.put(static_cast<std::uint32_t>(fields.size()));
  e.bytes() += fields;
  e.put(crc32(fields.data(), fields.size()));
  return std::move(e.bytes());
}

// Parses the header at the start of `bytes`; sets `end` to the offset past it.
JournalHeader decode_header(const fs::path& path, const std::string& bytes, std::size_t& end) {
  if (bytes.size() < sizeof header_magic || std::memcmp(bytes.data(), header_magic, sizeof header_magic) != 0)
    throw FileError(path, "not an igbench journal (bad magic)");
  Decoder d(bytes.data() + sizeof header_magic, bytes.size() - sizeof header_magic);
  try {
    const auto version = d.get<std::uint32_t>();
    if (version != journal_version)
      throw FileError(path, "journal version " + std::to_string(version) + " is not the one this igbench reads (" +
                                std::to_string(journal_version) + "); resume it with the igbench that wrote it, "
                                "or start again with another --out");
    const auto n = d.get<std::uint32_t>();
    if (n > max_payload) throw std::invalid_argument("header too long");
    const std::size_t start = sizeof header_magic + 8;
    if (bytes.size() < start + n + 4) throw std::invalid_argument("short");
    const std::string fields = bytes.substr(start, n);
    std::uint32_t crc = 0;
    std::memcpy(&crc, bytes.data() + start + n, 4);
    if (crc != crc32(fields.data(), fields.size())) throw FileError(path, "corrupt journal header (CRC mismatch)");
    end = start + n + 4;
    JournalHeader h = decode_header_fields(fields);
    if (h.schema != schema_fingerprint())
      throw FileError(path, "journal of another result schema (its columns differ from this igbench's); resume it "
                            "with the igbench that wrote it, or start again with another --out");
    return h;
  } catch (const std::invalid_argument&) {
    throw FileError(path, "truncated or corrupt journal header");
  }
}

// One record around a payload.
std::string make_record(const std::string& payload) {
  Encoder e;
  e.put(record_magic);
  e.put(static_cast<std::uint32_t>(payload.size()));
  e.bytes() += payload;
  e.put(crc32(payload.data(), payload.size()));
  return std::move(e.bytes());
}

// The record at `pos` if it is whole, checks and decodes; sets `end` past it.
bool parse_record(const std::string& bytes, std::size_t pos, ResultRow& row, std::size_t& end) {
  if (bytes.size() - pos < record_overhead) return false;
  std::uint32_t magic = 0, length = 0, crc = 0;
  std::memcpy(&magic, bytes.data() + pos, 4);
  std::memcpy(&length, bytes.data() + pos + 4, 4);
  if (magic != record_magic || length > max_payload || bytes.size() - pos - record_overhead < length) return false;
  const char* payload = bytes.data() + pos + 8;
  std::memcpy(&crc, payload + length, 4);
  if (crc != crc32(payload, length)) return false;
  try {
    row = decode_row(std::string(payload, length));
  } catch (const std::invalid_argument&) {
    return false;
  }
  end = pos + record_overhead + length;
  return true;
}

std::string read_all(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw FileError(path, "no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "cannot open (" + std::string(std::strerror(errno)) + ")");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw FileError(path, "read error");
  return bytes;
}

// write(2) of all of `bytes` (one call unless the kernel writes less).
void write_all(int fd, const std::string& bytes, const fs::path& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw FileError(path, "cannot append to the journal (" + std::string(std::strerror(errno)) + ")");
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::uint32_t crc32(const void* data, std::size_t size) {
  boost::crc_32_type crc;
  crc.process_bytes(data, size);
  return crc.checksum();
}

JournalContents read_journal(const fs::path& path) { return parse_journal(read_all(path), path); }

JournalContents parse_journal(const std::string& bytes, const fs::path& path) {
  JournalContents c;
  std::size_t pos = 0;
  c.header = decode_header(path, bytes, pos);
  c.valid_end = pos;
  while (pos < bytes.size()) {
    ResultRow row;
    std::size_t end = 0;
    if (parse_record(bytes, pos, row, end)) {
      c.rows.push_back(std::move(row));
      c.valid_end = pos = end;
      continue;
    }
    // A torn or corrupt stretch: skip to the next offset where a whole record checks (the CRC
    // makes a false match unlikely, ~2^-32), or to the end.
    ++c.ignored_records;
    std::size_t next = pos + 1;
    for (; next < bytes.size(); ++next) {
      if (bytes.size() - next < record_overhead) {
        next = bytes.size();
        break;
      }
      std::uint32_t magic = 0;
      std::memcpy(&magic, bytes.data() + next, 4);
      if (magic == record_magic && parse_record(bytes, next, row, end)) break;
    }
    c.ignored_bytes += next - pos;
    pos = next;
  }
  return c;
}

fs::path journal_path(const fs::path& path, int rank) {
  return fs::path(path.string() + ".journal." + std::to_string(rank));
}

std::vector<fs::path> existing_journals(const fs::path& path) { return numbered_siblings(path, ".journal."); }

// ---------------------------------------------------------------------------------------------
// JournalWriter

JournalWriter::JournalWriter(fs::path path, JournalHeader header, int fd, SyncPolicy policy)
    : path_(std::move(path)), header_(std::move(header)), fd_(fd), policy_(std::move(policy)) {
  last_sync_ = now();
}

JournalWriter JournalWriter::create(const fs::path& path, const JournalHeader& header, SyncPolicy policy) {
  std::error_code ec;
  if (fs::exists(path, ec)) throw FileError(path, "journal already exists");
  atomic_replace(path, [&](const fs::path& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << encode_header(header);
    out.close();
    if (!out) throw FileError(path, "cannot write the journal header to " + tmp.filename().string());
  });
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) throw FileError(path, "cannot open the journal (" + std::string(std::strerror(errno)) + ")");
  return JournalWriter(path, header, fd, std::move(policy));
}

JournalWriter JournalWriter::reopen(const fs::path& path, SyncPolicy policy) {
  const JournalContents c = read_journal(path);
  // Cut a torn tail so new records follow the last good one.
  if (::truncate(path.c_str(), static_cast<off_t>(c.valid_end)) != 0)
    throw FileError(path, "cannot cut the journal's torn tail (" + std::string(std::strerror(errno)) + ")");
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) throw FileError(path, "cannot open the journal (" + std::string(std::strerror(errno)) + ")");
  JournalWriter w(path, c.header, fd, std::move(policy));
  w.dirty_ = true;  // the truncation is made durable by the next sync
  return w;
}

JournalWriter::JournalWriter(JournalWriter&& o) noexcept
    : path_(std::move(o.path_)),
      header_(std::move(o.header_)),
      fd_(o.fd_),
      policy_(std::move(o.policy_)),
      last_sync_(o.last_sync_),
      dirty_(o.dirty_),
      records_(o.records_),
      syncs_(o.syncs_) {
  o.fd_ = -1;
}

JournalWriter& JournalWriter::operator=(JournalWriter&& o) noexcept {
  if (this != &o) {
    try {
      close();
    } catch (...) {
    }
    path_ = std::move(o.path_);
    header_ = std::move(o.header_);
    fd_ = o.fd_;
    policy_ = std::move(o.policy_);
    last_sync_ = o.last_sync_;
    dirty_ = o.dirty_;
    records_ = o.records_;
    syncs_ = o.syncs_;
    o.fd_ = -1;
  }
  return *this;
}

JournalWriter::~JournalWriter() {
  try {
    close();
  } catch (...) {
  }
}

SyncPolicy::Clock::time_point JournalWriter::now() const {
  return policy_.now ? policy_.now() : SyncPolicy::Clock::now();
}

void JournalWriter::append(const ResultRow& row) {
  if (fd_ < 0) throw FileError(path_, "journal is closed");
  write_all(fd_, make_record(encode_row(row)), path_);
  ++records_;
  dirty_ = true;
  if (now() - last_sync_ >= policy_.interval) sync();
}

void JournalWriter::sync() {
  if (fd_ < 0 || !dirty_) return;
  if (::fdatasync(fd_) != 0)
    throw FileError(path_, "fdatasync of the journal failed (" + std::string(std::strerror(errno)) + ")");
  dirty_ = false;
  ++syncs_;
  last_sync_ = now();
}

void JournalWriter::close() {
  if (fd_ < 0) return;
  try {
    sync();
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) throw FileError(path_, "cannot close the journal (" + std::string(std::strerror(errno)) + ")");
}

}  // namespace igbench::io
