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
#include <functional>
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

//===----------------------------------------------------------------------===//
// Gzip bombs: an IDX or .npy stream is inflated only as far as its header says
//===----------------------------------------------------------------------===//

namespace {
/// A gzip stream of CONTENT followed by MIB members of 1 MiB of zeros each
/// (a few KiB of input that inflate to MIB MiB).
std::string bomb(const std::string &content, int mib) {
  static const std::string zeros = gzip(std::string(1 << 20, '\0'));
  std::string s = gzip(content);
  for (int i = 0; i < mib; ++i)
    s += zeros;
  return s;
}
} // namespace

TEST(GzipBomb, IdxStopsAtTheSizeItsHeaderImplies) {
  TempDir d;
  writeBytes(d / "bomb.gz", bomb(idxHeader(0x08, {10}) + "0123456789", 64));
  EXPECT_DLRT_ERROR(loadIdx(d / "bomb.gz"), "bomb.gz",
                    "more bytes follow the 10 data bytes of [10]",
                    "decompression stopped there");
  // The same content without the bomb loads; so does the header split
  // across members.
  std::string good = idxHeader(0x08, {10}) + "0123456789";
  writeBytes(d / "good.gz", gzip(good.substr(0, 3)) + gzip(good.substr(3)));
  EXPECT_EQ(loadIdx(d / "good.gz").at(9), '9');
  // Garbage after the last member is still found (one byte past the data).
  writeBytes(d / "trail.gz", gzip(good) + "junk");
  EXPECT_DLRT_ERROR(loadIdx(d / "trail.gz"), "trailing garbage");
}

TEST(GzipBomb, InputsStopAtTheSizeTheirHeaderImplies) {
  TempDir d;
  std::string x = npy(
      "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", "abcd");
  writeBytes(d / "x.npy.gz", bomb(x, 64));
  EXPECT_DLRT_ERROR(loadInputs(d / "x.npy.gz"), "x.npy.gz",
                    "more bytes follow the 4 data bytes",
                    "decompression stopped there");
  writeBytes(d / "i.gz", bomb(idxHeader(0x08, {2, 2}) + "abcd", 64));
  EXPECT_DLRT_ERROR(loadInputs(d / "i.gz"), "i.gz",
                    "decompression stopped there");
  writeBytes(d / "ok.gz", gzip(x));
  EXPECT_EQ(loadInputs(d / "ok.gz").x.shape, (Shape{2, 2}));
}

TEST(GzipBomb, GunzipInflatesOnlyWhatIsAskedFor) {
  std::string s = bomb("header", 64);
  Gunzip gz(reinterpret_cast<const unsigned char *>(s.data()), s.size(),
            "b.gz");
  Bytes out;
  EXPECT_EQ(gz.read(out, 4), 4u);
  EXPECT_EQ(gz.read(out, 3), 3u);
  EXPECT_EQ(std::string(out.begin(), out.end()), std::string("header") + '\0');
  EXPECT_FALSE(gz.finished());
  EXPECT_LE(out.capacity(), size_t(4) << 20);
  Bytes in(s.begin(), s.end());
  EXPECT_DLRT_ERROR(gunzip(in, "b.gz", 1000), "b.gz", "exceeds 1000 bytes");
}

//===----------------------------------------------------------------------===//
// Only regular files are read: no device, FIFO, directory or dangling link
//===----------------------------------------------------------------------===//

namespace {
/// Runs READER on FIFO and returns its error message ("no error" when it
/// returned). A reader that blocks on the FIFO fails the test and is
/// released (by opening and closing the write end) so the test ends.
std::string fifoReaderError(const std::string &fifo,
                            const std::function<void()> &reader) {
  auto run = [&] {
    try {
      reader();
      return std::string("no error");
    } catch (const std::exception &e) {
      return std::string(e.what());
    }
  };
  std::future<std::string> f = std::async(std::launch::async, run);
  if (f.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    ADD_FAILURE() << "the reader of " << fifo << " blocked on the FIFO";
    while (f.wait_for(std::chrono::milliseconds(50)) !=
           std::future_status::ready) {
      int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
      if (fd >= 0)
        ::close(fd);
    }
  }
  return f.get();
}
} // namespace

