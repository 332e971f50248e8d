//===- datasets.cpp - IDX (+gzip), CSV, NumPy .npy, text corpora ----------===//
#include "dlrt/datasets.h"
#include "dlrt/error.h"
#include "dlrt/io.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace dlrt {

//===----------------------------------------------------------------------===//
// IDX
//===----------------------------------------------------------------------===//

static bool idxType(unsigned char code, DType &t) {
  switch (code) {
  case 0x08: t = DType::U8; return true;
  case 0x09: t = DType::I8; return true;
  case 0x0B: t = DType::I16; return true;
  case 0x0C: t = DType::I32; return true;
  case 0x0D: t = DType::F32; return true;
  case 0x0E: t = DType::F64; return true;
  }
  return false;
}

static uint32_t be32(const unsigned char *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         uint32_t(p[3]);
}

namespace {
/// An IDX header: the type, the dimensions and the sizes they imply.
struct IdxHeader {
  DType type;
  Shape shape;
  size_t headerBytes;
  uint64_t dataBytes;
};
} // namespace

/// Parses the IDX header at the start of DATA (SIZE bytes: the header alone
/// is enough) of PATH; WHAT says how it was read, for messages.
static IdxHeader parseIdxHeader(const unsigned char *data, size_t size,
                                const std::string &path,
                                const std::string &what) {
  if (size < 4)
    fail(path, "truncated IDX file: " + std::to_string(size) + " bytes" + what +
                   ", the header alone needs at least 4");
  if (data[0] != 0 || data[1] != 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02x %02x %02x %02x", data[0], data[1],
                  data[2], data[3]);
    fail(path, std::string("bad magic number: not an IDX file (starts with ") +
                   buf + ", expected 00 00 TYPE RANK)");
  }
  IdxHeader h;
  if (!idxType(data[2], h.type)) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", data[2]);
    fail(path, std::string("bad magic number: unknown IDX data type ") + buf);
  }
  int rank = data[3];
  if (rank < 1 || rank > DLC_MAX_RANK)
    fail(path, "bad dimensions: IDX rank " + std::to_string(rank) +
                   " (expected 1 to " + std::to_string(DLC_MAX_RANK) + ")");
  h.headerBytes = 4 + 4 * size_t(rank);
  if (size < h.headerBytes)
    fail(path, "truncated IDX file: the header of rank " +
                   std::to_string(rank) + " needs " +
                   std::to_string(h.headerBytes) + " bytes, the file has " +
                   std::to_string(size) + what);
  for (int i = 0; i < rank; ++i) {
    uint32_t d = be32(&data[4 + 4 * size_t(i)]);
    if (d == 0)
      fail(path, "bad dimensions: dimension " + std::to_string(i) + " is 0");
    if (d > 0x7fffffffu)
      fail(path, "bad dimensions: dimension " + std::to_string(i) + " is " +
                     std::to_string(d));
    h.shape.push_back(int64_t(d));
  }
  try {
    h.dataBytes = byteSize(h.shape, h.type);
  } catch (const Error &) {
    fail(path, "bad dimensions: " + shapeString(h.shape) + " of " +
                   dtypeName(h.type) + " is too large");
  }
  return h;
}

/// Parses the IDX content DATA of PATH (WHAT: how it was read). CUT: DATA
/// holds at most one byte more than the header implies (the rest of a gzip
/// stream was not decompressed).
static Array parseIdxContent(const unsigned char *data, size_t size,
                             const std::string &path, const std::string &what,
                             bool cut) {
  IdxHeader h = parseIdxHeader(data, size, path, what);
  uint64_t want = h.dataBytes, have = size - h.headerBytes;
  if (have < want)
    fail(path, "truncated IDX file: dimensions " + shapeString(h.shape) +
                   " need " + std::to_string(want) + " data bytes, found " +
                   std::to_string(have) + what);
  if (have > want && cut)
    fail(path, "bad dimensions: more bytes follow the " + std::to_string(want) +
                   " data bytes of " + shapeString(h.shape) + what +
                   "; decompression stopped there");
  if (have > want)
    fail(path, "bad dimensions: " + std::to_string(have - want) +
                   " bytes after the " + std::to_string(want) +
                   " data bytes of " + shapeString(h.shape) + what);
  Array a(h.type, h.shape);
  const unsigned char *src = data + h.headerBytes;
  size_t es = dtypeSize(h.type);
  if (es == 1) {
    std::memcpy(a.bytes.data(), src, size_t(want));
  } else {
    for (size_t i = 0; i < size_t(want); i += es)
      for (size_t b = 0; b < es; ++b) // big-endian -> little-endian
        a.bytes[i + b] = src[i + (es - 1 - b)];
  }
  return a;
}

