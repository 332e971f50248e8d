//===- dlrt/io.h - files: whole-file reads, gzip, atomic writes -*- C++ -*-===//
#ifndef DLRT_IO_H
#define DLRT_IO_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dlrt {

using Bytes = std::vector<unsigned char>;

/// The most bytes dlrt reads from one file, or inflates from one gzip
/// stream, unless a caller asks for less: 16 GiB.
constexpr uint64_t kMaxReadBytes = uint64_t(1) << 34;

/// Why PATH is not a regular file that can be read, following symbolic
/// links, or "" when it is one: "no such file", "is a directory, not a
/// file", "is a dangling symbolic link (to 'T')", "is a FIFO (named pipe),
/// not a regular file", "is a character device, not a regular file", ...
/// For a symbolic link to something other than a regular file, the reason
/// names the link's target.
std::string notRegularFileReason(const std::string &path);
/// Throws Error("PATH: REASON") unless PATH is a regular file (following
/// symbolic links).
void requireRegularFile(const std::string &path);
/// Whether anything is at PATH, a dangling symbolic link included.
bool pathPresent(const std::string &path);

/// The whole of regular file PATH (symbolic links followed). Anything else
/// (a directory, FIFO, device, socket) is refused before it is read, so
/// neither /dev/zero nor a FIFO can make a reader run out of memory or
/// wait forever; at most MAXBYTES + 1 bytes are read, and a file longer
/// than MAXBYTES is an error. Throws Error("PATH: no such file") etc.
Bytes readFile(const std::string &path, uint64_t maxBytes = kMaxReadBytes);
/// The first N bytes of regular file PATH (fewer when it is shorter), with
/// readFile's checks.
Bytes readFileHead(const std::string &path, uint64_t n);
/// True when DATA starts with the gzip magic (1f 8b).
bool isGzip(const Bytes &data);
bool isGzip(const unsigned char *data, size_t size);

/// Incremental decompression of an in-memory gzip stream (several members
/// allowed, as gzip -c a b writes them): read() inflates only as much as it
/// is asked for, so a reader can check a header before it decompresses the
/// data the header implies, and never more. NAME is used in errors.
class Gunzip {
public:
  Gunzip(const unsigned char *data, size_t size, std::string name);
  ~Gunzip();
  Gunzip(const Gunzip &) = delete;
  Gunzip &operator=(const Gunzip &) = delete;

  /// Appends up to N more decompressed bytes to OUT and returns how many;
  /// fewer than N only at the end of the stream. Throws Error for corrupt
  /// or truncated data, an empty input and garbage after the last member.
  size_t read(Bytes &out, uint64_t n);
  /// Whether the whole stream has been decompressed (and checked).
  bool finished() const;

private:
  struct State;
  std::unique_ptr<State> s_;
};

/// Decompresses a gzip stream (several members allowed); NAME is used in
/// errors. Truncated or corrupt input, trailing garbage, or output larger
/// than MAXOUT bytes throw Error (at most MAXOUT + 1 bytes are inflated).
Bytes gunzip(const Bytes &data, const std::string &name,
             uint64_t maxOut = kMaxReadBytes);
/// readFile, then gunzip when the content is gzip (regardless of the name).
Bytes readMaybeGzip(const std::string &path);

/// Writes DATA to PATH atomically: a temporary file in the same directory,
/// fsync, rename over PATH, fsync of the directory. On failure the
/// temporary file is removed and PATH is untouched.
void writeFileAtomic(const std::string &path, const void *data, size_t size);
inline void writeFileAtomic(const std::string &path, const std::string &s) {
  writeFileAtomic(path, s.data(), s.size());
}

bool fileExists(const std::string &path);
/// Whether A and B name the same existing file (device and inode, symbolic
/// links followed).
bool sameFile(const std::string &a, const std::string &b);
bool isDirectory(const std::string &path);
/// Creates DIR and its parents (like mkdir -p); throws on failure.
void makeDirectories(const std::string &dir);
/// Names (not paths) of the entries of DIR, sorted; throws on failure.
std::vector<std::string> listDirectory(const std::string &dir);
/// DIR + "/" + NAME (no doubled slash).
std::string joinPath(const std::string &dir, const std::string &name);

/// FNV-1a, 64-bit.
uint64_t fnv1a(const void *data, size_t size, uint64_t h = 0xcbf29ce484222325ull);
inline uint64_t fnv1a(const std::string &s, uint64_t h = 0xcbf29ce484222325ull) {
  return fnv1a(s.data(), s.size(), h);
}

} // namespace dlrt

#endif // DLRT_IO_H
