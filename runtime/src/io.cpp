//===- io.cpp - whole-file reads, gzip, atomic writes, directories --------===//
#include "dlrt/io.h"
#include "dlrt/error.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dlrt {

static std::string errnoText() { return std::strerror(errno); }

Bytes readFile(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    fail(path, errno == ENOENT ? "no such file" : "cannot open: " + errnoText());
  if (S_ISDIR(st.st_mode))
    fail(path, "is a directory, not a file");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    fail(path, "cannot open: " + errnoText());
  Bytes out;
  if (S_ISREG(st.st_mode))
    out.reserve(size_t(st.st_size));
  unsigned char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      std::string why = errnoText();
      ::close(fd);
      fail(path, "read error: " + why);
    }
    if (n == 0)
      break;
    out.insert(out.end(), buf, buf + n);
  }
  ::close(fd);
  return out;
}

bool isGzip(const Bytes &data) {
  return data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

Bytes gunzip(const Bytes &in, const std::string &name, size_t maxOut) {
  Bytes out;
  size_t pos = 0;
  bool first = true;
  // Several gzip members may be concatenated (gzip -c a b); anything after
  // the last member that is not another member is an error.
  while (pos < in.size()) {
    if (!first && !(in.size() - pos >= 2 && in[pos] == 0x1f && in[pos + 1] == 0x8b))
      fail(name, "gzip: trailing garbage after the compressed data");
    first = false;
    z_stream zs;
    std::memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
      fail(name, "gzip: cannot initialize zlib");
    zs.next_in = const_cast<Bytes::value_type *>(in.data() + pos);
    size_t avail = in.size() - pos;
    zs.avail_in = uInt(std::min<size_t>(avail, 1u << 30));
    int rc = Z_OK;
    unsigned char buf[1 << 16];
    while (rc != Z_STREAM_END) {
      zs.next_out = buf;
      zs.avail_out = sizeof buf;
      rc = inflate(&zs, Z_NO_FLUSH);
      if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR ||
          rc == Z_STREAM_ERROR) {
        std::string why = zs.msg ? zs.msg : "corrupt data";
        inflateEnd(&zs);
        fail(name, "gzip: corrupt compressed data (" + why + ")");
      }
      size_t produced = sizeof buf - zs.avail_out;
      if (out.size() + produced > maxOut) {
        inflateEnd(&zs);
        fail(name, "gzip: decompressed size exceeds " + std::to_string(maxOut) +
                       " bytes");
      }
      out.insert(out.end(), buf, buf + produced);
      if (rc == Z_BUF_ERROR || (rc == Z_OK && produced == 0 && zs.avail_in == 0)) {
        size_t consumed = size_t(zs.next_in - (in.data() + pos));
        if (consumed >= avail) {
          inflateEnd(&zs);
          fail(name, "gzip: truncated file (compressed data ends early)");
        }
        zs.avail_in = uInt(std::min<size_t>(avail - consumed, 1u << 30));
      }
    }
    pos = size_t(zs.next_in - in.data());
    inflateEnd(&zs);
  }
  if (first)
    fail(name, "gzip: empty file");
  return out;
}

Bytes readMaybeGzip(const std::string &path) {
  Bytes data = readFile(path);
  if (isGzip(data))
    return gunzip(data, path);
  return data;
}

static std::string dirName(const std::string &path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

void writeFileAtomic(const std::string &path, const void *data, size_t size) {
  std::string dir = dirName(path);
  std::string base = path.substr(path.find_last_of('/') + 1);
  std::string tmp = joinPath(dir, "." + base + ".tmp." + std::to_string(::getpid()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    fail(path, "cannot create temporary file " + tmp + ": " + errnoText());
  auto bail = [&](const std::string &what) {
    std::string why = errnoText();
    ::close(fd);
    ::unlink(tmp.c_str());
    fail(path, what + ": " + why);
  };
  const char *p = static_cast<const char *>(data);
  size_t left = size;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      bail("write error");
    }
    p += n;
    left -= size_t(n);
  }
  if (::fsync(fd) != 0)
    bail("fsync failed");
  if (::close(fd) != 0) {
    std::string why = errnoText();
    ::unlink(tmp.c_str());
    fail(path, "close failed: " + why);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = errnoText();
    ::unlink(tmp.c_str());
    fail(path, "cannot rename the temporary file into place: " + why);
  }
  // Make the rename itself durable.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

bool fileExists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

bool isDirectory(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void makeDirectories(const std::string &dir) {
  if (dir.empty() || isDirectory(dir))
    return;
  std::string parent = dirName(dir);
  if (parent != dir && parent != "." && parent != "/")
    makeDirectories(parent);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    fail(dir, "cannot create directory: " + errnoText());
  if (!isDirectory(dir))
    fail(dir, "exists and is not a directory");
}

std::vector<std::string> listDirectory(const std::string &dir) {
  DIR *d = ::opendir(dir.c_str());
  if (!d)
    fail(dir, errno == ENOENT ? "no such directory"
                              : "cannot list directory: " + errnoText());
  std::vector<std::string> names;
  while (struct dirent *e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..")
      names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

std::string joinPath(const std::string &dir, const std::string &name) {
  if (dir.empty())
    return name;
  if (dir.back() == '/')
    return dir + name;
  return dir + "/" + name;
}

uint64_t fnv1a(const void *data, size_t size, uint64_t h) {
  const unsigned char *p = static_cast<const unsigned char *>(data);
  for (size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

} // namespace dlrt
