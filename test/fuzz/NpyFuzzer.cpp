//===- NpyFuzzer.cpp - libFuzzer target: the .npy reader ------------------===//
//
// Part of dlc. dlrt::parseNpy on the input: an Error, or an array whose
// bytes are exactly as many as its shape and dtype say.
//
//===----------------------------------------------------------------------===//

#include "FuzzUtil.h"

#include "dlrt/datasets.h"
#include "dlrt/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  try {
    dlrt::Array a = dlrt::parseNpy(data, size, "fuzz.npy");
    uint64_t bytes;
    dlcfuzz::check(dlcfuzz::exactBytes(a.shape, dlrt::dtypeSize(a.dtype), bytes),
                   "the shape's byte size fits 64 bits");
    dlcfuzz::check(a.bytes.size() == bytes, "bytes == numel * dtypeSize");
    dlcfuzz::check(a.bytes.size() <= size, "no more data than input bytes");
  } catch (const dlrt::Error &) {
  }
  return 0;
}
