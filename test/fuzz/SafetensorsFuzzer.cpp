//===- SafetensorsFuzzer.cpp - libFuzzer target: safetensors, checkpoints -===//
//
// Part of dlc. The input is a safetensors file: dlrt::parseSafetensors must
// throw dlrt::Error or return tensors that lie inside the file and hold
// exactly dtype x shape bytes; dlrt::readSafetensorsMetadata and
// dlrt::loadCheckpoint (exact and not, against a fixed small model: the
// seed corpus holds its checkpoints) read it from a scratch file.
//
//===----------------------------------------------------------------------===//

#include "FuzzUtil.h"

#include "dlrt/checkpoint.h"
#include "dlrt/error.h"

#include <cstring>

namespace {

/// The model of the seed checkpoints (runtime/tests/CheckpointTest.cpp's).
const dlc_tensor_info kModel[] = {
    {"l1.W", DLC_PARAM, DLC_F32, 2, {3, 4}, 0, 48, DLC_INIT_UNIFORM, -1, 1},
    {"l1.b", DLC_PARAM, DLC_F32, 1, {4}, 64, 16, DLC_INIT_ZEROS, 0, 0},
    {"l1.W.m", DLC_OPT_STATE, DLC_F32, 2, {3, 4}, 128, 48, DLC_INIT_NONE, 0, 0},
    {"step", DLC_OPT_STATE, DLC_F32, 0, {0}, 192, 4, DLC_INIT_NONE, 0, 0},
    {"count", DLC_STATE, DLC_I64, 1, {2}, 256, 16, DLC_INIT_NONE, 0, 0},
};
const int kCount = 5;
const uint64_t kBytes = 320;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  try {
    dlrt::SafeTensorsFile f =
        dlrt::parseSafetensors(dlrt::Bytes(data, data + size), "fuzz");
    const unsigned char *begin = f.content.data(),
                        *end = f.content.data() + f.content.size();
    for (const dlrt::SafeTensor &t : f.tensors) {
      uint64_t bytes;
      dlcfuzz::check(
          dlcfuzz::exactBytes(t.shape, dlrt::dtypeSize(t.dtype), bytes),
          "the shape's byte size fits 64 bits");
      dlcfuzz::check(t.bytes == bytes, "bytes == numel * dtypeSize");
      dlcfuzz::check(t.bytes == 0 || (t.data >= begin && t.data <= end &&
                                      t.bytes <= size_t(end - t.data)),
                     "tensor data inside the file");
    }
  } catch (const dlrt::Error &) {
  }
  std::string path = dlcfuzz::writeScratch("fuzz.safetensors", data, size);
  try {
    dlrt::readSafetensorsMetadata(path);
  } catch (const dlrt::Error &) {
  }
  for (bool exact : {true, false}) {
    alignas(64) unsigned char state[kBytes];
    std::memset(state, 0, sizeof state);
    dlrt::LoadOptions opts;
    opts.exact = exact;
    try {
      dlrt::loadCheckpoint(path, "mlp", kModel, kCount, kBytes, state, opts);
    } catch (const dlrt::Error &) {
    }
  }
  return 0;
}
