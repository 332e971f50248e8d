//===- DLShapes.h - the shape rules of the dl ops ---------------*- C++ -*-===//
//
// Part of dlc. One shape rule per op, free of MLIR: the ops' type inference
// (DLOps.cpp) and the front end's Sema both call these, so a shape error
// reads the same in both and the two can never disagree. Each rule returns
// the result shape or the reason there is none; callers add their context
// ("'dl.matmul' op " in the verifier, "matmul: " and the .dl location in
// Sema).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_IR_DLSHAPES_H
#define DLC_DL_IR_DLSHAPES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace dlc::dl::shapes {

using Shape = llvm::SmallVector<int64_t, 4>;

/// The result of a shape rule: a shape, or the error message.
class ShapeResult {
public:
  ShapeResult(Shape shape) : shape(std::move(shape)) {}
  static ShapeResult error(std::string message) {
    ShapeResult r{Shape()};
    r.message = std::move(message);
    return r;
  }
  explicit operator bool() const { return message.empty(); }
  const Shape &operator*() const { return shape; }
  const Shape *operator->() const { return &shape; }
  /// Why there is no shape (empty on success).
  const std::string &error() const { return message; }

private:
  Shape shape;
  std::string message;
};

/// "[2, 3]".
std::string str(llvm::ArrayRef<int64_t> shape);

/// NumPy broadcasting: shapes aligned at the right, each pair of dimensions
/// equal or one of them 1.
ShapeResult broadcast(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// The contraction of a matrix product: both of rank 2 or more, lhs's last
/// dimension equal to rhs's second to last. Returns the error, or "" when
/// they contract (the batch dimensions are not checked: the language
/// broadcasts them before the op).
std::string checkContraction(llvm::ArrayRef<int64_t> lhs,
                             llvm::ArrayRef<int64_t> rhs);

/// dl.matmul: [B..., M, K] @ [B..., K, N] -> [B..., M, N], same rank.
ShapeResult matmul(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// A reduction over `axes` (in range, strictly increasing), keeping them as
/// size 1 when `keepdims`.
ShapeResult reduce(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> axes,
                   bool keepdims);

/// Dimension `perm[i]` of `shape` becomes dimension i.
ShapeResult transpose(llvm::ArrayRef<int64_t> shape,
                      llvm::ArrayRef<int64_t> perm);

/// dl.reshape: the same elements in a new shape. `target`'s dimensions are
/// positive, except that one may be -1, inferred from the element count.
ShapeResult reshape(llvm::ArrayRef<int64_t> shape,
                    llvm::ArrayRef<int64_t> target);

/// The window of a 2-D convolution: per spatial dimension (H, W).
struct Conv2dWindow {
  int64_t stride[2] = {1, 1};
  int64_t padding[2] = {0, 0};
  int64_t dilation[2] = {1, 1};
  int64_t groups = 1;
};

/// dl.conv2d: x [N, C, H, W] and w [O, C / groups, KH, KW] give
/// [N, O, OH, OW], OH = (H + 2 padding - dilation (KH - 1) - 1) / stride + 1;
/// C and O divisible by groups, strides and dilations >= 1, padding >= 0, the
/// dilated kernel no larger than the padded input.
ShapeResult conv2d(llvm::ArrayRef<int64_t> x, llvm::ArrayRef<int64_t> w,
                   const Conv2dWindow &window);

/// The window of a 2-D pooling: per spatial dimension (H, W).
struct Pool2dWindow {
  int64_t kernel[2] = {1, 1};
  int64_t stride[2] = {1, 1};
  int64_t padding[2] = {0, 0};
};

/// dl.max_pool2d / dl.avg_pool2d: x [N, C, H, W] gives [N, C, OH, OW],
/// OH = (H + 2 padding - kernel) / stride + 1 (rounded down, as PyTorch's
/// default); kernel and stride >= 1, padding at most half the kernel (as
/// PyTorch), the kernel no larger than the padded input.
ShapeResult pool2d(llvm::ArrayRef<int64_t> x, const Pool2dWindow &window);

/// dl.batch_norm: x [N, C, ...] (rank >= 2) normalized per channel C with
/// gamma and beta [C] gives statistics (mean, variance) of shape [C].
ShapeResult batchNorm(llvm::ArrayRef<int64_t> x, llvm::ArrayRef<int64_t> gamma,
                      llvm::ArrayRef<int64_t> beta);

/// dl.layer_norm: x [R..., D] (rank >= 1) normalized over its last axis
/// with gamma and beta [D] gives per-row statistics (mean, 1/std) of shape
/// [R...] (0-d for a vector).
ShapeResult layerNorm(llvm::ArrayRef<int64_t> x, llvm::ArrayRef<int64_t> gamma,
                      llvm::ArrayRef<int64_t> beta);

/// dl.attention: q [..., Tq, D], k [..., Tk, D] and v [..., Tk, Dv] with
/// equal batch dimensions give [..., Tq, Dv].
ShapeResult attention(llvm::ArrayRef<int64_t> q, llvm::ArrayRef<int64_t> k,
                      llvm::ArrayRef<int64_t> v);

/// dl.scan: the slice that one step sees of a sequence, `seq` without the
/// time axis `axis` (in range).
ShapeResult scanStep(llvm::ArrayRef<int64_t> seq, int64_t axis);

/// dl.scan: a step's output stacked over `length` steps along `axis` (at most
/// the output's rank).
ShapeResult stack(llvm::ArrayRef<int64_t> step, int64_t axis, int64_t length);

/// dl.slice: `sizes` elements of each dimension of `shape`, from `offsets`
/// every `strides` (all of the shape's rank; the last element read is in
/// range; sizes and strides at least 1).
ShapeResult slice(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> offsets,
                  llvm::ArrayRef<int64_t> sizes, llvm::ArrayRef<int64_t> strides);

/// dl.concat: `parts` (one rank of at least 1, equal but along `axis`, which
/// is in range) joined along `axis`.
ShapeResult concat(llvm::ArrayRef<llvm::ArrayRef<int64_t>> parts, int64_t axis);

/// embedding: a table [V, D] and ids [N...] give [N..., D].
ShapeResult embedding(llvm::ArrayRef<int64_t> table, llvm::ArrayRef<int64_t> ids);

} // namespace dlc::dl::shapes

#endif // DLC_DL_IR_DLSHAPES_H
