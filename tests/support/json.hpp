#pragma once
// Test data in JSON, read with nlohmann-json (Debian's nlohmann-json3-dev) and held as a small
// immutable tree whose nodes can be referred to (operator[] returns a reference). Numbers come
// back as doubles (nlohmann parses them with strtod, so the shortest round-trip decimals Python
// writes give the same doubles).
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
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
    try {
      return from(nlohmann::json::parse(text));
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(std::string("json: ") + e.what());
    }
  }
  static Json parse_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("json: cannot open " + path);
    return parse(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
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

  static Json from(const nlohmann::json& j) {
    Json v;
    if (j.is_object()) {
      auto object = std::make_shared<Object>();
      for (const auto& [key, value] : j.items()) object->emplace(key, from(value));
      v.v_ = object;
    } else if (j.is_array()) {
      auto array = std::make_shared<Array>();
      for (const auto& value : j) array->push_back(from(value));
      v.v_ = array;
    } else if (j.is_number()) {
      v.v_ = j.get<double>();
    } else if (j.is_string()) {
      v.v_ = j.get<std::string>();
    } else if (j.is_boolean()) {
      v.v_ = j.get<bool>();
    }
    return v;
  }

  std::variant<std::monostate, bool, double, std::string, std::shared_ptr<Array>, std::shared_ptr<Object>> v_;
};

}  // namespace igbench::test