namespace {
/// Where the data of a .npy file lie and what they hold.
struct NpyLayout {
  DType type;
  Shape shape;
  std::string descr;
  size_t dataStart;
  uint64_t dataBytes;
};
} // namespace

static NpyLayout parseNpyHeader(const unsigned char *data, size_t size,
                                const std::string &name);

static const unsigned char kNpyMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

/// The content of the gzip stream DATA of PATH, decompressed only as far
/// as needed: when it starts with an IDX or .npy header, the header, the
/// data it implies and one byte more (to tell trailing data); otherwise
/// all of it, up to kMaxReadBytes. A header that is cut short or invalid
/// ends the decompression too (the caller's parser reports it).
static Bytes inflateContent(const unsigned char *data, size_t size,
                            const std::string &path) {
  Gunzip gz(data, size, path);
  Bytes out;
  gz.read(out, 6);
  uint64_t total = 0; // 0: no header to go by
  DType t;
  if (out.size() == 6 && std::memcmp(out.data(), kNpyMagic, 6) == 0) {
    gz.read(out, 12 - out.size());
    if (out.size() < 10)
      return out;
    size_t pre = out[6] == 1 ? 10 : 12;
    if (out.size() < pre)
      return out;
    uint64_t hlen = uint64_t(out[8]) | uint64_t(out[9]) << 8;
    if (pre == 12)
      hlen |= uint64_t(out[10]) << 16 | uint64_t(out[11]) << 24;
    if (hlen > (1u << 20)) // parseNpyHeader refuses it
      return out;
    gz.read(out, pre + hlen - out.size());
    try {
      NpyLayout l = parseNpyHeader(out.data(), out.size(), path);
      total = l.dataStart + l.dataBytes;
    } catch (const Error &) {
      return out;
    }
  } else if (out.size() >= 4 && out[0] == 0 && out[1] == 0 &&
             idxType(out[2], t)) {
    if (out[3] < 1 || out[3] > DLC_MAX_RANK)
      return out;
    gz.read(out, 4 + 4 * uint64_t(out[3]) - out.size());
    try {
      IdxHeader h = parseIdxHeader(out.data(), out.size(), path, "");
      total = h.headerBytes + h.dataBytes;
    } catch (const Error &) {
      return out;
    }
  }
  if (total > kMaxReadBytes)
    fail(path, "the header declares " + std::to_string(total) +
                   " bytes of content, more than the limit of " +
                   std::to_string(kMaxReadBytes));
  uint64_t limit = total ? total : kMaxReadBytes;
  gz.read(out, limit + 1 - out.size());
  if (!total && out.size() > limit)
    fail(path,
         "gzip: decompressed size exceeds " + std::to_string(limit) + " bytes");
  return out;
}

Array parseIdx(const unsigned char *data, size_t size,
               const std::string &name) {
  if (!isGzip(data, size))
    return parseIdxContent(data, size, name, "", false);
  Bytes content = inflateContent(data, size, name);
  return parseIdxContent(content.data(), content.size(), name,
                         " (after gzip decompression)", true);
}

Array loadIdx(const std::string &path) {
  Bytes raw = readFile(path);
  return parseIdx(raw.data(), raw.size(), path);
}

void saveIdx(const std::string &path, const Array &a) {
  unsigned char code;
  switch (a.dtype) {
  case DType::U8: code = 0x08; break;
  case DType::I8: code = 0x09; break;
  case DType::I16: code = 0x0B; break;
  case DType::I32: code = 0x0C; break;
  case DType::F32: code = 0x0D; break;
  case DType::F64: code = 0x0E; break;
  default: fail(path, std::string("IDX cannot hold ") + dtypeName(a.dtype));
  }
  std::string out = {0, 0, char(code), char(a.shape.size())};
  for (int64_t d : a.shape)
    for (int s = 24; s >= 0; s -= 8)
      out += char((uint64_t(d) >> s) & 0xff);
  size_t es = dtypeSize(a.dtype);
  for (size_t i = 0; i < a.bytes.size(); i += es)
    for (size_t b = 0; b < es; ++b)
      out += char(a.bytes[i + es - 1 - b]);
  writeFileAtomic(path, out);
}

//===----------------------------------------------------------------------===//
// CSV
//===----------------------------------------------------------------------===//

int64_t CsvTable::column(const std::string &name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name)
      return int64_t(i);
  return -1;
}

static std::string trim(const std::string &s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t'))
    ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
    --e;
  return s.substr(b, e - b);
}

