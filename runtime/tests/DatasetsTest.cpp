//===- DatasetsTest.cpp - IDX, gzip, CSV, .npy, text, data directories ----===//
#include "TestUtil.h"

#include "dlrt/datasets.h"
#include "dlrt/io.h"

#include <cmath>
#include <cstring>

using namespace dlrt;
using namespace dlrt::test;

namespace {

std::string be32(uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

/// An IDX u8 file: magic, dims, then DATA.
std::string idxU8(const std::vector<uint32_t> &dims, const std::string &data) {
  std::string s = {0, 0, 0x08, char(dims.size())};
  for (uint32_t d : dims)
    s += be32(d);
  return s + data;
}

std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i)
    s[i] = char(i * 7 + 3);
  return s;
}

} // namespace

//===----------------------------------------------------------------------===//
// IDX
//===----------------------------------------------------------------------===//

TEST(Idx, ReadsU8Images) {
  TempDir d;
  writeBytes(d / "img", idxU8({3, 2, 4}, pattern(24)));
  Array a = loadIdx(d / "img");
  EXPECT_EQ(a.dtype, DType::U8);
  EXPECT_EQ(a.shape, (Shape{3, 2, 4}));
  for (int i = 0; i < 24; ++i)
    EXPECT_EQ(a.at(i), double(uint8_t(i * 7 + 3)));
}

TEST(Idx, ReadsGzipByContentNotName) {
  TempDir d;
  std::string raw = idxU8({5}, std::string("\x01\x02\x03\x04\x05", 5));
  writeBytes(d / "labels.gz", gzip(raw));
  writeBytes(d / "labels-no-ext", gzip(raw));
  writeBytes(d / "plain.gz", raw); // misnamed but valid
  for (const char *n : {"labels.gz", "labels-no-ext", "plain.gz"}) {
    Array a = loadIdx(d / n);
    ASSERT_EQ(a.shape, (Shape{5}));
    EXPECT_EQ(a.at(4), 5);
  }
}

TEST(Idx, ReadsBigEndianWideTypes) {
  TempDir d;
  // i32 [2]: 1, -2 ; f32 [1]: 1.5 ; f64 [1]: -0.25 ; i16 [1]: -3
  std::string i32 = std::string{0, 0, 0x0C, 1} + be32(2) + be32(1) + be32(uint32_t(-2));
  writeBytes(d / "i32", i32);
  Array a = loadIdx(d / "i32");
  EXPECT_EQ(a.dtype, DType::I32);
  EXPECT_EQ(a.at(0), 1);
  EXPECT_EQ(a.at(1), -2);
  float f = 1.5f;
  uint32_t fb;
  std::memcpy(&fb, &f, 4);
  writeBytes(d / "f32", std::string{0, 0, 0x0D, 1} + be32(1) + be32(fb));
  EXPECT_EQ(loadIdx(d / "f32").at(0), 1.5);
  double g = -0.25;
  uint64_t gb;
  std::memcpy(&gb, &g, 8);
  writeBytes(d / "f64", std::string{0, 0, 0x0E, 1} + be32(1) + be32(uint32_t(gb >> 32)) +
                            be32(uint32_t(gb)));
  EXPECT_EQ(loadIdx(d / "f64").at(0), -0.25);
  writeBytes(d / "i16", std::string{0, 0, 0x0B, 1} + be32(1) + std::string{char(0xff), char(0xfd)});
  EXPECT_EQ(loadIdx(d / "i16").at(0), -3);
}

TEST(Idx, RoundTripsThroughSaveIdx) {
  TempDir d;
  Array a(DType::F32, {2, 3});
  for (int i = 0; i < 6; ++i)
    a.set(i, i * 0.5 - 1);
  saveIdx(d / "a.idx", a);
  Array b = loadIdx(d / "a.idx");
  EXPECT_EQ(b.shape, a.shape);
  EXPECT_EQ(b.bytes, a.bytes);
}

