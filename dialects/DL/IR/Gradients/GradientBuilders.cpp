//===- GradientBuilders.cpp - builders shared by the dl VJPs --------------===//
//
// Part of dlc. The out-of-line builders of GradientBuilders.h, and
// reduceToShape (DLOps.h), the gradient of a NumPy-broadcast operand.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

Value gradient::scalar(OpBuilder &b, Location loc, Type elementType,
                       double value) {
  return b.create<FillOp>(loc, RankedTensorType::get({}, elementType),
                          b.getF64FloatAttr(value));
}

Value Math::transposeLast2(Value x) {
  int64_t rank = typeOf(x).getRank();
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(perm[rank - 1], perm[rank - 2]);
  return transpose(x, perm);
}

Value gradient::causalMask(OpBuilder &b, Location loc, int64_t tq, int64_t tk,
                          FloatType element) {
  const llvm::fltSemantics &sem = element.getFloatSemantics();
  SmallVector<APFloat> values;
  values.reserve(size_t(tq * tk));
  for (int64_t i = 0; i < tq; ++i)
    for (int64_t j = 0; j < tk; ++j)
      values.push_back(j <= i + tk - tq ? APFloat::getZero(sem)
                                        : APFloat::getInf(sem, true));
  auto type = RankedTensorType::get({tq, tk}, element);
  return b.create<ConstantOp>(loc, DenseElementsAttr::get(type, values));
}

LogicalResult gradient::binaryGrads(OpBuilder &b, Operation *op,
                                    ArrayRef<bool> needed,
                                    llvm::function_ref<Value()> lhs,
                                    llvm::function_ref<Value()> rhs,
                                    SmallVectorImpl<Value> &grads) {
  Location loc = op->getLoc();
  grads.push_back(needed[0] ? reduceToShape(b, loc, lhs(),
                                            typeOf(op->getOperand(0)))
                            : Value());
  grads.push_back(needed[1] ? reduceToShape(b, loc, rhs(),
                                            typeOf(op->getOperand(1)))
                            : Value());
  return success();
}

LogicalResult gradient::unaryGrad(ArrayRef<bool> needed,
                                  llvm::function_ref<Value()> grad,
                                  SmallVectorImpl<Value> &grads) {
  grads.push_back(needed[0] ? grad() : Value());
  return success();
}

Value gradient::expandReduced(Math &m, Value dy, RankedTensorType inputType,
                              ArrayRef<int64_t> axes) {
  SmallVector<int64_t> kept(inputType.getShape());
  for (int64_t axis : axes)
    kept[axis] = 1;
  Value restored =
      m.reshape(dy, RankedTensorType::get(kept, inputType.getElementType()));
  return m.broadcastTo(restored, inputType);
}

Value dlc::dl::reduceToShape(OpBuilder &b, Location loc, Value grad,
                             RankedTensorType type) {
  RankedTensorType gradType = typeOf(grad);
  if (gradType == type)
    return grad;
  ArrayRef<int64_t> from = gradType.getShape(), to = type.getShape();
  int64_t offset = from.size() - to.size();
  SmallVector<int64_t> axes;
  for (int64_t d = 0, e = from.size(); d < e; ++d)
    if (d < offset || (to[d - offset] == 1 && from[d] != 1))
      axes.push_back(d);
  Value summed = grad;
  if (!axes.empty())
    summed = b.create<SumOp>(loc, grad, b.getDenseI64ArrayAttr(axes),
                             /*keepdims=*/nullptr);
  Math m{b, loc};
  return m.reshape(summed, type);
}