TEST(NonRegularFiles, AFifoIsRefusedNotWaitedOn) {
  TempDir d;
  std::string fifo = d / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::vector<std::pair<const char *, std::function<void()>>> readers = {
      {"loadIdx", [&] { loadIdx(fifo); }},
      {"loadCsv", [&] { loadCsv(fifo); }},
      {"loadNpy", [&] { loadNpy(fifo); }},
      {"loadTextBytes", [&] { loadTextBytes(fifo); }},
      {"loadInputs", [&] { loadInputs(fifo); }},
      {"readSafetensors", [&] { readSafetensors(fifo); }},
      {"readSafetensorsMetadata", [&] { readSafetensorsMetadata(fifo); }},
  };
  for (auto &[what, reader] : readers) {
    std::string msg = fifoReaderError(fifo, reader);
    EXPECT_NE(msg.find(fifo + ": is a FIFO (named pipe), not a regular file"),
              std::string::npos)
        << what << ": " << msg;
  }
}

TEST(NonRegularFiles, ADeviceIsRefusedBeforeItIsRead) {
  // /dev/null reads as empty (harmless here); /dev/zero behind the same
  // check would never end (trainer_e2e.sh tries it under ulimit -v).
  TempDir d;
  std::string dev = d / "train-images-idx3-ubyte";
  ASSERT_EQ(::symlink("/dev/null", dev.c_str()), 0);
  EXPECT_DLRT_ERROR(loadIdx(dev), "train-images-idx3-ubyte",
                    "is a character device, not a regular file",
                    "a symbolic link to '/dev/null'");
  EXPECT_DLRT_ERROR(loadCsv(dev), "is a character device");
  EXPECT_DLRT_ERROR(loadNpy(dev), "is a character device");
  EXPECT_DLRT_ERROR(readSafetensors(dev), "is a character device");
  EXPECT_DLRT_ERROR(readSafetensorsMetadata(dev), "is a character device");
  EXPECT_DLRT_ERROR(loadDataDir(d.path()), "train-images-idx3-ubyte",
                    "is a character device");
}

TEST(NonRegularFiles, ReadFileReadsAtMostTheLimitPlusOne) {
  TempDir d;
  writeBytes(d / "f", "0123456789");
  EXPECT_EQ(readFile(d / "f", 10).size(), 10u);
  EXPECT_DLRT_ERROR(readFile(d / "f", 9), "f", "more than the limit of 9");
  EXPECT_EQ(readFileHead(d / "f", 4), (Bytes{'0', '1', '2', '3'}));
  EXPECT_EQ(readFileHead(d / "f", 40).size(), 10u);
  EXPECT_DLRT_ERROR(readFileHead(d / "none", 4), "none", "no such file");
}

TEST(DataDir, ADirectoryOrDanglingLinkIsSaidToBeOneNotMissing) {
  TempDir d;
  writeBytes(d / "train-labels-idx1-ubyte", idxHeader(0x08, {1}) + "x");
  writeBytes(d / "t10k-images-idx3-ubyte", idxHeader(0x08, {1, 1}) + "x");
  writeBytes(d / "t10k-labels-idx1-ubyte", idxHeader(0x08, {1}) + "x");
  ASSERT_EQ(::mkdir((d / "train-images-idx3-ubyte").c_str(), 0755), 0);
  EXPECT_DLRT_ERROR(loadDataDir(d.path()), "train-images-idx3-ubyte",
                    "is a directory");
  ::rmdir((d / "train-images-idx3-ubyte").c_str());
  ASSERT_EQ(::symlink("gone", (d / "train-images-idx3-ubyte.gz").c_str()), 0);
  EXPECT_DLRT_ERROR(loadDataDir(d.path()), "train-images-idx3-ubyte.gz",
                    "is a dangling symbolic link (to 'gone')");

  TempDir c;
  ASSERT_EQ(::symlink("/nowhere/train.csv", (c / "train.csv").c_str()), 0);
  writeBytes(c / "test.csv", "a,label\n1,0\n");
  EXPECT_DLRT_ERROR(loadDataDir(c.path()), "train.csv",
                    "is a dangling symbolic link (to '/nowhere/train.csv')");
  ::unlink((c / "train.csv").c_str());
  writeBytes(c / "train.csv", "a,label\n1,0\n");
  ::unlink((c / "test.csv").c_str());
  ASSERT_EQ(::mkdir((c / "test.csv").c_str(), 0755), 0);
  EXPECT_DLRT_ERROR(loadDataDir(c.path()), "test.csv", "is a directory");

  TempDir n;
  ASSERT_EQ(::symlink("x", (n / "x_train.npy").c_str()), 0);
  for (const char *f : {"y_train.npy", "x_test.npy", "y_test.npy"})
    writeBytes(n / f, "");
  EXPECT_DLRT_ERROR(loadDataDir(n.path()), "x_train.npy",
                    "dangling symbolic link");
  // --data itself.
  EXPECT_DLRT_ERROR(loadDataDir(n / "x_train.npy"), "x_train.npy",
                    "dangling symbolic link");
}