/// Splits one CSV record (no newlines inside quotes: a record is a line).
static std::vector<std::string> splitCsv(const std::string &line, char delim,
                                         const std::string &name,
                                         size_t lineNo) {
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false, wasQuoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"' && trim(cur).empty()) {
      quoted = wasQuoted = true;
      cur.clear();
    } else if (c == delim) {
      fields.push_back(wasQuoted ? cur : trim(cur));
      cur.clear();
      wasQuoted = false;
    } else {
      cur += c;
    }
  }
  if (quoted)
    fail(name + ":" + std::to_string(lineNo), "unterminated quoted field");
  fields.push_back(wasQuoted ? cur : trim(cur));
  return fields;
}

static bool parseNumber(const std::string &s, double &v) {
  if (s.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end && *end == 0 && errno != ERANGE;
}

CsvTable parseCsv(const std::string &text, const std::string &name,
                  const CsvOptions &opts) {
  CsvTable t;
  size_t pos = 0, lineNo = 0;
  bool first = true;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line =
        text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (trim(line).empty())
      continue;
    if (line.find('\0') != std::string::npos)
      fail(name + ":" + std::to_string(lineNo),
           "NUL byte: not a text CSV file");
    std::vector<std::string> fields = splitCsv(line, opts.delimiter, name, lineNo);
    if (first) {
      first = false;
      bool header;
      if (opts.header) {
        header = *opts.header;
      } else {
        header = false;
        double v;
        for (auto &f : fields)
          if (!parseNumber(f, v))
            header = true;
      }
      t.cols = int64_t(fields.size());
      if (header) {
        t.header = fields;
        continue;
      }
    }
    if (int64_t(fields.size()) != t.cols)
      fail(name + ":" + std::to_string(lineNo),
           "row has " + std::to_string(fields.size()) + " fields, expected " +
               std::to_string(t.cols) + " (as in the first row)");
    for (size_t c = 0; c < fields.size(); ++c) {
      double v;
      if (!parseNumber(fields[c], v))
        fail(name + ":" + std::to_string(lineNo),
             "column " + std::to_string(c + 1) + ": '" + fields[c] +
                 "' is not a number");
      t.values.push_back(v);
    }
    ++t.rows;
  }
  if (t.rows == 0)
    fail(name, first ? "empty CSV file" : "CSV file has no data rows");
  return t;
}

CsvTable loadCsv(const std::string &path, const CsvOptions &opts) {
  Bytes b = readMaybeGzip(path);
  return parseCsv(std::string(b.begin(), b.end()), path, opts);
}

//===----------------------------------------------------------------------===//
// NumPy .npy
//===----------------------------------------------------------------------===//

namespace {
/// The Python literal of a .npy header: {'descr': '<f4', 'fortran_order':
/// False, 'shape': (2, 3), }
class NpyHeaderParser {
public:
  NpyHeaderParser(const std::string &s, const std::string &name)
      : s_(s), name_(name) {}

  std::string descr;
  bool fortran = false;
  Shape shape;

  void parse() {
    bool haveDescr = false, haveFortran = false, haveShape = false;
    ws();
    expect('{');
    for (;;) {
      ws();
      if (peek() == '}') {
        ++pos_;
        break;
      }
      std::string key = str();
      ws();
      expect(':');
      ws();
      if (key == "descr") {
        descr = str();
        haveDescr = true;
      } else if (key == "fortran_order") {
        fortran = boolean();
        haveFortran = true;
      } else if (key == "shape") {
        shape = tuple();
        haveShape = true;
      } else {
        error("unexpected key '" + key + "'");
      }
      ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      ws();
      expect('}');
      break;
    }
    ws();
    if (pos_ != s_.size())
      error("unexpected characters after the dictionary");
    if (!haveDescr || !haveFortran || !haveShape)
      error("missing 'descr', 'fortran_order' or 'shape'");
  }

private:
  [[noreturn]] void error(const std::string &why) {
    fail(name_, "bad .npy header: " + why);
  }
  char peek() { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])))
      ++pos_;
  }
  void expect(char c) {
    if (peek() != c)
      error(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string str() {
    char q = peek();
    if (q != '\'' && q != '"')
      error("expected a string");
    ++pos_;
    size_t end = s_.find(q, pos_);
    if (end == std::string::npos)
      error("unterminated string");
    std::string v = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return v;
  }
  bool boolean() {
    if (s_.compare(pos_, 4, "True") == 0) {
      pos_ += 4;
      return true;
    }
    if (s_.compare(pos_, 5, "False") == 0) {
      pos_ += 5;
      return false;
    }
    error("expected True or False");
  }
  Shape tuple() {
    Shape out;
    expect('(');
    for (;;) {
      ws();
      if (peek() == ')') {
        ++pos_;
        return out;
      }
      size_t start = pos_;
      while (std::isdigit(static_cast<unsigned char>(peek())))
        ++pos_;
      if (start == pos_)
        error("bad shape: expected a non-negative integer");
      if (pos_ - start > 15)
        error("bad shape: dimension too large");
      out.push_back(std::stoll(s_.substr(start, pos_ - start)));
      if (peek() == 'L')
        ++pos_;
      ws();
      if (peek() == ',')
        ++pos_;
      else if (peek() != ')')
        error("bad shape: expected ',' or ')'");
    }
  }

  const std::string &s_;
  const std::string &name_;
  size_t pos_ = 0;
};
} // namespace

