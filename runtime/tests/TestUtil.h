//===- TestUtil.h - temporary directories and file helpers for tests ------===//
#ifndef DLRT_TESTS_TESTUTIL_H
#define DLRT_TESTS_TESTUTIL_H

#include "dlrt/error.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace dlrt::test {

/// A fresh directory under $TMPDIR, removed with its contents at the end.
class TempDir {
public:
  TempDir() {
    const char *base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/dlrt-test-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back(0);
    if (!mkdtemp(buf.data()))
      throw std::runtime_error("mkdtemp failed");
    path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string &path() const { return path_; }
  std::string operator/(const std::string &name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

inline void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(bytes.data(), std::streamsize(bytes.size()));
}

inline std::string readBytes(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

/// The CSV log at PATH without its seconds column (the only nondeterministic
/// one).
inline std::string logWithoutTimes(const std::string &path) {
  std::istringstream in(readBytes(path));
  std::string line, out;
  while (std::getline(in, line))
    out += line.substr(0, line.find_last_of(',')) + "\n";
  return out;
}

inline std::string gzip(const std::string &data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, uLong(data.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
  zs.avail_in = uInt(data.size());
  zs.next_out = reinterpret_cast<Bytef *>(&out[0]);
  zs.avail_out = uInt(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

/// Expects STATEMENT to throw dlrt::Error whose message contains every one
/// of the given fragments.
#define EXPECT_DLRT_ERROR(statement, ...)                                      \
  do {                                                                         \
    bool thrown_ = false;                                                      \
    try {                                                                      \
      statement;                                                               \
    } catch (const ::dlrt::Error &e_) {                                        \
      thrown_ = true;                                                          \
      std::string msg_ = e_.what();                                            \
      for (const char *frag_ : {__VA_ARGS__})                                  \
        EXPECT_NE(msg_.find(frag_), std::string::npos)                         \
            << "message: " << msg_ << "\n  lacks: " << frag_;                  \
    }                                                                          \
    EXPECT_TRUE(thrown_) << #statement " did not throw dlrt::Error";           \
  } while (0)

} // namespace dlrt::test

#endif
