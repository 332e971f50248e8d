//===- GradientBuilders.h - builders shared by the dl VJPs ------*- C++ -*-===//
//
// Part of dlc. Small dl-op builders that every gradient family file uses, so
// that each op's DifferentiableOpInterface::buildVJP reads as its formula.
// Private to dialects/DL/IR/Gradients.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_IR_GRADIENTS_GRADIENTBUILDERS_H
#define DLC_DL_IR_GRADIENTS_GRADIENTBUILDERS_H

#include "DL/IR/DLOps.h"

#include "mlir/IR/Builders.h"

namespace dlc::dl::gradient {

/// The ranked tensor type of `v` (every dl value has one).
inline mlir::RankedTensorType typeOf(mlir::Value v) {
  return mlir::cast<mlir::RankedTensorType>(v.getType());
}

/// A 0-d tensor of `elementType` holding `value` (broadcasts against
/// anything).
mlir::Value scalar(mlir::OpBuilder &b, mlir::Location loc,
                   mlir::Type elementType, double value);

/// Small builders so the formulas read as formulas: `m.mul(dy, m.sub(
/// m.constant(y, 1.0), m.mul(y, y)))` is tanh's `dy * (1 - y^2)`.
struct Math {
  mlir::OpBuilder &b;
  mlir::Location loc;

  mlir::Value add(mlir::Value x, mlir::Value y) {
    return b.create<AddOp>(loc, x, y);
  }
  mlir::Value sub(mlir::Value x, mlir::Value y) {
    return b.create<SubOp>(loc, x, y);
  }
  mlir::Value mul(mlir::Value x, mlir::Value y) {
    return b.create<MulOp>(loc, x, y);
  }
  mlir::Value div(mlir::Value x, mlir::Value y) {
    return b.create<DivOp>(loc, x, y);
  }
  mlir::Value neg(mlir::Value x) { return b.create<NegOp>(loc, x); }
  mlir::Value step(mlir::Value x) { return b.create<StepOp>(loc, x); }
  mlir::Value sign(mlir::Value x) { return b.create<SignOp>(loc, x); }
  mlir::Value exp(mlir::Value x) { return b.create<ExpOp>(loc, x); }
  mlir::Value erf(mlir::Value x) { return b.create<ErfOp>(loc, x); }
  mlir::Value tanh(mlir::Value x) { return b.create<TanhOp>(loc, x); }
  /// A 0-d constant of `like`'s element type.
  mlir::Value constant(mlir::Value like, double v) {
    return scalar(b, loc, typeOf(like).getElementType(), v);
  }
  /// Sums over `axes` keeping them (size-1 dims), so that the sum broadcasts
  /// back against `x`.
  mlir::Value sumKeep(mlir::Value x, llvm::ArrayRef<int64_t> axes) {
    return b.create<SumOp>(loc, x, b.getDenseI64ArrayAttr(axes),
                           b.getUnitAttr());
  }
  mlir::Value broadcastTo(mlir::Value x, mlir::RankedTensorType type) {
    return typeOf(x) == type ? x : b.create<BroadcastOp>(loc, type, x);
  }
  mlir::Value reshape(mlir::Value x, mlir::RankedTensorType type) {
    return typeOf(x) == type ? x : b.create<ReshapeOp>(loc, type, x);
  }
  mlir::Value transpose(mlir::Value x, llvm::ArrayRef<int64_t> perm) {
    return b.create<TransposeOp>(loc, x, b.getDenseI64ArrayAttr(perm));
  }
  /// Swaps the last two dimensions.
  mlir::Value transposeLast2(mlir::Value x);
  mlir::Value matmul(mlir::Value x, mlir::Value y) {
    return b.create<MatmulOp>(loc, x, y);
  }
  mlir::Value softmax(mlir::Value x, int64_t axis) {
    return b.create<SoftmaxOp>(loc, x, b.getI64IntegerAttr(axis));
  }
};

/// The causal mask [Tq, Tk] of `element` type: 0 where key j <= i + Tk - Tq,
/// -inf elsewhere (dl.attention's `causal`), a dl.constant.
mlir::Value causalMask(mlir::OpBuilder &b, mlir::Location loc, int64_t tq,
                       int64_t tk, mlir::FloatType element);

/// Appends `lhs()`/`rhs()` (reduced to their operands' shapes with
/// reduceToShape) where `needed`: the gradients of a broadcasting binary op.
llvm::LogicalResult binaryGrads(mlir::OpBuilder &b, mlir::Operation *op,
                                llvm::ArrayRef<bool> needed,
                                llvm::function_ref<mlir::Value()> lhs,
                                llvm::function_ref<mlir::Value()> rhs,
                                llvm::SmallVectorImpl<mlir::Value> &grads);

/// Appends `grad()` if the single operand's gradient is needed.
llvm::LogicalResult unaryGrad(llvm::ArrayRef<bool> needed,
                              llvm::function_ref<mlir::Value()> grad,
                              llvm::SmallVectorImpl<mlir::Value> &grads);

/// The gradient of a reduction over `axes`: dy (with the axes restored as
/// size-1 dims) broadcast to the input's shape.
mlir::Value expandReduced(Math &m, mlir::Value dy,
                          mlir::RankedTensorType inputType,
                          llvm::ArrayRef<int64_t> axes);

} // namespace dlc::dl::gradient

#endif // DLC_DL_IR_GRADIENTS_GRADIENTBUILDERS_H