/// Parses the preamble and header at the start of DATA (SIZE bytes: the
/// header alone is enough) of .npy file NAME.
static NpyLayout parseNpyHeader(const unsigned char *data, size_t size,
                                const std::string &name) {
  if (size < 10)
    fail(name, "truncated .npy file: " + std::to_string(size) +
                   " bytes, the header alone needs at least 10");
  if (std::memcmp(data, kNpyMagic, 6) != 0)
    fail(name, "bad magic number: not a .npy file (expected \\x93NUMPY)");
  int major = data[6];
  size_t lenBytes, hlen;
  if (major == 1) {
    lenBytes = 2;
    hlen = size_t(data[8]) | size_t(data[9]) << 8;
  } else if (major == 2 || major == 3) {
    lenBytes = 4;
    if (size < 12)
      fail(name, "truncated .npy file: header length missing");
    hlen = size_t(data[8]) | size_t(data[9]) << 8 | size_t(data[10]) << 16 |
           size_t(data[11]) << 24;
  } else {
    fail(name, "unsupported .npy format version " + std::to_string(major) + "." +
                   std::to_string(data[7]));
  }
  size_t start = 8 + lenBytes;
  if (hlen > (1u << 20))
    fail(name, "bad .npy header: " + std::to_string(hlen) +
                   " bytes, more than 1 MiB");
  if (hlen > size - start)
    fail(name, "truncated .npy file: the header says " + std::to_string(hlen) +
                   " bytes, the file has " + std::to_string(size - start) +
                   " after the preamble");
  std::string header(reinterpret_cast<const char *>(data + start), hlen);
  NpyHeaderParser p(header, name);
  p.parse();

  const std::string &d = p.descr;
  if (d.size() < 3)
    fail(name, "unsupported dtype '" + d + "'");
  char order = d[0], kind = d[1];
  std::string bits = d.substr(2);
  DType t;
  if (kind == 'f' && bits == "4") t = DType::F32;
  else if (kind == 'f' && bits == "8") t = DType::F64;
  else if (kind == 'f' && bits == "2") t = DType::F16;
  else if (kind == 'i' && bits == "1") t = DType::I8;
  else if (kind == 'i' && bits == "2") t = DType::I16;
  else if (kind == 'i' && bits == "4") t = DType::I32;
  else if (kind == 'i' && bits == "8") t = DType::I64;
  else if (kind == 'u' && bits == "1") t = DType::U8;
  else if (kind == 'b' && bits == "1") t = DType::Bool;
  else
    fail(name, "unsupported dtype '" + d +
                   "' (supported: f2 f4 f8 i1 i2 i4 i8 u1 b1)");
  if (order == '>' && dtypeSize(t) > 1)
    fail(name, "big-endian data ('" + d + "') is not supported");
  if (order != '<' && order != '|' && order != '=' && order != '>')
    fail(name, "unsupported dtype '" + d + "'");
  if (p.shape.size() > DLC_MAX_RANK)
    fail(name, "bad shape: rank " + std::to_string(p.shape.size()) +
                   " exceeds " + std::to_string(DLC_MAX_RANK));
  if (p.fortran && p.shape.size() > 1)
    fail(name, "Fortran-order arrays are not supported (save with "
               "numpy.ascontiguousarray)");
  uint64_t want;
  try {
    want = byteSize(p.shape, t);
  } catch (const Error &) {
    fail(name,
         "bad shape: " + shapeString(p.shape) + " of '" + d + "' is too large");
  }
  return NpyLayout{t, p.shape, d, start + hlen, want};
}

/// Parses .npy content DATA of NAME. CUT: DATA holds at most one byte more
/// than the header implies (the rest of a gzip stream was not
/// decompressed).
static Array parseNpyContent(const unsigned char *data, size_t size,
                             const std::string &name, bool cut) {
  NpyLayout l = parseNpyHeader(data, size, name);
  const char *what = cut ? " (after gzip decompression)" : "";
  uint64_t want = l.dataBytes, have = size - l.dataStart;
  if (have < want)
    fail(name, "truncated .npy file: shape " + shapeString(l.shape) + " of " +
                   l.descr + " needs " + std::to_string(want) +
                   " data bytes, found " + std::to_string(have) + what);
  if (have > want && cut)
    fail(name, "more bytes follow the " + std::to_string(want) +
                   " data bytes of shape " + shapeString(l.shape) + what +
                   "; decompression stopped there");
  if (have > want)
    fail(name, std::to_string(have - want) + " unexpected bytes after the " +
                   std::to_string(want) + " data bytes of shape " +
                   shapeString(l.shape));
  Array a(l.type, l.shape);
  if (want)
    std::memcpy(a.bytes.data(), data + l.dataStart, size_t(want));
  return a;
}

