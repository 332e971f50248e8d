//===- IdxFuzzer.cpp - libFuzzer target: the IDX reader (and gzip) --------===//
//
// Part of dlc. dlrt::loadIdx on the input (written to a scratch file; gzip is
// detected from the content, so the gunzip path is fuzzed too): an Error, or
// an array whose bytes are exactly as many as its dimensions say.
//
//===----------------------------------------------------------------------===//

#include "FuzzUtil.h"

#include "dlrt/datasets.h"
#include "dlrt/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = dlcfuzz::writeScratch("images-idx3-ubyte", data, size);
  try {
    dlrt::Array a = dlrt::loadIdx(path);
    dlcfuzz::check(a.rank() >= 1, "rank >= 1");
    uint64_t bytes;
    dlcfuzz::check(dlcfuzz::exactBytes(a.shape, dlrt::dtypeSize(a.dtype), bytes),
                   "the shape's byte size fits 64 bits");
    dlcfuzz::check(a.bytes.size() == bytes, "bytes == numel * dtypeSize");
  } catch (const dlrt::Error &) {
  }
  return 0;
}