TEST(Idx, MissingFile) {
  TempDir d;
  EXPECT_DLRT_ERROR(loadIdx(d / "nope"), "nope", "no such file");
  EXPECT_DLRT_ERROR(loadIdx(d.path()), "is a directory");
}

TEST(Idx, BadMagic) {
  TempDir d;
  writeBytes(d / "bad", std::string("\x12\x34\x08\x01") + be32(1) + "x");
  EXPECT_DLRT_ERROR(loadIdx(d / "bad"), "bad", "bad magic");
  writeBytes(d / "type", std::string{0, 0, 0x07, 1} + be32(1) + "x");
  EXPECT_DLRT_ERROR(loadIdx(d / "type"), "unknown IDX data type 0x07");
}

TEST(Idx, BadDimensions) {
  TempDir d;
  writeBytes(d / "rank0", std::string{0, 0, 0x08, 0});
  EXPECT_DLRT_ERROR(loadIdx(d / "rank0"), "bad dimensions", "rank 0");
  writeBytes(d / "zero", idxU8({3, 0}, ""));
  EXPECT_DLRT_ERROR(loadIdx(d / "zero"), "bad dimensions", "dimension 1 is 0");
  writeBytes(d / "huge", idxU8({0x7fffffff, 0x7fffffff, 0x7fffffff}, ""));
  EXPECT_DLRT_ERROR(loadIdx(d / "huge"), "huge");
  writeBytes(d / "extra", idxU8({2}, "abc"));
  EXPECT_DLRT_ERROR(loadIdx(d / "extra"), "1 bytes after");
}

TEST(Idx, Truncated) {
  TempDir d;
  std::string full = idxU8({4, 4}, pattern(16));
  writeBytes(d / "t1", full.substr(0, 2));
  EXPECT_DLRT_ERROR(loadIdx(d / "t1"), "t1", "truncated");
  writeBytes(d / "t2", full.substr(0, 9)); // inside the dimensions
  EXPECT_DLRT_ERROR(loadIdx(d / "t2"), "truncated", "header");
  writeBytes(d / "t3", full.substr(0, full.size() - 1)); // inside the data
  EXPECT_DLRT_ERROR(loadIdx(d / "t3"), "truncated", "need 16 data bytes, found 15");
  writeBytes(d / "empty", "");
  EXPECT_DLRT_ERROR(loadIdx(d / "empty"), "truncated");
}

TEST(Idx, GzipErrors) {
  TempDir d;
  std::string gz = gzip(idxU8({64}, pattern(64)));
  // Cut anywhere after the magic: a truncated stream.
  for (size_t cut : {size_t(3), size_t(12), gz.size() / 2, gz.size() - 4, gz.size() - 1}) {
    writeBytes(d / "cut.gz", gz.substr(0, cut));
    EXPECT_DLRT_ERROR(loadIdx(d / "cut.gz"), "cut.gz", "gzip");
  }
  // Corrupt the deflate data and the CRC.
  std::string bad = gz;
  bad[bad.size() - 6] ^= 0x55; // inside the CRC32 trailer
  writeBytes(d / "crc.gz", bad);
  EXPECT_DLRT_ERROR(loadIdx(d / "crc.gz"), "crc.gz", "gzip: corrupt");
  bad = gz;
  bad[3] = 0x7f; // reserved flag bits
  writeBytes(d / "flags.gz", bad);
  EXPECT_DLRT_ERROR(loadIdx(d / "flags.gz"), "gzip");
  writeBytes(d / "trail.gz", gz + "garbage");
  EXPECT_DLRT_ERROR(loadIdx(d / "trail.gz"), "trailing garbage");
  // Two members are one stream (gzip -c a b).
  std::string a = idxU8({4}, "abcd");
  writeBytes(d / "two.gz", gzip(a.substr(0, 6)) + gzip(a.substr(6)));
  EXPECT_EQ(loadIdx(d / "two.gz").at(3), 'd');
}

