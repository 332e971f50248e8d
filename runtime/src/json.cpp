//===- json.cpp - a small strict JSON reader and writer -------------------===//
#include "dlrt/json.h"
#include "dlrt/error.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

namespace dlrt {

Json Json::boolean(bool b) {
  Json j;
  j.kind_ = Kind::Bool;
  j.bool_ = b;
  return j;
}
Json Json::number(double d) {
  Json j;
  j.kind_ = Kind::Number;
  j.num_ = d; // never isInteger(): only integer literals are
  return j;
}
Json Json::integer(int64_t i) {
  Json j;
  j.kind_ = Kind::Number;
  j.isInt_ = true;
  j.int_ = i;
  j.num_ = double(i);
  return j;
}
Json Json::string(std::string s) {
  Json j;
  j.kind_ = Kind::String;
  j.str_ = std::move(s);
  return j;
}
Json Json::array() {
  Json j;
  j.kind_ = Kind::Array;
  return j;
}
Json Json::object() {
  Json j;
  j.kind_ = Kind::Object;
  return j;
}

const Json *Json::find(const std::string &key) const {
  for (auto &m : members_)
    if (m.first == key)
      return &m.second;
  return nullptr;
}

void Json::set(const std::string &key, Json v) {
  for (auto &m : members_)
    if (m.first == key) {
      m.second = std::move(v);
      return;
    }
  members_.emplace_back(key, std::move(v));
}

void jsonQuote(const std::string &s, std::string &out) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    default:
      if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += char(c);
      }
    }
  }
  out += '"';
}

static void dumpTo(const Json &j, std::string &out) {
  switch (j.kind()) {
  case Json::Kind::Null: out += "null"; break;
  case Json::Kind::Bool: out += j.asBool() ? "true" : "false"; break;
  case Json::Kind::Number:
    if (j.isInteger()) {
      out += std::to_string(j.asInt());
    } else if (!std::isfinite(j.asDouble())) {
      out += "null";
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", j.asDouble());
      out += buf;
      // A number that is not an integer literal stays one: "2.0", "-0.0"
      // (not "2", "-0", which read back as integers, -0 as 0).
      if (!std::strpbrk(buf, ".e"))
        out += ".0";
    }
    break;
  case Json::Kind::String: jsonQuote(j.asString(), out); break;
  case Json::Kind::Array:
    out += '[';
    for (size_t i = 0; i < j.items().size(); ++i) {
      if (i)
        out += ',';
      dumpTo(j.items()[i], out);
    }
    out += ']';
    break;
  case Json::Kind::Object:
    out += '{';
    for (size_t i = 0; i < j.members().size(); ++i) {
      if (i)
        out += ',';
      jsonQuote(j.members()[i].first, out);
      out += ':';
      dumpTo(j.members()[i].second, out);
    }
    out += '}';
    break;
  }
}

std::string Json::dump() const {
  std::string out;
  dumpTo(*this, out);
  return out;
}

namespace {
class Parser {
public:
  Parser(const std::string &text, const std::string &where)
      : s_(text), where_(where) {}

  Json parseDocument() {
    skipWs();
    Json v = parseValue(0);
    skipWs();
    if (pos_ != s_.size())
      error("unexpected characters after the value");
    return v;
  }

private:
  [[noreturn]] void error(const std::string &why) {
    fail(where_, "invalid JSON at byte " + std::to_string(pos_) + ": " + why);
  }
  void skipWs() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' ||
                                s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expectWord(const char *w) {
    size_t n = std::strlen(w);
    if (s_.compare(pos_, n, w) != 0)
      error("unexpected character");
    pos_ += n;
  }

  Json parseValue(int depth) {
    if (depth > 64)
      error("nesting deeper than 64 levels");
    if (pos_ >= s_.size())
      error("unexpected end of input");
    char c = s_[pos_];
    if (c == '{')
      return parseObject(depth);
    if (c == '[')
      return parseArray(depth);
    if (c == '"')
      return Json::string(parseString());
    if (c == 't') {
      expectWord("true");
      return Json::boolean(true);
    }
    if (c == 'f') {
      expectWord("false");
      return Json::boolean(false);
    }
    if (c == 'n') {
      expectWord("null");
      return Json::null();
    }
    if (c == '-' || (c >= '0' && c <= '9'))
      return parseNumber();
    error(std::string("unexpected character '") + c + "'");
  }

