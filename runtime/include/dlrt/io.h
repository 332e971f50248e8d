//===- dlrt/io.h - files: whole-file reads, gzip, atomic writes -*- C++ -*-===//
#ifndef DLRT_IO_H
#define DLRT_IO_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dlrt {

using Bytes = std::vector<unsigned char>;

/// The whole file; throws Error("PATH: cannot open: ...") etc.
Bytes readFile(const std::string &path);
/// True when DATA starts with the gzip magic (1f 8b).
bool isGzip(const Bytes &data);
/// Decompresses a gzip stream (several members allowed); NAME is used in
/// errors. Truncated or corrupt input, trailing garbage, or output larger
/// than MAXOUT bytes throw Error.
Bytes gunzip(const Bytes &data, const std::string &name,
             size_t maxOut = size_t(1) << 34);
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
