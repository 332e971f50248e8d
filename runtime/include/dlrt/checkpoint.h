//===- dlrt/checkpoint.h - safetensors files and checkpoints ----*- C++ -*-===//
//
// The safetensors format (https://github.com/huggingface/safetensors):
//   8 bytes    N, little-endian u64
//   N bytes    JSON: {"NAME": {"dtype": "F32", "shape": [..],
//                               "data_offsets": [BEGIN, END]}, ...,
//                     "__metadata__": {"key": "value", ...}}
//              (padded with spaces to a multiple of 8)
//   the data   tensors at [BEGIN, END) relative to the end of the header,
//              little-endian, row-major, covering the buffer with no holes
//
// A checkpoint is a safetensors file holding every tensor of a model's state
// buffer (parameters, non-trained state and optimizer state) under its
// descriptor name, and metadata: "format" = "dlrt-checkpoint-1", "model",
// "layout_hash" (of the state descriptor table), plus the trainer's
// position (epoch, step, seed, ...).
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_CHECKPOINT_H
#define DLRT_CHECKPOINT_H

#include "dlrt/abi.h"
#include "dlrt/io.h"
#include "dlrt/tensor.h"

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace dlrt {

using Metadata = std::map<std::string, std::string>;

/// One tensor of a parsed safetensors file; DATA points into the file's bytes.
struct SafeTensor {
  std::string name;
  DType dtype;
  Shape shape;
  const unsigned char *data = nullptr;
  size_t bytes = 0;
};

/// A parsed and fully validated safetensors file.
struct SafeTensorsFile {
  Bytes content;
  std::vector<SafeTensor> tensors; // in file order of data offsets
  Metadata metadata;
  const SafeTensor *find(const std::string &name) const;
};

/// Parses and validates: header length within the file, valid JSON object,
/// known dtypes, non-negative shapes, offsets inside the buffer and matching
/// dtype x shape, no overlaps, no holes, nothing after the last tensor,
/// string-valued metadata. Errors: "PATH: reason".
SafeTensorsFile readSafetensors(const std::string &path);
SafeTensorsFile parseSafetensors(Bytes content, const std::string &name);
/// The __metadata__ of a safetensors file, reading its header only (the
/// tensors are neither read nor validated). Non-string values are skipped.
Metadata readSafetensorsMetadata(const std::string &path);

/// A tensor to write: name, dtype, shape and its bytes (little-endian).
struct NamedTensor {
  std::string name;
  DType dtype;
  Shape shape;
  const void *data;
};
/// Serializes TENSORS (in order) and METADATA into safetensors bytes.
Bytes serializeSafetensors(const std::vector<NamedTensor> &tensors,
                           const Metadata &metadata);
/// serializeSafetensors + writeFileAtomic.
void writeSafetensors(const std::string &path,
                      const std::vector<NamedTensor> &tensors,
                      const Metadata &metadata);

/// Hash of a state layout: every tensor's name, kind, dtype, shape, offset
/// and size, and the buffer size. Two models share checkpoints exactly when
/// their hashes are equal.
uint64_t layoutHash(const dlc_tensor_info *tensors, int count,
                    uint64_t stateBytes);
std::string hex64(uint64_t v);

/// Writes every tensor of STATE described by TENSORS plus METADATA (to which
/// "format", "model" and "layout_hash" are added) atomically to PATH.
void saveCheckpoint(const std::string &path, const std::string &model,
                    const dlc_tensor_info *tensors, int count,
                    uint64_t stateBytes, const void *state,
                    Metadata metadata = {});

struct LoadOptions {
  /// Require the dlrt metadata and every tensor of the table (resuming
  /// training). When false, a plain safetensors file (e.g. from PyTorch)
  /// is accepted too: parameters and non-trained state must be present,
  /// optimizer state may be missing (left as it is in STATE). A file with
  /// dlrt metadata must always name this model and its layout hash.
  bool exact = true;
  /// Load floating-point tensors holding NaN or Inf (a diverged run's
  /// checkpoint). When false, such a file is refused; when true, each such
  /// tensor is reported to WARNINGS (when set) and loaded as it is.
  bool allowNonFinite = false;
  std::ostream *warnings = nullptr;
};

/// "" when every value of floating-point tensor T is finite, else what is
/// not: "tensor 'W' holds 3 non-finite values (element 4 is NaN, ...)".
/// Other dtypes are always finite.
std::string nonFiniteSummary(const std::string &name, DType t, const void *data,
                             int64_t count);

/// Loads a checkpoint into STATE after validating it against the table:
/// names, dtypes and shapes must match; a tensor in the file that the model
/// lacks is an error, and so is a NaN or an Inf in a floating-point tensor
/// unless OPTS.allowNonFinite. Returns the file's metadata.
Metadata loadCheckpoint(const std::string &path, const std::string &model,
                        const dlc_tensor_info *tensors, int count,
                        uint64_t stateBytes, void *state,
                        const LoadOptions &opts = {});

} // namespace dlrt

#endif // DLRT_CHECKPOINT_H