Array parseNpy(const unsigned char *data, size_t size,
               const std::string &name) {
  return parseNpyContent(data, size, name, false);
}

Array loadNpy(const std::string &path) {
  Bytes b = readFile(path);
  return parseNpy(b.data(), b.size(), path);
}

static const char *npyDescr(DType t) {
  switch (t) {
  case DType::F32: return "<f4";
  case DType::F64: return "<f8";
  case DType::F16: return "<f2";
  case DType::I8: return "|i1";
  case DType::I16: return "<i2";
  case DType::I32: return "<i4";
  case DType::I64: return "<i8";
  case DType::U8: return "|u1";
  case DType::Bool: return "|b1";
  case DType::BF16: break;
  }
  return nullptr;
}

void saveNpy(const std::string &path, const TensorView &v) {
  const char *descr = npyDescr(v.dtype);
  if (!descr)
    fail(path, std::string(".npy cannot hold ") + dtypeName(v.dtype));
  std::string dict = std::string("{'descr': '") + descr +
                     "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < v.shape.size(); ++i)
    dict += std::to_string(v.shape[i]) + (v.shape.size() == 1 ? "," : i + 1 < v.shape.size() ? ", " : "");
  dict += "), }";
  size_t total = 10 + dict.size() + 1;
  size_t padded = (total + 63) / 64 * 64;
  dict.append(padded - total, ' ');
  dict += '\n';
  if (dict.size() > 65535)
    fail(path, ".npy header too long");
  std::string out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(dict.size() & 0xff);
  out += char(dict.size() >> 8);
  out += dict;
  out.append(static_cast<const char *>(v.data), v.bytes());
  writeFileAtomic(path, out);
}

void saveNpy(const std::string &path, const Array &a) {
  saveNpy(path, TensorView(const_cast<unsigned char *>(a.bytes.data()),
                           a.dtype, a.shape));
}

//===----------------------------------------------------------------------===//
// Text corpora
//===----------------------------------------------------------------------===//

std::vector<int32_t> TextCorpus::encode(const std::string &text) const {
  std::vector<int32_t> ids;
  ids.reserve(text.size());
  for (unsigned char c : text) {
    if (chars.empty()) {
      ids.push_back(c);
      continue;
    }
    auto it = std::lower_bound(chars.begin(), chars.end(), c);
    if (it == chars.end() || *it != c)
      fail("text: character " + std::to_string(int(c)) +
           " is not in the vocabulary");
    ids.push_back(int32_t(it - chars.begin()));
  }
  return ids;
}

std::string TextCorpus::decode(const std::vector<int32_t> &ids) const {
  std::string s;
  for (int32_t id : ids) {
    if (id < 0 || id >= vocabSize())
      fail("text: token id " + std::to_string(id) + " is outside the vocabulary");
    s += chars.empty() ? char(id) : char(chars[size_t(id)]);
  }
  return s;
}

TextCorpus loadTextBytes(const std::string &path) {
  Bytes b = readFile(path);
  if (b.empty())
    fail(path, "empty text file");
  TextCorpus c;
  c.tokens.assign(b.begin(), b.end());
  return c;
}

TextCorpus buildCharCorpus(const std::vector<std::string> &texts) {
  bool seen[256] = {};
  for (auto &t : texts)
    for (unsigned char ch : t)
      seen[ch] = true;
  TextCorpus c;
  for (int i = 0; i < 256; ++i)
    if (seen[i])
      c.chars.push_back(static_cast<unsigned char>(i));
  if (!texts.empty())
    c.tokens = c.encode(texts[0]);
  return c;
}

//===----------------------------------------------------------------------===//
// Data sets
//===----------------------------------------------------------------------===//

int64_t Dataset::featuresPerExample() const {
  return x.shape.size() <= 1 ? 1
                             : numElements(Shape(x.shape.begin() + 1, x.shape.end()));
}

int64_t Dataset::labelsPerExample() const {
  return y.shape.size() <= 1 ? 1
                             : numElements(Shape(y.shape.begin() + 1, y.shape.end()));
}

