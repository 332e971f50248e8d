//===- dlrt/json.h - a small strict JSON reader and writer ------*- C++ -*-===//
//
// Enough JSON for safetensors headers: objects (insertion order kept),
// arrays, strings (escapes and \u incl. surrogate pairs), numbers (integers
// kept exact up to 64 bits), true/false/null. Parse errors throw Error with
// the byte offset; nesting is limited to 64 levels.
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_JSON_H
#define DLRT_JSON_H

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace dlrt {

class Json {
public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  Json() = default;
  static Json null() { return Json(); }
  static Json boolean(bool b);
  static Json number(double d);
  static Json integer(int64_t i);
  static Json string(std::string s);
  static Json array();
  static Json object();

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::Null; }
  bool isBool() const { return kind_ == Kind::Bool; }
  bool isNumber() const { return kind_ == Kind::Number; }
  bool isString() const { return kind_ == Kind::String; }
  bool isArray() const { return kind_ == Kind::Array; }
  bool isObject() const { return kind_ == Kind::Object; }
  /// True for a number written without fraction or exponent that fits int64.
  bool isInteger() const { return kind_ == Kind::Number && isInt_; }

  bool asBool() const { return bool_; }
  double asDouble() const { return num_; }
  int64_t asInt() const { return int_; }
  const std::string &asString() const { return str_; }
  const std::vector<Json> &items() const { return items_; }
  const std::vector<std::pair<std::string, Json>> &members() const {
    return members_;
  }

  /// Object member or nullptr.
  const Json *find(const std::string &key) const;
  void push(Json v) { items_.push_back(std::move(v)); }
  /// Sets (or replaces) an object member.
  void set(const std::string &key, Json v);
  /// Appends an object member whose KEY the caller knows to be new (set()
  /// searches the members first).
  void append(std::string key, Json v) {
    members_.emplace_back(std::move(key), std::move(v));
  }

  /// Compact serialization.
  std::string dump() const;
  /// Parses TEXT (the whole of it); errors are "WHERE: invalid JSON at byte
  /// N: reason".
  static Json parse(const std::string &text, const std::string &where);

private:
  Kind kind_ = Kind::Null;
  bool bool_ = false;
  bool isInt_ = false;
  double num_ = 0;
  int64_t int_ = 0;
  std::string str_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
};

/// Appends S as a JSON string literal (quoted, escaped) to OUT.
void jsonQuote(const std::string &s, std::string &out);

} // namespace dlrt

#endif // DLRT_JSON_H
