#pragma once
// A small JSON reader for test data (objects, arrays, numbers, strings, true/false/null).
// Numbers are read with strtod, so the shortest round-trip decimals Python writes come back as
// the same doubles. Strings support the simple escapes (\" \\ \/ \b \f \n \r \t), not \u.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace igbench::test {

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::map<std::string, Json>;

  Json() = default;
  static Json parse(const std::string& text) {
    std::size_t pos = 0;
    Json v = parse_value(text, pos);
    skip_space(text, pos);
    if (pos != text.size()) throw std::runtime_error("json: trailing characters at " + std::to_string(pos));
    return v;
  }
  static Json parse_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("json: cannot open " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return parse(s.str());
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  bool has(const std::string& key) const { return object().count(key) != 0; }
  const Json& operator[](const std::string& key) const {
    const auto it = object().find(key);
    if (it == object().end()) throw std::runtime_error("json: no key '" + key + "'");
    return it->second;
  }
  const Json& operator[](std::size_t i) const { return array().at(i); }
  std::size_t size() const { return array().size(); }

  double number() const { return get<double>("number"); }
  std::int64_t integer() const { return static_cast<std::int64_t>(number()); }
  const std::string& string() const { return get<std::string>("string"); }
  bool boolean() const { return get<bool>("boolean"); }
  const Array& array() const { return *get<std::shared_ptr<Array>>("array"); }
  const Object& object() const { return *get<std::shared_ptr<Object>>("object"); }
  std::vector<double> numbers() const {
    std::vector<double> out;
    for (const Json& x : array()) out.push_back(x.number());
    return out;
  }

 private:
  template <class T>
  const T& get(const char* what) const {
    if (const T* p = std::get_if<T>(&v_)) return *p;
    throw std::runtime_error(std::string("json: value is not a ") + what);
  }

  static void skip_space(const std::string& s, std::size_t& pos) {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\r' || s[pos] == '\t')) ++pos;
  }
  static void expect(const std::string& s, std::size_t& pos, char c) {
    skip_space(s, pos);
    if (pos >= s.size() || s[pos] != c)
      throw std::runtime_error(std::string("json: expected '") + c + "' at " + std::to_string(pos));
    ++pos;
  }
  static std::string parse_string(const std::string& s, std::size_t& pos) {
    expect(s, pos, '"');
    std::string out;
    while (pos < s.size() && s[pos] != '"') {
      char c = s[pos++];
      if (c == '\\') {
        if (pos >= s.size()) break;
        const char e = s[pos++];
        switch (e) {
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case 'n': c = '\n'; break;
          case 'r': c = '\r'; break;
          case 't': c = '\t'; break;
          case '"': case '\\': case '/': c = e; break;
          default: throw std::runtime_error("json: unsupported escape");
        }
      }
      out.push_back(c);
    }
    expect(s, pos, '"');
    return out;
  }
  static Json parse_value(const std::string& s, std::size_t& pos) {
    skip_space(s, pos);
    if (pos >= s.size()) throw std::runtime_error("json: unexpected end");
    Json v;
    const char c = s[pos];
    if (c == '{') {
      auto obj = std::make_shared<Object>();
      ++pos;
      skip_space(s, pos);
      if (s[pos] == '}') {
        ++pos;
      } else {
        for (;;) {
          std::string key = parse_string(s, pos);
          expect(s, pos, ':');
          (*obj)[key] = parse_value(s, pos);
          skip_space(s, pos);
          if (s[pos] == ',') { ++pos; continue; }
          expect(s, pos, '}');
          break;
        }
      }
      v.v_ = obj;
    } else if (c == '[') {
      auto arr = std::make_shared<Array>();
      ++pos;
      skip_space(s, pos);
      if (s[pos] == ']') {
        ++pos;
      } else {
        for (;;) {
          arr->push_back(parse_value(s, pos));
          skip_space(s, pos);
          if (s[pos] == ',') { ++pos; continue; }
          expect(s, pos, ']');
          break;
        }
      }
      v.v_ = arr;
    } else if (c == '"') {
      v.v_ = parse_string(s, pos);
    } else if (s.compare(pos, 4, "true") == 0) {
      v.v_ = true;
      pos += 4;
    } else if (s.compare(pos, 5, "false") == 0) {
      v.v_ = false;
      pos += 5;
    } else if (s.compare(pos, 4, "null") == 0) {
      pos += 4;
    } else {
      const char* begin = s.c_str() + pos;
      char* end = nullptr;
      const double x = std::strtod(begin, &end);
      if (end == begin) throw std::runtime_error("json: bad value at " + std::to_string(pos));
      pos += static_cast<std::size_t>(end - begin);
      v.v_ = x;
    }
    return v;
  }

  std::variant<std::monostate, bool, double, std::string, std::shared_ptr<Array>, std::shared_ptr<Object>> v_;
};

}  // namespace igbench::test