std::string Dataset::exampleDescription() const {
  if (!fields.empty()) {
    // "fields ids i32[64], nsp i32[]"
    std::string s = "fields";
    for (const Field &f : fields)
      s += (f.name == fields[0].name ? " " : ", ") + f.name + " " +
           dtypeName(f.data.dtype) +
           shapeString(Shape(f.data.shape.begin() + 1, f.data.shape.end()));
    return s;
  }
  Shape ex(x.shape.begin() + (x.shape.empty() ? 0 : 1), x.shape.end());
  int64_t n = featuresPerExample();
  if (ex.size() >= 2) {
    std::string s;
    for (size_t i = 0; i < ex.size(); ++i)
      s += (i ? "x" : "") + std::to_string(ex[i]);
    if (x.dtype == DType::U8 && ex.size() <= 3)
      return s + " images (" + std::to_string(n) + " values each)";
    return s + " values (" + std::to_string(n) + " per example)";
  }
  return std::to_string(n) + " value" + (n == 1 ? "" : "s") + " per example";
}

static void checkCounts(const Dataset &d, const std::string &xName,
                        const std::string &yName) {
  if (d.x.rank() < 1 || d.y.rank() < 1)
    fail(xName, "needs at least one dimension (the examples)");
  if (d.x.shape[0] != d.y.shape[0])
    fail(yName, "holds " + std::to_string(d.y.shape[0]) + " labels but " +
                    xName + " holds " + std::to_string(d.x.shape[0]) +
                    " examples");
  if (d.x.shape[0] == 0)
    fail(xName, "holds no examples");
}

Dataset loadIdxPair(const std::string &images, const std::string &labels) {
  Dataset d;
  d.name = images;
  d.labelName = labels;
  d.x = loadIdx(images);
  d.y = loadIdx(labels);
  checkCounts(d, images, labels);
  return d;
}

/// DIR/BASE or DIR/BASE.gz, whichever is there ("" when neither is). A
/// directory, a dangling link, a FIFO or a device under that name is an
/// error that says what it is (it is not "missing").
static std::string findWithGz(const std::string &dir, const std::string &base) {
  for (const char *ext : {"", ".gz"}) {
    std::string p = joinPath(dir, base + ext);
    if (pathPresent(p)) {
      requireRegularFile(p);
      return p;
    }
  }
  return "";
}

static double defaultScale(const Dataset &d, const DataOptions &o) {
  if (o.scale)
    return *o.scale;
  return d.x.dtype == DType::U8 ? 1.0 / 255.0 : 1.0;
}

/// The index of the label column of T named by OPTS (see DataOptions), or
/// -1 when OPTS names none and T has no column "label".
static int64_t optionalLabelColumn(const CsvTable &t, const std::string &path,
                                   const DataOptions &o) {
  if (o.labelColumn.empty())
    return t.column("label");
  int64_t lc = t.column(o.labelColumn);
  if (lc < 0) {
    char *end = nullptr;
    long v = std::strtol(o.labelColumn.c_str(), &end, 10);
    if (end && *end == 0 && v >= 0 && v < t.cols)
      lc = v;
  }
  if (lc < 0)
    fail(path, "no label column '" + o.labelColumn + "'");
  return lc;
}

Dataset loadInputs(const std::string &path, const DataOptions &o) {
  if (isDirectory(path))
    fail(path, "is a directory; predict --input names one file of inputs "
               "(IDX images, .npy or CSV)");
  Bytes raw = readFile(path);
  return parseInputs(raw.data(), raw.size(), path, o);
}

Dataset parseInputs(const unsigned char *raw, size_t rawSize,
                    const std::string &path, const DataOptions &o) {
  bool gz = isGzip(raw, rawSize);
  Bytes inflated;
  if (gz)
    inflated = inflateContent(raw, rawSize, path);
  const unsigned char *data = gz ? inflated.data() : raw;
  size_t size = gz ? inflated.size() : rawSize;
  Dataset d;
  d.name = path;
  DType idx;
  if (size >= 6 && std::memcmp(data, kNpyMagic, 6) == 0) {
    d.x = parseNpyContent(data, size, path, gz);
  } else if (size >= 4 && data[0] == 0 && data[1] == 0 &&
             idxType(data[2], idx)) {
    d.x = parseIdxContent(data, size, path,
                          gz ? " (after gzip decompression)" : "", gz);
  } else {
    CsvTable t =
        parseCsv(std::string(reinterpret_cast<const char *>(data), size), path);
    int64_t lc = optionalLabelColumn(t, path, o);
    int64_t cols = t.cols - (lc >= 0 ? 1 : 0);
    if (t.rows == 0 || cols == 0)
      fail(path, "holds no inputs");
    d.x = Array(DType::F32, {t.rows, cols});
    float *x = d.x.as<float>();
    for (int64_t r = 0; r < t.rows; ++r) {
      int64_t k = 0;
      for (int64_t c = 0; c < t.cols; ++c)
        if (c != lc)
          x[r * cols + k++] = float(t.at(r, c));
    }
  }
  if (d.x.rank() < 1 || d.x.shape[0] == 0)
    fail(path, "holds no inputs (an array of examples along its first "
               "dimension)");
  d.xScale = defaultScale(d, o);
  return d;
}

