//===- Conv.cpp - VJP of dl.conv2d ----------------------------------------===//
//
// Part of dlc. Notation: y is the op's result, dy its cotangent.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;

LogicalResult Conv2dOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                 SmallVectorImpl<Value> &grads) {
  // dx: the transposed convolution of dy with w; dw: the correlation of x
  // with dy. Both keep the forward op's window.
  Location loc = getLoc();
  grads.push_back(needed[0] ? b.create<Conv2dBackwardInputOp>(
                                   loc, getInput().getType(), dy, getFilter(),
                                   getStrideAttr(), getPaddingAttr(),
                                   getDilationAttr(), getGroupsAttr())
                                  .getResult()
                            : Value());
  grads.push_back(needed[1] ? b.create<Conv2dBackwardFilterOp>(
                                   loc, getFilter().getType(), getInput(), dy,
                                   getStrideAttr(), getPaddingAttr(),
                                   getDilationAttr(), getGroupsAttr())
                                  .getResult()
                            : Value());
  return success();
}
