//===- Utils.h - builders shared by the dl to linalg patterns ---*- C++ -*-===//
//
// Part of dlc. linalg.generic builders for broadcasting elementwise maps and
// reductions, used by every DLToLinalg pattern file.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_CONVERSION_DLTOLINALG_UTILS_H
#define DLC_DL_CONVERSION_DLTOLINALG_UTILS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace dlc::dl {

/// A tensor and the indexing map that reads it from a generic's iteration
/// space.
struct MappedOperand {
  mlir::Value value;
  mlir::AffineMap map;
};

/// Computes one element of a generic's output from the block arguments
/// (inputs, then the accumulator for reductions).
using ElementBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// The map of an iteration space of `rank` dims to the dims not in `axes`.
mlir::AffineMap getDroppingMap(mlir::MLIRContext *ctx, int64_t rank,
                               llvm::ArrayRef<int64_t> axes);

/// Prepares `operand` to be read NumPy-broadcast inside an iteration space of
/// `shape`: its broadcast (size-1, or missing leading) dims are collapsed away
/// so that the map is a projected permutation.
MappedOperand broadcastOperand(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value operand,
                               llvm::ArrayRef<int64_t> shape);

/// A tensor of `type` with every element `value` (linalg.fill on an empty
/// tensor).
mlir::Value buildFilled(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type, mlir::TypedAttr value);

/// An all-parallel linalg.generic producing `resultType` from `inputs`.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType,
                             llvm::ArrayRef<MappedOperand> inputs,
                             ElementBuilder body);

/// Like buildElementwise, reading every input NumPy-broadcast to the result.
mlir::Value buildBroadcastElementwise(mlir::OpBuilder &b, mlir::Location loc,
                                      mlir::RankedTensorType resultType,
                                      mlir::ValueRange inputs,
                                      ElementBuilder body);

/// A linalg.generic over an iteration space of `shape` that reduces `axes`
/// (removed from the result) starting from `init`; the body gets the inputs
/// then the accumulator and returns the new accumulator.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           llvm::ArrayRef<int64_t> shape,
                           llvm::ArrayRef<int64_t> axes,
                           llvm::ArrayRef<MappedOperand> inputs,
                           mlir::TypedAttr init, ElementBuilder body);

/// Reshapes `value` to `type` (same element count) with collapse_shape and
/// expand_shape through a 1-D tensor, skipping steps that are identities.
mlir::Value buildReshape(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value value, mlir::RankedTensorType type);

/// `value` written into a tensor of `shape` filled with `fill`, at `offsets`
/// every `strides` elements (the padding of an input; the spreading of a
/// strided gradient). `value` itself when that is the identity.
mlir::Value buildPlaced(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value value, llvm::ArrayRef<int64_t> shape,
                        llvm::ArrayRef<int64_t> offsets,
                        llvm::ArrayRef<int64_t> strides, mlir::TypedAttr fill);

/// A 2-D window (conv2d, pooling) per spatial dimension: output position o
/// and window position k read input position o * stride + k * dilation -
/// padding.
struct WindowGeometry {
  int64_t kernel[2] = {1, 1}, stride[2] = {1, 1}, padding[2] = {0, 0},
          dilation[2] = {1, 1};
};

/// The output positions [first, first + count) (per spatial dimension) whose
/// window position (kh, kw) reads inside the input, not the padding.
struct WindowBox {
  int64_t first[2], count[2];
};

/// `value` [..., OH, OW] sliced to `box` in its last two dimensions.
mlir::Value sliceBox(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                     const WindowBox &box);

/// The input gradient of a window op, x of `xType` [N, C, H, W] and outputs
/// [.., OH, OW] (`outSpatial`): starting from zeros, for every window
/// position (kh, kw) the input positions that it reads from the output box
/// form a strided slice [N, C, count0, count1] of the gradient;
/// `contribution(current, box, kh, kw)` returns the slice's new value from
/// its current one. Overlapping windows add up through `current`.
mlir::Value buildWindowScatter(
    mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType xType,
    llvm::ArrayRef<int64_t> outSpatial, const WindowGeometry &geometry,
    llvm::function_ref<mlir::Value(mlir::Value current, const WindowBox &box,
                                   int64_t kh, int64_t kw)>
        contribution);

/// A float constant of type `type` (a scalar float type).
mlir::Value buildFloat(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                       double value);

} // namespace dlc::dl

#endif // DLC_DL_CONVERSION_DLTOLINALG_UTILS_H