static Dataset csvDataset(const std::string &path, const DataOptions &o) {
  CsvTable t = loadCsv(path);
  if (t.cols < 2)
    fail(path, "needs at least two columns (features and a label)");
  int64_t lc = optionalLabelColumn(t, path, o);
  if (lc < 0)
    lc = t.cols - 1;
  Dataset d;
  d.name = path;
  d.x = Array(DType::F32, {t.rows, t.cols - 1});
  d.y = Array(DType::F64, {t.rows});
  float *x = d.x.as<float>();
  double *y = d.y.as<double>();
  for (int64_t r = 0; r < t.rows; ++r) {
    int64_t k = 0;
    for (int64_t c = 0; c < t.cols; ++c) {
      if (c == lc)
        y[r] = t.at(r, c);
      else
        x[r * (t.cols - 1) + k++] = float(t.at(r, c));
    }
  }
  return d;
}

static Dataset npyDataset(const std::string &xp, const std::string &yp) {
  Dataset d;
  d.name = xp;
  d.labelName = yp;
  d.x = loadNpy(xp);
  d.y = loadNpy(yp);
  checkCounts(d, xp, yp);
  return d;
}

static void textSplits(DataSplits &s, const std::vector<std::string> &texts,
                       const std::vector<std::string> &names,
                       const DataOptions &o) {
  int64_t T = o.textSeqLen;
  if (o.textVocab >= 256) {
    s.corpus = TextCorpus();
  } else {
    s.corpus = buildCharCorpus(texts);
    if (s.corpus.vocabSize() > o.textVocab)
      fail(names[0], "the text has " + std::to_string(s.corpus.vocabSize()) +
                         " distinct characters but the model's vocabulary "
                         "has " + std::to_string(o.textVocab));
  }
  auto make = [&](const std::vector<int32_t> &tok, int64_t first, int64_t count,
                  const std::string &name) {
    Dataset d;
    d.name = name;
    d.x = Array(DType::I32, {count, T});
    d.y = Array(DType::I32, {count, T});
    int32_t *x = d.x.as<int32_t>(), *y = d.y.as<int32_t>();
    for (int64_t i = 0; i < count; ++i)
      for (int64_t t = 0; t < T; ++t) {
        x[i * T + t] = tok[size_t((first + i) * T + t)];
        y[i * T + t] = tok[size_t((first + i) * T + t + 1)];
      }
    return d;
  };
  auto seqs = [&](const std::vector<int32_t> &tok) {
    return tok.size() < 2 ? 0 : int64_t(tok.size() - 1) / T;
  };
  if (texts.size() == 1) {
    std::vector<int32_t> tok = s.corpus.encode(texts[0]);
    int64_t n = seqs(tok);
    int64_t nTest = int64_t(std::floor(double(n) * o.textTestFraction));
    if (nTest < 1)
      nTest = 1;
    if (n - nTest < 1)
      fail(names[0], "too short: " + std::to_string(tok.size()) +
                         " tokens make fewer than two sequences of " +
                         std::to_string(T));
    s.train = make(tok, 0, n - nTest, names[0]);
    s.test = make(tok, n - nTest, nTest, names[0]);
  } else {
    std::vector<int32_t> tr = s.corpus.encode(texts[0]),
                         te = s.corpus.encode(texts[1]);
    if (seqs(tr) < 1 || seqs(te) < 1)
      fail(seqs(tr) < 1 ? names[0] : names[1],
           "too short for one sequence of " + std::to_string(T) + " tokens");
    s.train = make(tr, 0, seqs(tr), names[0]);
    s.test = make(te, 0, seqs(te), names[1]);
  }
}

static std::string readText(const std::string &path) {
  Bytes b = readMaybeGzip(path);
  if (b.empty())
    fail(path, "empty text file");
  return std::string(b.begin(), b.end());
}

static bool containsFashion(const std::string &p) {
  std::string l;
  for (char c : p)
    l += char(std::tolower(static_cast<unsigned char>(c)));
  return l.find("fashion") != std::string::npos;
}

