//===- Random.cpp - VJP of dl.dropout -------------------------------------===//
//
// Part of dlc. Notation: y is the op's result, dy its cotangent.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;

LogicalResult DropoutOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  // dx = dy * mask / (1 - p): the same dropout of dy. The keys are
  // integers, not differentiable.
  grads.push_back(needed[0]
                      ? b.create<DropoutOp>(getLoc(), dy, getSeed(), getStep(),
                                            getPAttr(), getStreamAttr())
                            .getResult()
                      : Value());
  grads.push_back(Value());
  grads.push_back(Value());
  return success();
}
