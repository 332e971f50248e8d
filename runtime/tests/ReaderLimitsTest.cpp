//===- ReaderLimitsTest.cpp - hostile files: sizes, gzip bombs, non-files -===//
//
// Files built to break the readers (issue 11): headers whose sizes overflow
// 64 bits, gzip streams far longer than their IDX header implies, and
// "files" that are FIFOs, devices, directories or dangling links.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"

#include "dlrt/checkpoint.h"
#include "dlrt/datasets.h"
#include "dlrt/io.h"

#include <chrono>
#include <fcntl.h>
#include <future>
#include <sys/stat.h>
#include <unistd.h>

using namespace dlrt;
using namespace dlrt::test;

namespace {

std::string be32(uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

/// An IDX header of type CODE and DIMS (no data).
std::string idxHeader(unsigned char code, const std::vector<uint32_t> &dims) {
  std::string s = {0, 0, char(code), char(dims.size())};
  for (uint32_t d : dims)
    s += be32(d);
  return s;
}

/// A version-1 .npy file: DICT (padded) then DATA.
std::string npy(const std::string &dict, const std::string &data) {
  std::string h = dict;
  while ((10 + h.size() + 1) % 64)
    h += ' ';
  h += '\n';
  std::string s = "\x93NUMPY\x01";
  s += char(0);
  s += char(h.size() & 0xff);
  s += char(h.size() >> 8);
  return s + h + data;
}

/// A safetensors file: the 8-byte length, HEADER, DATA.
std::string safetensors(const std::string &header, const std::string &data) {
  std::string len(8, '\0');
  for (int i = 0; i < 8; ++i)
    len[size_t(i)] = char((header.size() >> (8 * i)) & 0xff);
  return len + header + data;
}

Array parseNpyString(const std::string &s) {
  return parseNpy(reinterpret_cast<const unsigned char *>(s.data()), s.size(),
                  "t.npy");
}

} // namespace

//===----------------------------------------------------------------------===//
// Sizes computed from headers never wrap around
//===----------------------------------------------------------------------===//

TEST(SizeOverflow, NpyShapeWhoseByteCountWrapsToZero) {
  // 2^49 x 4096 = 2^61 f8 elements: 2^64 bytes, 0 in 64-bit arithmetic.
  std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': "
                     "(562949953421312, 4096), }";
  EXPECT_DLRT_ERROR(parseNpyString(npy(dict, "")), "t.npy", "too large");
  EXPECT_DLRT_ERROR(parseNpyString(npy(dict, std::string(64, '\0'))), "t.npy",
                    "too large");
  // i4: 2^62 elements, 2^64 bytes.
  std::string i4 = "{'descr': '<i4', 'fortran_order': False, 'shape': "
                   "(4611686018427387, 1000), }";
  EXPECT_DLRT_ERROR(parseNpyString(npy(i4, "")), "t.npy", "too large");
}

TEST(SizeOverflow, IdxDimensionsWhoseByteCountWrapsToZero) {
  TempDir d;
  // f64 (0x0E) 2^30 x 2^30 x 2: 2^61 elements, 2^64 bytes.
  writeBytes(d / "f64", idxHeader(0x0E, {1u << 30, 1u << 30, 2}));
  EXPECT_DLRT_ERROR(loadIdx(d / "f64"), "f64", "too large");
  // i32 (0x0C) 2^31 - 1 ... : fits in elements, not in bytes.
  writeBytes(d / "i32", idxHeader(0x0C, {1u << 31 >> 1, 1u << 31 >> 1, 4}));
  EXPECT_DLRT_ERROR(loadIdx(d / "i32"), "i32", "too large");
}

TEST(SizeOverflow, SafetensorsShapeWhoseByteCountWrapsToZero) {
  // F64 [2^61] claims 0 bytes at [0, 0] when the product wraps.
  std::string h = "{\"x\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],"
                  "\"data_offsets\":[0,0]}}";
  std::string f = safetensors(h, "");
  EXPECT_DLRT_ERROR(
      parseSafetensors(Bytes(f.begin(), f.end()), "t.safetensors"),
      "t.safetensors", "tensor 'x'", "too large");
  std::string h2 = "{\"x\":{\"dtype\":\"I32\",\"shape\":[4611686018427387904],"
                   "\"data_offsets\":[0,0]}}";
  f = safetensors(h2, "");
  EXPECT_DLRT_ERROR(
      parseSafetensors(Bytes(f.begin(), f.end()), "t.safetensors"),
      "tensor 'x'", "too large");
}

TEST(SizeOverflow, ArrayAndByteSizeRefuseWrappingShapes) {
  EXPECT_DLRT_ERROR(Array(DType::F64, {int64_t(1) << 61}), "too large");
  EXPECT_DLRT_ERROR(Array(DType::I32, {int64_t(1) << 31, int64_t(1) << 31}),
                    "too large");
  EXPECT_EQ(Array(DType::F64, {3, 2}).bytes.size(), 48u);
}
