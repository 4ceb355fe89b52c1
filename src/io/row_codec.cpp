// The journal's record payload: one ResultRow, its columns in schema order (io/schema.hpp).
#include <algorithm>

#include "byte_codec.hpp"
#include "igbench/io/journal.hpp"
#include "igbench/io/schema.hpp"

namespace igbench::io {

namespace {
// A record longer than this is corrupt (a row is a few hundred bytes); as in journal.cpp.
constexpr std::uint32_t max_values = (1u << 20) / 8;
}  // namespace

// A row is its columns in schema order (io/schema.hpp): names as a u8 index into the column's
// choices, other strings as u32 length + bytes, int32 / int64 / float64 as themselves, per-action
// values as u32 count + doubles.
std::string encode_row(const ResultRow& r) {
  Encoder e;
  for (const Column& c : result_columns()) {
    const Cell cell = c.get(r);
    switch (c.storage) {
      case Storage::string16:
      case Storage::string64: {
        const std::string& text = std::get<std::string>(cell);
        if (c.choices.empty()) {
          e.put_string(text);
        } else {
          const auto it = std::find(c.choices.begin(), c.choices.end(), text);
          e.put(static_cast<std::uint8_t>(it - c.choices.begin()));
        }
        break;
      }
      case Storage::int32: e.put(static_cast<std::int32_t>(std::get<std::int64_t>(cell))); break;
      case Storage::int64: e.put(std::get<std::int64_t>(cell)); break;
      case Storage::float64:
        if (c.shape == Shape::scalar) {
          e.put(std::get<double>(cell));
        } else {
          const auto& values = std::get<std::vector<double>>(cell);
          e.put(static_cast<std::uint32_t>(values.size()));
          for (double v : values) e.put(v);
        }
        break;
    }
  }
  return std::move(e.bytes());
}

ResultRow decode_row(const std::string& payload) {
  Decoder d(payload.data(), payload.size());
  ResultRow r;
  for (const Column& c : result_columns()) {
    Cell cell;
    switch (c.storage) {
      case Storage::string16:
      case Storage::string64:
        if (c.choices.empty()) {
          cell = d.get_string();
        } else {
          const auto i = d.get<std::uint8_t>();
          if (i >= c.choices.size()) throw std::invalid_argument("name index out of range in column " + c.name);
          cell = c.choices[i];
        }
        break;
      case Storage::int32: cell = std::int64_t{d.get<std::int32_t>()}; break;
      case Storage::int64: cell = d.get<std::int64_t>(); break;
      case Storage::float64:
        if (c.shape == Shape::scalar) {
          cell = d.get<double>();
        } else {
          const auto n = d.get<std::uint32_t>();
          if (n > max_values) throw std::invalid_argument(c.name + " too long");
          std::vector<double> values(n);
          for (double& v : values) v = d.get<double>();
          cell = std::move(values);
        }
        break;
    }
    c.set(r, cell);
  }
  if (!d.done()) throw std::invalid_argument("trailing bytes");
  return r;
}

}  // namespace igbench::io