DataSplits loadDataDir(const std::string &path, const DataOptions &o) {
  DataSplits s;
  if (o.textSeqLen > 0) {
    s.format = "text";
    if (isDirectory(path)) {
      std::string tr = joinPath(path, "train.txt"), te = joinPath(path, "test.txt");
      if (!pathPresent(tr)) {
        // A directory of texts as it is (Debian's fortunes): every regular
        // file in name order, once (a link to one already read, as
        // fortunes' NAME.u8, is skipped), but the `.dat` indexes of
        // strfile, split as one text.
        std::string all;
        std::vector<std::string> read;
        for (const std::string &name : listDirectory(path)) {
          std::string file = joinPath(path, name);
          if ((name.size() > 4 && name.compare(name.size() - 4, 4, ".dat") == 0) ||
              !notRegularFileReason(file).empty() ||
              std::any_of(read.begin(), read.end(), [&](const std::string &r) {
                return sameFile(r, file);
              }))
            continue;
          Bytes b = readMaybeGzip(file);
          all.append(b.begin(), b.end());
          read.push_back(file);
        }
        if (all.empty())
          fail(path, "no train.txt and no non-empty text file (a text model "
                     "reads a text file, a directory of text files, or a "
                     "directory with train.txt and optionally test.txt)");
        textSplits(s, {all}, {path}, o);
        s.files = read;
        return s;
      }
      if (pathPresent(te)) {
        textSplits(s, {readText(tr), readText(te)}, {tr, te}, o);
        s.files = {tr, te};
      } else {
        textSplits(s, {readText(tr)}, {tr}, o);
        s.files = {tr};
      }
    } else {
      textSplits(s, {readText(path)}, {path}, o);
      s.files = {path};
    }
    return s;
  }
  if (!isDirectory(path)) {
    if (!pathPresent(path))
      fail(path, "no such directory");
    std::string why = notRegularFileReason(path);
    if (why.empty())
      fail(path, "is a file; --data names a directory holding the data set");
    fail(path, why + "; --data names a directory holding the data set");
  }
  std::string idx[4] = {findWithGz(path, "train-images-idx3-ubyte"),
                        findWithGz(path, "train-labels-idx1-ubyte"),
                        findWithGz(path, "t10k-images-idx3-ubyte"),
                        findWithGz(path, "t10k-labels-idx1-ubyte")};
  int found = 0;
  for (auto &p : idx)
    found += !p.empty();
  if (found > 0) {
    if (found < 4) {
      static const char *names[4] = {
          "train-images-idx3-ubyte[.gz]", "train-labels-idx1-ubyte[.gz]",
          "t10k-images-idx3-ubyte[.gz]", "t10k-labels-idx1-ubyte[.gz]"};
      std::string missing;
      for (int i = 0; i < 4; ++i)
        if (idx[i].empty())
          missing += std::string(missing.empty() ? "" : ", ") + names[i];
      fail(path, "incomplete IDX data set: missing " + missing);
    }
    s.format = "idx";
    s.files.assign(idx, idx + 4);
    s.train = loadIdxPair(idx[0], idx[1]);
    s.test = loadIdxPair(idx[2], idx[3]);
    if (containsFashion(path))
      s.classNames = fashionMnistClasses();
  } else if (pathPresent(joinPath(path, "train.csv"))) {
    s.format = "csv";
    std::string te = joinPath(path, "test.csv");
    if (!pathPresent(te))
      fail(path, "has train.csv but no test.csv");
    s.files = {joinPath(path, "train.csv"), te};
    s.train = csvDataset(joinPath(path, "train.csv"), o);
    s.test = csvDataset(te, o);
  } else if (pathPresent(joinPath(path, "x_train.npy"))) {
    s.format = "npy";
    for (const char *f : {"y_train.npy", "x_test.npy", "y_test.npy"})
      if (!pathPresent(joinPath(path, f)))
        fail(path, std::string("has x_train.npy but no ") + f);
    for (const char *f :
         {"x_train.npy", "y_train.npy", "x_test.npy", "y_test.npy"})
      s.files.push_back(joinPath(path, f));
    s.train = npyDataset(joinPath(path, "x_train.npy"), joinPath(path, "y_train.npy"));
    s.test = npyDataset(joinPath(path, "x_test.npy"), joinPath(path, "y_test.npy"));
  } else {
    fail(path, "no data set found: expected the IDX files "
               "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
               "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] "
               "(MNIST, Fashion-MNIST), or train.csv and test.csv, or "
               "x_train.npy, y_train.npy, x_test.npy and y_test.npy");
  }
  s.train.xScale = defaultScale(s.train, o);
  s.test.xScale = defaultScale(s.test, o);
  Shape a(s.train.x.shape.begin() + 1, s.train.x.shape.end()),
      b(s.test.x.shape.begin() + 1, s.test.x.shape.end());
  if (numElements(a) != numElements(b))
    fail(path, "train examples (" + s.train.exampleDescription() +
                   ") and test examples (" + s.test.exampleDescription() +
                   ") differ in size");
  if (s.train.labelsPerExample() != s.test.labelsPerExample())
    fail(path, "train and test labels differ in size");
  return s;
}

const std::vector<std::string> &fashionMnistClasses() {
  static const std::vector<std::string> names = {
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

} // namespace dlrt