TEST(Idx, PairChecksCounts) {
  TempDir d;
  writeBytes(d / "img", idxU8({3, 2}, pattern(6)));
  writeBytes(d / "lab", idxU8({2}, "\x01\x02"));
  EXPECT_DLRT_ERROR(loadIdxPair(d / "img", d / "lab"), "lab", "2 labels",
                    "3 examples");
}

//===----------------------------------------------------------------------===//
// CSV
//===----------------------------------------------------------------------===//

TEST(Csv, HeaderDetectedAndQuotedFields) {
  CsvTable t = parseCsv("a,\"b\",label\r\n1, 2.5 ,3\n\n\"4\",-5e-1,6\n", "t.csv");
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "b", "label"}));
  EXPECT_EQ(t.rows, 2);
  EXPECT_EQ(t.cols, 3);
  EXPECT_EQ(t.at(0, 1), 2.5);
  EXPECT_EQ(t.at(1, 0), 4);
  EXPECT_EQ(t.at(1, 1), -0.5);
  EXPECT_EQ(t.column("label"), 2);
}

TEST(Csv, NoHeaderAndExplicitOptions) {
  CsvTable t = parseCsv("1;2\n3;4\n", "t", CsvOptions{';', std::nullopt});
  EXPECT_TRUE(t.header.empty());
  EXPECT_EQ(t.rows, 2);
  EXPECT_EQ(t.at(1, 1), 4);
  CsvOptions o;
  o.header = true;
  CsvTable h = parseCsv("1,2\n3,4\n", "t", o);
  EXPECT_EQ(h.rows, 1);
  EXPECT_EQ(h.header[0], "1");
}

TEST(Csv, Errors) {
  EXPECT_DLRT_ERROR(parseCsv("", "e.csv"), "e.csv", "empty CSV");
  EXPECT_DLRT_ERROR(parseCsv("a,b\n", "h.csv"), "no data rows");
  EXPECT_DLRT_ERROR(parseCsv("1,2\n3\n", "r.csv"), "r.csv:2", "1 fields, expected 2");
  EXPECT_DLRT_ERROR(parseCsv("x,y\n1,2\n3,abc\n", "n.csv"), "n.csv:3", "column 2",
                    "'abc' is not a number");
  EXPECT_DLRT_ERROR(parseCsv("1,\"2\n", "q.csv"), "q.csv:1", "unterminated");
  EXPECT_DLRT_ERROR(parseCsv("1,2,3\n1,,2\n", "f.csv"), "'' is not a number");
  EXPECT_DLRT_ERROR(parseCsv(std::string("1,2\n\0\x01,3\n", 9), "b.csv"), "NUL");
  EXPECT_DLRT_ERROR(parseCsv("1,2\n1,1e999\n", "o.csv"), "not a number");
  TempDir d;
  EXPECT_DLRT_ERROR(loadCsv(d / "missing.csv"), "missing.csv", "no such file");
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

namespace {
std::string npy(int major, const std::string &dict, const std::string &data) {
  std::string h = dict;
  size_t pre = major == 1 ? 10 : 12;
  while ((pre + h.size() + 1) % 64)
    h += ' ';
  h += '\n';
  std::string s = "\x93NUMPY";
  s += char(major);
  s += char(0);
  if (major == 1) {
    s += char(h.size() & 0xff);
    s += char(h.size() >> 8);
  } else {
    for (int i = 0; i < 4; ++i)
      s += char((h.size() >> (8 * i)) & 0xff);
  }
  return s + h + data;
}

template <typename T> std::string raw(std::initializer_list<T> v) {
  std::string s;
  for (T x : v)
    s.append(reinterpret_cast<const char *>(&x), sizeof x);
  return s;
}
} // namespace

TEST(Npy, ReadsEveryDtypeV1AndV2) {
  auto parse = [](const std::string &s) {
    return parseNpy(reinterpret_cast<const unsigned char *>(s.data()), s.size(), "t.npy");
  };
  Array f4 = parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
                       raw<float>({1, 2, 3, 4.5f})));
  EXPECT_EQ(f4.dtype, DType::F32);
  EXPECT_EQ(f4.shape, (Shape{2, 2}));
  EXPECT_EQ(f4.at(3), 4.5);
  Array f8 = parse(npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
                       raw<double>({-1, 0.125, 9})));
  EXPECT_EQ(f8.dtype, DType::F64);
  EXPECT_EQ(f8.at(1), 0.125);
  Array i4 = parse(npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
                       raw<int32_t>({-7, 7})));
  EXPECT_EQ(i4.at(0), -7);
  Array i8 = parse(npy(1, "{\"descr\": \"<i8\", \"fortran_order\": False, \"shape\": (1, 1)}",
                       raw<int64_t>({1ll << 40})));
  EXPECT_EQ(i8.dtype, DType::I64);
  EXPECT_EQ(i8.at(0), double(1ll << 40));
  Array u1 = parse(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }",
                       std::string("\x00\x7f\x80\xff", 4)));
  EXPECT_EQ(u1.dtype, DType::U8);
  EXPECT_EQ(u1.at(3), 255);
  Array scalar = parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
                           raw<float>({2})));
  EXPECT_EQ(scalar.rank(), 0);
  EXPECT_EQ(scalar.at(0), 2);
  Array fortran1d = parse(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }",
                              raw<float>({2})));
  EXPECT_EQ(fortran1d.at(0), 2);
}

