#pragma once
// Little-endian byte encoding of trivially copyable values and length-prefixed strings (private to
// src/io): the journal's header and records.
#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace igbench::io {

static_assert(std::endian::native == std::endian::little, "the byte codec writes native little-endian values");

class Encoder {
 public:
  template <class T>
  void put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const char*>(&value);
    bytes_.append(p, sizeof(T));
  }
  void put_string(const std::string& s) {
    put(static_cast<std::uint32_t>(s.size()));
    bytes_ += s;
  }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

class Decoder {
 public:
  Decoder(const char* data, std::size_t size) : data_(data), size_(size) {}
  template <class T>
  T get() {
    need(sizeof(T));
    T value;
    std::memcpy(&value, data_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }
  std::string get_string() {
    const auto n = get<std::uint32_t>();
    need(n);
    std::string s(data_ + pos_, n);
    pos_ += n;
    return s;
  }
  // An enum stored as u8, checked against its number of values.
  template <class E>
  E get_enum(int count) {
    const auto v = get<std::uint8_t>();
    if (v >= count) throw std::invalid_argument("enum value out of range");
    return static_cast<E>(v);
  }
  bool done() const { return pos_ == size_; }

 private:
  void need(std::size_t n) const {
    if (size_ - pos_ < n) throw std::invalid_argument("payload too short");
  }
  const char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace igbench::io
