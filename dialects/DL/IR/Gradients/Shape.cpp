//===- Shape.cpp - VJPs of the dl shape ops -------------------------------===//
//
// Part of dlc. reshape, transpose and broadcast: each undoes its own
// movement of dy. Notation: y is the op's result, dy its cotangent.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

LogicalResult ReshapeOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return unaryGrad(needed, [&] { return m.reshape(dy, typeOf(getInput())); },
                   grads);
}

LogicalResult TransposeOp::buildVJP(OpBuilder &b, Value dy,
                                    ArrayRef<bool> needed,
                                    SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  ArrayRef<int64_t> perm = getPerm();
  SmallVector<int64_t> inverse(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inverse[p] = i;
  return unaryGrad(needed, [&] { return m.transpose(dy, inverse); }, grads);
}

LogicalResult BroadcastOp::buildVJP(OpBuilder &b, Value dy,
                                    ArrayRef<bool> needed,
                                    SmallVectorImpl<Value> &grads) {
  return unaryGrad(
      needed,
      [&] { return reduceToShape(b, getLoc(), dy, typeOf(getInput())); },
      grads);
}