TEST(Npy, SaveThenLoad) {
  TempDir d;
  Array a(DType::I32, {2, 3});
  for (int i = 0; i < 6; ++i)
    a.set(i, i - 3);
  saveNpy(d / "a.npy", a);
  std::string bytes = readBytes(d / "a.npy");
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_EQ((bytes.size() - a.bytes.size()) % 64, 0u); // aligned header
  Array b = loadNpy(d / "a.npy");
  EXPECT_EQ(b.dtype, DType::I32);
  EXPECT_EQ(b.shape, a.shape);
  EXPECT_EQ(b.bytes, a.bytes);
  Array v(DType::F64, {4});
  saveNpy(d / "v.npy", v);
  EXPECT_EQ(loadNpy(d / "v.npy").shape, (Shape{4}));
}

TEST(Npy, Errors) {
  TempDir d;
  auto bad = [&](const std::string &content) {
    writeBytes(d / "x.npy", content);
    return d / "x.npy";
  };
  std::string ok = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
                       raw<float>({1, 2, 3, 4}));
  EXPECT_DLRT_ERROR(loadNpy(d / "none.npy"), "none.npy", "no such file");
  EXPECT_DLRT_ERROR(loadNpy(bad("\x93NUMP")), "x.npy", "truncated");
  EXPECT_DLRT_ERROR(loadNpy(bad("PK\x03\x04 not npy at all")), "bad magic");
  std::string v9 = ok;
  v9[6] = 9;
  EXPECT_DLRT_ERROR(loadNpy(bad(v9)), "unsupported .npy format version 9");
  EXPECT_DLRT_ERROR(loadNpy(bad(ok.substr(0, 40))), "truncated", "header says");
  EXPECT_DLRT_ERROR(loadNpy(bad(ok.substr(0, ok.size() - 3))), "truncated",
                    "needs 16 data bytes, found 13");
  EXPECT_DLRT_ERROR(loadNpy(bad(ok + "xx")), "2 unexpected bytes");
  EXPECT_DLRT_ERROR(
      loadNpy(bad(npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
                      "abcd"))),
      "big-endian");
  EXPECT_DLRT_ERROR(
      loadNpy(bad(npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                      "abcdefgh"))),
      "unsupported dtype '<c8'");
  EXPECT_DLRT_ERROR(
      loadNpy(bad(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                      raw<float>({1, 2, 3, 4})))),
      "Fortran");
  EXPECT_DLRT_ERROR(
      loadNpy(bad(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", ""))),
      "bad shape");
  EXPECT_DLRT_ERROR(
      loadNpy(bad(npy(1, "{'descr': '<f4', 'shape': (1,), }", raw<float>({1})))),
      "missing");
  EXPECT_DLRT_ERROR(
      loadNpy(bad(npy(1, "{'descr': '<f4', 'fortran_order': Nope, 'shape': (1,), }", ""))),
      "True or False");
  EXPECT_DLRT_ERROR(loadNpy(bad(npy(1, "not a dict", ""))), "bad .npy header");
  EXPECT_DLRT_ERROR(
      loadNpy(bad(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999, 99999999999), }", ""))),
      "bad shape");
}

//===----------------------------------------------------------------------===//
// Text
//===----------------------------------------------------------------------===//

TEST(Text, ByteAndCharVocabularies) {
  TempDir d;
  writeBytes(d / "t.txt", "hello");
  TextCorpus b = loadTextBytes(d / "t.txt");
  EXPECT_EQ(b.vocabSize(), 256);
  EXPECT_EQ(b.tokens, (std::vector<int32_t>{'h', 'e', 'l', 'l', 'o'}));
  EXPECT_EQ(b.decode(b.tokens), "hello");
  TextCorpus c = buildCharCorpus({"hello", "world"});
  EXPECT_EQ(c.vocabSize(), 7); // d e h l o r w
  EXPECT_EQ(c.tokens, (std::vector<int32_t>{2, 1, 3, 3, 4}));
  EXPECT_EQ(c.decode(c.encode("world")), "world");
  EXPECT_DLRT_ERROR(c.encode("xyz"), "not in the vocabulary");
  EXPECT_DLRT_ERROR(c.decode({99}), "outside the vocabulary");
  writeBytes(d / "empty.txt", "");
  EXPECT_DLRT_ERROR(loadTextBytes(d / "empty.txt"), "empty text file");
  EXPECT_DLRT_ERROR(loadTextBytes(d / "missing.txt"), "missing.txt", "no such file");
}

TEST(Text, SequencesForLanguageModels) {
  TempDir d;
  std::string text;
  for (int i = 0; i < 100; ++i)
    text += char('a' + i % 5);
  writeBytes(d / "corpus.txt", text);
  DataOptions o;
  o.textSeqLen = 8;
  o.textVocab = 5;
  DataSplits s = loadDataDir(d / "corpus.txt", o);
  EXPECT_EQ(s.format, "text");
  int64_t n = (100 - 1) / 8; // 12 sequences: 11 train, 1 test
  EXPECT_EQ(s.train.size() + s.test.size(), n);
  EXPECT_EQ(s.test.size(), 1);
  EXPECT_EQ(s.train.x.shape, (Shape{11, 8}));
  // y is x shifted by one token.
  EXPECT_EQ(s.train.y.at(0), s.train.x.at(1));
  EXPECT_EQ(s.train.x.at(8), 8 % 5); // second sequence starts at token 8
  o.textVocab = 3;
  EXPECT_DLRT_ERROR(loadDataDir(d / "corpus.txt", o), "5 distinct characters",
                    "vocabulary has 3");
  o.textVocab = 256;
  o.textSeqLen = 200;
  EXPECT_DLRT_ERROR(loadDataDir(d / "corpus.txt", o), "too short");
}

// A directory of texts as Debian's fortunes installs them: each text once
// (NAME.u8 a link to NAME is skipped), strfile's NAME.dat indexes skipped,
// the rest concatenated in name order and split as one text.
TEST(Text, DirectoryOfTexts) {
  TempDir d;
  writeBytes(d / "b", std::string(40, 'b'));
  writeBytes(d / "a", std::string(40, 'a'));
  writeBytes(d / "a.dat", std::string(40, 'z'));
  std::filesystem::create_symlink("a", d / "a.u8");  // as fortunes' links
  std::filesystem::create_directory(d / "off");
  DataOptions o;
  o.textSeqLen = 8;
  o.textVocab = 128;
  DataSplits s = loadDataDir(d.path(), o);
  EXPECT_EQ(s.format, "text");
  EXPECT_EQ(s.corpus.vocabSize(), 2); // 'a' and 'b': no 'z', no duplicates
  EXPECT_EQ(s.train.size() + s.test.size(), (80 - 1) / 8);
  EXPECT_EQ(s.train.x.at(0), 0);                      // 'a' first
  EXPECT_EQ(s.test.x.at(s.test.x.numel() - 1), 1);    // 'b' last
  EXPECT_EQ(s.files.size(), 2u);
  TempDir empty;
  writeBytes(empty / "x.dat", "index");
  EXPECT_DLRT_ERROR(loadDataDir(empty.path(), o), "no train.txt",
                    "directory of text files");
}

//===----------------------------------------------------------------------===//
// Data directories
//===----------------------------------------------------------------------===//

TEST(DataDir, IdxDirectory) {
  TempDir d;
  writeBytes(d / "train-images-idx3-ubyte.gz", gzip(idxU8({6, 2, 2}, pattern(24))));
  writeBytes(d / "train-labels-idx1-ubyte.gz", gzip(idxU8({6}, std::string("\x00\x01\x02\x03\x04\x05", 6))));
  writeBytes(d / "t10k-images-idx3-ubyte", idxU8({2, 2, 2}, pattern(8)));
  writeBytes(d / "t10k-labels-idx1-ubyte", idxU8({2}, std::string("\x01\x00", 2)));
  DataSplits s = loadDataDir(d.path());
  EXPECT_EQ(s.format, "idx");
  EXPECT_EQ(s.train.size(), 6);
  EXPECT_EQ(s.test.size(), 2);
  EXPECT_EQ(s.train.featuresPerExample(), 4);
  EXPECT_DOUBLE_EQ(s.train.xScale, 1.0 / 255);
  EXPECT_EQ(s.train.exampleDescription(), "2x2 images (4 values each)");
  DataOptions o;
  o.scale = 2.0;
  EXPECT_EQ(loadDataDir(d.path(), o).train.xScale, 2.0);
}

TEST(DataDir, IdxDirectoryErrors) {
  TempDir d;
  writeBytes(d / "train-images-idx3-ubyte.gz", gzip(idxU8({6, 2, 2}, pattern(24))));
  EXPECT_DLRT_ERROR(loadDataDir(d.path()), "incomplete IDX data set",
                    "train-labels-idx1-ubyte");
  writeBytes(d / "train-labels-idx1-ubyte.gz", gzip(idxU8({6}, pattern(6))));
  writeBytes(d / "t10k-images-idx3-ubyte.gz", gzip(idxU8({2, 3, 3}, pattern(18))));
  writeBytes(d / "t10k-labels-idx1-ubyte.gz", gzip(idxU8({2}, std::string("\x01\x00", 2))));
  EXPECT_DLRT_ERROR(loadDataDir(d.path()), "differ in size");
  writeBytes(d / "t10k-images-idx3-ubyte.gz", gzip(idxU8({2, 2, 2}, pattern(8))).substr(0, 20));
  EXPECT_DLRT_ERROR(loadDataDir(d.path()), "t10k-images-idx3-ubyte.gz", "truncated");
  EXPECT_DLRT_ERROR(loadDataDir(d / "nope"), "nope", "no such directory");
  writeBytes(d / "file", "x");
  EXPECT_DLRT_ERROR(loadDataDir(d / "file"), "is a file");
  TempDir e;
  EXPECT_DLRT_ERROR(loadDataDir(e.path()), "no data set found");
}

TEST(DataDir, CsvDirectory) {
  TempDir d;
  writeBytes(d / "train.csv", "f1,label,f2\n1,0,2\n3,1,4\n5,2,6\n");
  writeBytes(d / "test.csv", "f1,label,f2\n7,1,8\n");
  DataSplits s = loadDataDir(d.path());
  EXPECT_EQ(s.format, "csv");
  EXPECT_EQ(s.train.x.shape, (Shape{3, 2}));
  EXPECT_EQ(s.train.x.at(2), 3);
  EXPECT_EQ(s.train.x.at(3), 4);
  EXPECT_EQ(s.train.y.at(2), 2);
  EXPECT_EQ(s.train.xScale, 1.0);
  DataOptions o;
  o.labelColumn = "f2";
  EXPECT_EQ(loadDataDir(d.path(), o).train.y.at(0), 2);
  o.labelColumn = "0";
  EXPECT_EQ(loadDataDir(d.path(), o).train.y.at(0), 1);
  o.labelColumn = "zzz";
  EXPECT_DLRT_ERROR(loadDataDir(d.path(), o), "no label column 'zzz'");
  std::remove((d / "test.csv").c_str());
  EXPECT_DLRT_ERROR(loadDataDir(d.path()), "no test.csv");
}

TEST(DataDir, NpyDirectory) {
  TempDir d;
  Array x(DType::F32, {4, 3}), y(DType::I64, {4}), xt(DType::F32, {2, 3}),
      yt(DType::I64, {3});
  saveNpy(d / "x_train.npy", x);
  saveNpy(d / "y_train.npy", y);
  saveNpy(d / "x_test.npy", xt);
  EXPECT_DLRT_ERROR(loadDataDir(d.path()), "no y_test.npy");
  saveNpy(d / "y_test.npy", yt);
  EXPECT_DLRT_ERROR(loadDataDir(d.path()), "y_test.npy", "3 labels", "2 examples");
  saveNpy(d / "y_test.npy", Array(DType::I64, {2}));
  DataSplits s = loadDataDir(d.path());
  EXPECT_EQ(s.format, "npy");
  EXPECT_EQ(s.train.featuresPerExample(), 3);
  EXPECT_EQ(s.test.size(), 2);
}

TEST(Inputs, EveryFormatWithoutLabels) {
  TempDir d;
  // IDX images (gzip-compressed, detected from the content): u8, scaled.
  writeBytes(d / "images", gzip(idxU8({3, 2, 2}, pattern(12))));
  Dataset img = loadInputs(d / "images");
  EXPECT_FALSE(img.labelled());
  EXPECT_EQ(img.x.dtype, DType::U8);
  EXPECT_EQ(img.x.shape, (Shape{3, 2, 2}));
  EXPECT_EQ(img.featuresPerExample(), 4);
  EXPECT_DOUBLE_EQ(img.xScale, 1.0 / 255);
  EXPECT_EQ(img.name, d / "images");
  DataOptions scaled;
  scaled.scale = 0.5;
  EXPECT_EQ(loadInputs(d / "images", scaled).xScale, 0.5);
  // .npy of any name.
  Array x(DType::F64, {2, 3});
  x.set(5, 7.5);
  saveNpy(d / "rows.bin", x);
  Dataset npy = loadInputs(d / "rows.bin");
  EXPECT_FALSE(npy.labelled());
  EXPECT_EQ(npy.x.shape, (Shape{2, 3}));
  EXPECT_EQ(npy.x.at(5), 7.5);
  EXPECT_EQ(npy.xScale, 1.0);
  // CSV without a header: every column is a feature.
  writeBytes(d / "plain.csv", "1,2,3\n4,5,6\n");
  Dataset csv = loadInputs(d / "plain.csv");
  EXPECT_FALSE(csv.labelled());
  EXPECT_EQ(csv.x.shape, (Shape{2, 3}));
  EXPECT_EQ(csv.x.at(5), 6);
}

TEST(Inputs, CsvLabelColumnIsDropped) {
  TempDir d;
  writeBytes(d / "t.csv", "f1,label,f2\n1,0,2\n3,1,4\n");
  Dataset a = loadInputs(d / "t.csv");
  EXPECT_FALSE(a.labelled());
  EXPECT_EQ(a.x.shape, (Shape{2, 2}));
  EXPECT_EQ(a.x.at(2), 3);
  EXPECT_EQ(a.x.at(3), 4);
  DataOptions o;
  o.labelColumn = "f2";
  Dataset b = loadInputs(d / "t.csv", o);
  EXPECT_EQ(b.x.shape, (Shape{2, 2}));
  EXPECT_EQ(b.x.at(1), 0); // f1, label
  o.labelColumn = "zzz";
  EXPECT_DLRT_ERROR(loadInputs(d / "t.csv", o), "no label column 'zzz'");
  writeBytes(d / "h.csv", "a,b\n1,2\n");
  EXPECT_EQ(loadInputs(d / "h.csv").x.shape, (Shape{1, 2}));
}

TEST(Inputs, Errors) {
  TempDir d;
  EXPECT_DLRT_ERROR(loadInputs(d / "none.csv"), "none.csv");
  EXPECT_DLRT_ERROR(loadInputs(d.path()), "is a directory");
  writeBytes(d / "empty.csv", "");
  EXPECT_DLRT_ERROR(loadInputs(d / "empty.csv"), "empty.csv");
  writeBytes(d / "onlyheader.csv", "a,b\n");
  EXPECT_DLRT_ERROR(loadInputs(d / "onlyheader.csv"), "onlyheader.csv",
                    "no data rows");
  writeBytes(d / "bad.csv", "1,2\n3,x\n");
  EXPECT_DLRT_ERROR(loadInputs(d / "bad.csv"), "bad.csv");
  std::string truncated = idxU8({3, 2, 2}, pattern(10));
  writeBytes(d / "cut", truncated);
  EXPECT_DLRT_ERROR(loadInputs(d / "cut"), "truncated IDX file");
}

TEST(DataDir, FashionMnistIfInstalled) {
  const char *dir = "/usr/share/datasets/fashion-mnist";
  if (!isDirectory(dir))
    GTEST_SKIP() << dir << " not installed (Debian package dataset-fashion-mnist)";
  DataSplits s = loadDataDir(dir);
  EXPECT_EQ(s.train.x.shape, (Shape{60000, 28, 28}));
  EXPECT_EQ(s.test.x.shape, (Shape{10000, 28, 28}));
  EXPECT_EQ(s.classNames.size(), 10u);
  int counts[10] = {};
  for (int64_t i = 0; i < s.train.size(); ++i)
    ++counts[int(s.train.y.at(i))];
  for (int c : counts)
    EXPECT_EQ(c, 6000); // balanced classes
}

//===----------------------------------------------------------------------===//
// Elements and views
//===----------------------------------------------------------------------===//

TEST(Tensor, ConversionsAndViews) {
  float f[4] = {1, 2, 3, 4};
  TensorView v(f, DType::F32, {2, 2});
  EXPECT_EQ(v.numel(), 4);
  EXPECT_EQ(v.bytes(), 16u);
  EXPECT_EQ(v.as<float>(), f);
  EXPECT_DLRT_ERROR(v.as<double>(), "f32 viewed as f64");
  uint16_t h;
  storeElement(&h, DType::F16, 0, 1.5);
  EXPECT_EQ(h, 0x3e00);
  EXPECT_EQ(loadElement(&h, DType::F16, 0), 1.5);
  storeElement(&h, DType::BF16, 0, -2.0);
  EXPECT_EQ(loadElement(&h, DType::BF16, 0), -2.0);
  uint8_t u8[3] = {0, 51, 255};
  float out[3];
  convertElements(u8, DType::U8, out, DType::F32, 3, 1.0 / 255);
  EXPECT_FLOAT_EQ(out[1], 0.2f);
  EXPECT_FLOAT_EQ(out[2], 1.0f);
  int32_t i32[2];
  double src[2] = {3.9, -1e12};
  convertElements(src, DType::F64, i32, DType::I32, 2);
  EXPECT_EQ(i32[0], 3);
  EXPECT_EQ(i32[1], INT32_MIN);
  EXPECT_DLRT_ERROR(numElements({-1, 2}), "negative dimension");
  EXPECT_DLRT_ERROR(numElements({1ll << 40, 1ll << 40}), "too many elements");
  EXPECT_EQ(shapeString({}), "[]");
  AlignedBuffer b(100);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % 64, 0u);
  AlignedBuffer z(0);
  EXPECT_NE(z.data(), nullptr);
}