  Json parseObject(int depth) {
    ++pos_; // {
    Json obj = Json::object();
    std::unordered_set<std::string> keys;
    skipWs();
    if (consume('}'))
      return obj;
    for (;;) {
      skipWs();
      if (pos_ >= s_.size() || s_[pos_] != '"')
        error("expected a string key");
      std::string key = parseString();
      // A set, not Json::find: a linear search per key is quadratic in a
      // header of millions of keys.
      if (!keys.insert(key).second)
        error("duplicate key \"" + key + "\"");
      skipWs();
      if (!consume(':'))
        error("expected ':'");
      skipWs();
      Json v = parseValue(depth + 1);
      obj.append(std::move(key), std::move(v));
      skipWs();
      if (consume('}'))
        return obj;
      if (!consume(','))
        error("expected ',' or '}'");
    }
  }

  Json parseArray(int depth) {
    ++pos_; // [
    Json arr = Json::array();
    skipWs();
    if (consume(']'))
      return arr;
    for (;;) {
      skipWs();
      arr.push(parseValue(depth + 1));
      skipWs();
      if (consume(']'))
        return arr;
      if (!consume(','))
        error("expected ',' or ']'");
    }
  }

  unsigned hex4() {
    if (pos_ + 4 > s_.size())
      error("truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= unsigned(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= unsigned(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= unsigned(c - 'A' + 10);
      else
        error("bad \\u escape");
    }
    return v;
  }

  static void utf8(unsigned cp, std::string &out) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xc0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += char(0xe0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3f));
      out += char(0x80 | (cp & 0x3f));
    } else {
      out += char(0xf0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3f));
      out += char(0x80 | ((cp >> 6) & 0x3f));
      out += char(0x80 | (cp & 0x3f));
    }
  }

  std::string parseString() {
    ++pos_; // "
    std::string out;
    for (;;) {
      if (pos_ >= s_.size())
        error("unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"')
        return out;
      if (c < 0x20)
        error("control character in string");
      if (c != '\\') {
        out += char(c);
        continue;
      }
      if (pos_ >= s_.size())
        error("unterminated string");
      char e = s_[pos_++];
      switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        unsigned cp = hex4();
        if (cp >= 0xd800 && cp < 0xdc00) {
          if (!(consume('\\') && consume('u')))
            error("unpaired surrogate");
          unsigned lo = hex4();
          if (lo < 0xdc00 || lo >= 0xe000)
            error("unpaired surrogate");
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        } else if (cp >= 0xdc00 && cp < 0xe000) {
          error("unpaired surrogate");
        }
        utf8(cp, out);
        break;
      }
      default:
        error(std::string("bad escape '\\") + e + "'");
      }
    }
  }

  Json parseNumber() {
    size_t start = pos_;
    bool isInt = true;
    consume('-');
    if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9'))
      error("bad number");
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
        ++pos_;
    }
    if (consume('.')) {
      isInt = false;
      if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9'))
        error("bad number");
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
        ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      isInt = false;
      ++pos_;
      if (!consume('+'))
        consume('-');
      if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9'))
        error("bad number");
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
        ++pos_;
    }
    std::string text = s_.substr(start, pos_ - start);
    if (isInt) {
      errno = 0;
      char *end = nullptr;
      long long v = std::strtoll(text.c_str(), &end, 10);
      if (errno == 0 && end && *end == 0)
        return Json::integer(int64_t(v));
    }
    double d = std::strtod(text.c_str(), nullptr);
    // Beyond the range of a double: an error, not a silent infinity (which
    // would be written back as null). Underflow to 0 is a rounding.
    if (!std::isfinite(d))
      error("number out of range: " + text);
    return Json::number(d);
  }

  const std::string &s_;
  const std::string &where_;
  size_t pos_ = 0;
};
} // namespace

Json Json::parse(const std::string &text, const std::string &where) {
  return Parser(text, where).parseDocument();
}

} // namespace dlrt
