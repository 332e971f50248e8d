//===- FuzzUtil.h - helpers shared by the dlrt fuzz targets -----*- C++ -*-===//
//
// Part of dlc. The readers that only take a path (loadIdx, loadDataDir,
// loadCheckpoint) read the fuzz input from a scratch file that is rewritten
// for every input; the directory is made once per process under $TMPDIR
// and removed at exit.
//
//===----------------------------------------------------------------------===//
#ifndef DLC_TEST_FUZZ_FUZZUTIL_H
#define DLC_TEST_FUZZ_FUZZUTIL_H

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <unistd.h>

namespace dlcfuzz {

/// The process's scratch directory (created on first use).
inline const std::string &scratchDir() {
  static const std::string dir = [] {
    const char *tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp && *tmp ? tmp : "/tmp") + "/dlc-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      std::perror("dlc fuzz: mkdtemp");
      std::abort();
    }
    static std::string removeCommand = "rm -rf '" + pattern + "'";
    std::atexit([] {
      if (std::system(removeCommand.c_str()) != 0) {
      }
    });
    return pattern;
  }();
  return dir;
}

/// Writes DATA to NAME in the scratch directory and returns its path.
inline std::string writeScratch(const std::string &name, const uint8_t *data,
                                size_t size) {
  std::string path = scratchDir() + "/" + name;
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f || (size && std::fwrite(data, 1, size, f) != size) ||
      std::fclose(f) != 0) {
    std::perror(("dlc fuzz: " + path).c_str());
    std::abort();
  }
  return path;
}

/// The exact byte size of a tensor of SHAPE with ELEMENTBYTES-byte elements,
/// or false when it does not fit 64 bits (the readers' own products may
/// wrap: these are what the invariants compare against).
inline bool exactBytes(const std::vector<int64_t> &shape, uint64_t elementBytes,
                       uint64_t &bytes) {
  bytes = elementBytes;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(bytes, uint64_t(d), &bytes))
      return false;
  return true;
}

/// Aborts (a finding for libFuzzer) when an invariant of a reader's result
/// does not hold.
inline void check(bool ok, const char *what) {
  if (!ok) {
    std::fprintf(stderr, "dlc fuzz: invariant violated: %s\n", what);
    std::abort();
  }
}

} // namespace dlcfuzz

#endif // DLC_TEST_FUZZ_FUZZUTIL_H
