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

/// What a file of mode M is, for messages; "" for a regular file.
static std::string kindOf(mode_t m) {
  if (S_ISREG(m))
    return "";
  if (S_ISDIR(m))
    return "is a directory, not a file";
  if (S_ISFIFO(m))
    return "is a FIFO (named pipe), not a regular file";
  if (S_ISCHR(m))
    return "is a character device, not a regular file";
  if (S_ISBLK(m))
    return "is a block device, not a regular file";
  if (S_ISSOCK(m))
    return "is a socket, not a regular file";
  return "is not a regular file";
}

/// The target of symbolic link PATH, or "" when PATH is not one.
static std::string linkTarget(const std::string &path) {
  struct stat lst;
  if (::lstat(path.c_str(), &lst) != 0 || !S_ISLNK(lst.st_mode))
    return "";
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n < 0 ? std::string("?") : std::string(buf, size_t(n));
}

std::string notRegularFileReason(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    int e = errno;
    std::string target = linkTarget(path);
    if (!target.empty() && e == ENOENT)
      return "is a dangling symbolic link (to '" + target + "')";
    if (e == ELOOP)
      return "is a loop of symbolic links";
    if (e == ENOENT)
      return "no such file";
    return "cannot open: " + std::string(std::strerror(e));
  }
  std::string why = kindOf(st.st_mode);
  std::string target = why.empty() ? "" : linkTarget(path);
  if (!target.empty())
    why += " (a symbolic link to '" + target + "')";
  return why;
}

void requireRegularFile(const std::string &path) {
  std::string why = notRegularFileReason(path);
  if (!why.empty())
    fail(path, why);
}

bool pathPresent(const std::string &path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

/// Opens regular file PATH for reading; never blocks on a FIFO (one put in
/// place between the check and the open is refused after it).
static int openRegular(const std::string &path) {
  requireRegularFile(path);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    fail(path, "cannot open: " + errnoText());
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    std::string why = S_ISREG(st.st_mode) ? "cannot stat: " + errnoText()
                                          : kindOf(st.st_mode);
    ::close(fd);
    fail(path, why);
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0)
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

/// Appends up to N bytes of FD to OUT (fewer at the end of the file).
static void readUpTo(int fd, const std::string &path, Bytes &out, uint64_t n) {
  while (n > 0) {
    size_t chunk = size_t(std::min<uint64_t>(n, 1 << 20));
    size_t old = out.size();
    out.resize(old + chunk);
    ssize_t got = ::read(fd, out.data() + old, chunk);
    if (got < 0) {
      out.resize(old);
      if (errno == EINTR)
        continue;
      std::string why = errnoText();
      ::close(fd);
      fail(path, "read error: " + why);
    }
    out.resize(old + size_t(got));
    if (got == 0)
      break;
    n -= uint64_t(got);
  }
}

Bytes readFile(const std::string &path, uint64_t maxBytes) {
  int fd = openRegular(path);
  struct stat st;
  Bytes out;
  if (::fstat(fd, &st) == 0) {
    if (uint64_t(st.st_size) > maxBytes) {
      ::close(fd);
      fail(path, "is " + std::to_string(st.st_size) +
                     " bytes, more than the limit of " +
                     std::to_string(maxBytes));
    }
    out.reserve(size_t(st.st_size));
  }
  // One byte more than the limit tells a file that grows (or one whose
  // size stat does not know, as in /proc) from one that fits.
  readUpTo(fd, path, out, maxBytes + 1);
  ::close(fd);
  if (out.size() > maxBytes)
    fail(path,
         "is longer than the limit of " + std::to_string(maxBytes) + " bytes");
  return out;
}

Bytes readFileHead(const std::string &path, uint64_t n) {
  int fd = openRegular(path);
  Bytes out;
  readUpTo(fd, path, out, n);
  ::close(fd);
  return out;
}

bool isGzip(const unsigned char *data, size_t size) {
  return size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

bool isGzip(const Bytes &data) { return isGzip(data.data(), data.size()); }

struct Gunzip::State {
  State(const unsigned char *in, size_t size, std::string name)
      : in(in), size(size), name(std::move(name)) {
    std::memset(&zs, 0, sizeof zs);
  }
  const unsigned char *in;
  size_t size;
  std::string name;
  size_t pos = 0; // start of the next member when not in one
  bool inMember = false, first = true, done = false;
  z_stream zs;
};

Gunzip::Gunzip(const unsigned char *data, size_t size, std::string name)
    : s_(new State(data, size, std::move(name))) {}

Gunzip::~Gunzip() {
  if (s_->inMember)
    inflateEnd(&s_->zs);
}

bool Gunzip::finished() const { return s_->done; }

size_t Gunzip::read(Bytes &out, uint64_t n) {
  State &s = *s_;
  const std::string &name = s.name;
  size_t got = 0;
  auto bail = [&](const std::string &why) {
    inflateEnd(&s.zs);
    s.inMember = false;
    s.done = true;
    fail(name, why);
  };
  while (got < n && !s.done) {
    if (!s.inMember) {
      // Several members may be concatenated; anything after the last
      // member that is not another member is an error.
      if (s.pos >= s.size) {
        if (s.first)
          fail(name, "gzip: empty file");
        s.done = true;
        break;
      }
      if (!s.first && !isGzip(s.in + s.pos, s.size - s.pos))
        fail(name, "gzip: trailing garbage after the compressed data");
      s.first = false;
      std::memset(&s.zs, 0, sizeof s.zs);
      if (inflateInit2(&s.zs, 16 + MAX_WBITS) != Z_OK)
        fail(name, "gzip: cannot initialize zlib");
      s.inMember = true;
      s.zs.next_in = const_cast<unsigned char *>(s.in + s.pos);
      s.zs.avail_in = uInt(std::min<size_t>(s.size - s.pos, 1u << 30));
    }
    size_t consumed = size_t(s.zs.next_in - s.in);
    if (s.zs.avail_in == 0 && consumed < s.size)
      s.zs.avail_in = uInt(std::min<size_t>(s.size - consumed, 1u << 30));
    size_t chunk = size_t(std::min<uint64_t>(n - got, 1 << 20));
    size_t old = out.size();
    out.resize(old + chunk);
    s.zs.next_out = out.data() + old;
    s.zs.avail_out = uInt(chunk);
    int rc = inflate(&s.zs, Z_NO_FLUSH);
    size_t produced = chunk - s.zs.avail_out;
    out.resize(old + produced);
    got += produced;
    if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR ||
        rc == Z_STREAM_ERROR)
      bail("gzip: corrupt compressed data (" +
           std::string(s.zs.msg ? s.zs.msg : "corrupt data") + ")");
    if (rc == Z_STREAM_END) {
      s.pos = size_t(s.zs.next_in - s.in);
      inflateEnd(&s.zs);
      s.inMember = false;
      continue;
    }
    if (produced == 0 && s.zs.avail_in == 0 &&
        size_t(s.zs.next_in - s.in) >= s.size)
      bail("gzip: truncated file (compressed data ends early)");
  }
  return got;
}

Bytes gunzip(const Bytes &in, const std::string &name, uint64_t maxOut) {
  Gunzip gz(in.data(), in.size(), name);
  Bytes out;
  gz.read(out, maxOut == UINT64_MAX ? maxOut : maxOut + 1);
  if (out.size() > maxOut)
    fail(name, "gzip: decompressed size exceeds " + std::to_string(maxOut) +
                   " bytes");
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

bool sameFile(const std::string &a, const std::string &b) {
  struct stat sa, sb;
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
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
