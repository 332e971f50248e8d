//===- Matmul.cpp - VJP of dl.matmul --------------------------------------===//
//
// Part of dlc. Notation: y is the op's result, dy its cotangent.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

LogicalResult MatmulOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                 SmallVectorImpl<Value> &grads) {
  // dA = dY B^T, dB = A^T dY (per batch).
  Math m{b, getLoc()};
  grads.push_back(needed[0] ? m.matmul(dy, m.transposeLast2(getRhs()))
                            : Value());
  grads.push_back(needed[1] ? m.matmul(m.transposeLast2(getLhs()), dy)
                            : Value());
  return success();
}
