//===- Pool.cpp - VJPs of dl.max_pool2d and dl.avg_pool2d -----------------===//
//
// Part of dlc. Notation: y is the op's result, dy its cotangent.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;

LogicalResult MaxPool2dOp::buildVJP(OpBuilder &b, Value dy,
                                    ArrayRef<bool> needed,
                                    SmallVectorImpl<Value> &grads) {
  // dx: dy routed to each window's first maximum.
  grads.push_back(needed[0] ? b.create<MaxPool2dBackwardOp>(
                                   getLoc(), getInput(), dy, getKernelAttr(),
                                   getStrideAttr(), getPaddingAttr())
                                  .getResult()
                            : Value());
  return success();
}

LogicalResult AvgPool2dOp::buildVJP(OpBuilder &b, Value dy,
                                    ArrayRef<bool> needed,
                                    SmallVectorImpl<Value> &grads) {
  // dx: dy / (KH KW) spread over each window.
  grads.push_back(needed[0]
                      ? b.create<AvgPool2dBackwardOp>(
                             getLoc(), getInput().getType(), dy,
                             getKernelAttr(), getStrideAttr(), getPaddingAttr())
                            .getResult()
                      : Value());
  return success();
}
