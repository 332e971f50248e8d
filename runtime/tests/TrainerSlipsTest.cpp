//===- TrainerSlipsTest.cpp - user slips and lying metadata (issue 11) ----===//
//
// --log never replaces the data (or anything but its own log without
// --force), --output never replaces an input, an empty --data is an error,
// labels are reported against their own file, --resume refuses metadata
// that contradicts itself, and a file size limit is a write error.
//
//===----------------------------------------------------------------------===//
#include "CliTestUtil.h"

#include "dlrt/checkpoint.h"
#include "dlrt/datasets.h"
#include "dlrt/io.h"

#include <sstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace dlrt;
using namespace dlrt::test;

namespace {

/// Rewrites checkpoint PATH with metadata KEY set to VALUE.
void setMetadata(const std::string &path, const std::string &key,
                 const std::string &value) {
  SafeTensorsFile f = readSafetensors(path);
  std::vector<NamedTensor> tensors;
  for (const SafeTensor &t : f.tensors)
    tensors.push_back({t.name, t.dtype, t.shape, t.data});
  Metadata m = f.metadata;
  m[key] = value;
  writeSafetensors(path, tensors, m);
}

} // namespace

TEST(Slips, LogNeverReplacesTheDataOrAFileThatIsNotALog) {
  TempDir d;
  writeBlobCsv(d.path());
  std::string data = readBytes(d / "train.csv"), out, err;
  for (bool force : {false, true}) {
    std::vector<std::string> args = {"train", "--data", d.path(), "--log",
                                     d / "train.csv"};
    if (force)
      args.push_back("--force");
    EXPECT_EQ(runTrainer(fakeModel(), args, &out, &err), 1) << out;
    EXPECT_NE(err.find(d / "train.csv: is a file of the data set"),
              std::string::npos)
        << err;
    EXPECT_EQ(readBytes(d / "train.csv"), data);
  }
  // The same file under another name (a hard link) is the same file.
  ASSERT_EQ(::link((d / "test.csv").c_str(), (d / "alias.csv").c_str()), 0);
  EXPECT_EQ(runTrainer(fakeModel(),
                       {"train", "--data", d.path(), "--log", d / "alias.csv"},
                       &out, &err),
            1);
  EXPECT_NE(err.find("is the file " + d / "test.csv" + " of the data set"),
            std::string::npos)
      << err;
  // Another file: only with --force.
  writeBytes(d / "notes.txt", "my notes\n");
  EXPECT_EQ(runTrainer(fakeModel(),
                       {"train", "--data", d.path(), "--log", d / "notes.txt"},
                       &out, &err),
            1);
  EXPECT_NE(
      err.find(d /
               "notes.txt: exists and is not a training log of this trainer "
               "(its first line is 'my notes')"),
      std::string::npos)
      << err;
  EXPECT_NE(err.find("--force"), std::string::npos) << err;
  EXPECT_EQ(readBytes(d / "notes.txt"), "my notes\n");
  EXPECT_EQ(runTrainer(fakeModel(),
                       {"train", "--data", d.path(), "--log", d / "notes.txt",
                        "--force", "--epochs", "1"},
                       &out, &err),
            0)
      << err;
  EXPECT_EQ(readBytes(d / "notes.txt").substr(0, 6), "epoch,");
  // Its own log it rewrites; a device never (/dev/null stays a device).
  EXPECT_EQ(runTrainer(fakeModel(),
                       {"train", "--data", d.path(), "--log", d / "notes.txt",
                        "--epochs", "1"},
                       &out, &err),
            0)
      << err;
  ASSERT_EQ(::symlink("/dev/null", (d / "null").c_str()), 0);
  EXPECT_EQ(
      runTrainer(fakeModel(),
                 {"train", "--data", d.path(), "--log", d / "null", "--force"},
                 &out, &err),
      1);
  EXPECT_NE(err.find("null: is a character device"), std::string::npos) << err;
  struct stat st;
  ASSERT_EQ(::lstat((d / "null").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
}

TEST(Slips, LogInACheckpointDirectoryThatDoesNotExistYet) {
  TempDir d;
  writeBlobCsv(d.path());
  std::string out, err;
  EXPECT_EQ(
      runTrainer(fakeModel(),
                 {"train", "--data", d.path(), "--checkpoint", d / "new/ck",
                  "--log", d / "new/ck/log.csv", "--epochs", "1"},
                 &out, &err),
      0)
      << err;
  EXPECT_TRUE(pathPresent(d / "new/ck/log.csv"));
  EXPECT_TRUE(pathPresent(d / "new/ck/epoch-0001.safetensors"));
}

TEST(Slips, EmptyPathsAreUsageErrorsNotDefaults) {
  std::string out, err;
  for (const char *flag :
       {"--data", "--checkpoint", "--log", "--label-column"}) {
    EXPECT_EQ(runTrainer(fakeModel(), {"train", flag, ""}, &out, &err), 2)
        << flag;
    EXPECT_NE(err.find(std::string(flag) + " needs "), std::string::npos)
        << err;
    EXPECT_NE(err.find(", not ''"), std::string::npos) << err;
  }
  EXPECT_EQ(runTrainer(fakeModel(), {"train", "--data="}, &out, &err), 2);
  EXPECT_EQ(runTrainer(fakeModel(),
                       {"predict", "--checkpoint", "c", "--output", ""}, &out,
                       &err),
            2);
}

TEST(Slips, OutputNeverReplacesAnInput) {
  TempDir d;
  writeBlobCsv(d.path());
  std::string out, err;
  ASSERT_EQ(runTrainer(fakeModel(),
                       {"train", "--data", d.path(), "--checkpoint", d / "ck",
                        "--epochs", "1"},
                       &out, &err),
            0)
      << err;
  std::string test = readBytes(d / "test.csv");
  EXPECT_EQ(runTrainer(fakeModel(),
                       {"predict", "--data", d.path(), "--checkpoint", d / "ck",
                        "--output", d / "test.csv"},
                       &out, &err),
            1);
  EXPECT_NE(err.find(d / "test.csv: is an input file of this prediction"),
            std::string::npos)
      << err;
  EXPECT_EQ(readBytes(d / "test.csv"), test);
  EXPECT_EQ(runTrainer(fakeModel(),
                       {"predict", "--input", d / "test.csv", "--checkpoint",
                        d / "ck", "--output", d / "test.csv"},
                       &out, &err),
            1);
  EXPECT_EQ(readBytes(d / "test.csv"), test);
}

TEST(Slips, AnOutOfRangeLabelIsReportedAgainstTheLabelsFile) {
  TempDir d;
  Array x(DType::U8, {4, 3}), y(DType::U8, {4});
  y.set(2, 7); // the fake model has 3 classes
  saveIdx(d / "train-images-idx3-ubyte", x);
  saveIdx(d / "train-labels-idx1-ubyte", y);
  saveIdx(d / "t10k-images-idx3-ubyte", x);
  saveIdx(d / "t10k-labels-idx1-ubyte", Array(DType::U8, {4}));
  std::ostringstream out;
  std::string want =
      d / "train-labels-idx1-ubyte: label 7 of example 2 is outside";
  EXPECT_DLRT_ERROR(Trainer(fakeModel(), loadDataDir(d.path()), out),
                    want.c_str());
  TempDir n;
  saveNpy(n / "x_train.npy", Array(DType::F32, {4, 3}));
  saveNpy(n / "y_train.npy", Array(DType::F32, {4}));
  saveNpy(n / "x_test.npy", Array(DType::F32, {4, 3}));
  Array yt(DType::F32, {4});
  yt.set(1, 0.5);
  saveNpy(n / "y_test.npy", yt);
  want = n / "y_test.npy: label 0.5 of example 1 is not an integer";
  EXPECT_DLRT_ERROR(Trainer(fakeModel(), loadDataDir(n.path()), out),
                    want.c_str());
}

TEST(Slips, ResumeRefusesMetadataThatContradictsItself) {
  TempDir d;
  writeBlobCsv(d.path());
  std::string out, err;
  ASSERT_EQ(runTrainer(fakeModel(),
                       {"train", "--data", d.path(), "--checkpoint", d / "ck",
                        "--epochs", "1"},
                       &out, &err),
            0)
      << err;
  std::string ck = d / "ck/epoch-0001.safetensors", good = readBytes(ck);
  struct Lie {
    const char *key, *value, *message;
  } lies[] = {
      {"seed", "8", "epoch_seed"},
      {"epoch", "9223372036854775807", "contradicts itself"},
      {"global_step", "4", "global_step 4 is not epoch 1 x 5 steps + 0"},
      {"train_correct", "999", "train_correct"},
      {"train_examples", "21", "train_examples"},
  };
  for (const Lie &l : lies) {
    writeBytes(ck, good);
    setMetadata(ck, l.key, l.value);
    EXPECT_EQ(runTrainer(fakeModel(),
                         {"train", "--data", d.path(), "--checkpoint", d / "ck",
                          "--epochs", "3", "--resume"},
                         &out, &err),
              1)
        << l.key << ": " << out;
    EXPECT_NE(err.find(ck + ": checkpoint metadata contradicts itself"),
              std::string::npos)
        << l.key << ": " << err;
    EXPECT_NE(err.find(l.message), std::string::npos) << l.key << ": " << err;
  }
  // A checkpoint renamed to a later position.
  writeBytes(ck, good);
  ASSERT_EQ(::rename(ck.c_str(), (d / "ck/epoch-0002.safetensors").c_str()), 0);
  EXPECT_EQ(runTrainer(fakeModel(),
                       {"train", "--data", d.path(), "--checkpoint", d / "ck",
                        "--epochs", "3", "--resume"},
                       &out, &err),
            1);
  EXPECT_NE(err.find("the file name says epoch-0002.safetensors, the metadata "
                     "epoch-0001.safetensors"),
            std::string::npos)
      << err;
}

TEST(Slips, AFileSizeLimitIsAWriteErrorNotSIGXFSZ) {
  TempDir d;
  writeBlobCsv(d.path());
  struct rlimit old;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  struct rlimit lim = old;
  lim.rlim_cur = 300; // a checkpoint of the fake model is about 700 bytes
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &lim), 0);
  std::string out, err;
  int rc = runTrainer(
      fakeModel(),
      {"train", "--data", d.path(), "--checkpoint", d / "ck", "--epochs", "1"},
      &out, &err);
  ::setrlimit(RLIMIT_FSIZE, &old);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(
      err.find(d / "ck/epoch-0001.safetensors: write error: File too large"),
      std::string::npos)
      << err;
  EXPECT_EQ(listDirectory(d / "ck"),
            std::vector<std::string>{}); // no temporary left
}
