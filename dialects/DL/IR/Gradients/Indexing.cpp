//===- Indexing.cpp - VJPs of the gathering ops ---------------------------===//
//
// Part of dlc. dl.slice: the cotangent placed back in zeros; dl.concat:
// each input's part of the cotangent; dl.embedding: the table's gradient
// scatters the cotangent's rows back to the rows the ids read
// (dl.embedding_backward), summing the rows of repeated ids.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

LogicalResult EmbeddingOp::buildVJP(OpBuilder &b, Value dy,
                                    ArrayRef<bool> needed,
                                    SmallVectorImpl<Value> &grads) {
  grads.push_back(needed[0] ? b.create<EmbeddingBackwardOp>(
                                   getLoc(), getTable().getType(), dy, getIds())
                                  .getResult()
                            : Value());
  grads.push_back(Value()); // ids are indices
  return success();
}

LogicalResult SliceOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                SmallVectorImpl<Value> &grads) {
  grads.push_back(needed[0] ? b.create<SliceBackwardOp>(
                                   getLoc(), getInput().getType(), dy,
                                   getOffsetsAttr(), getStridesAttr())
                                  .getResult()
                            : Value());
  return success();
}

LogicalResult ConcatOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                 SmallVectorImpl<Value> &grads) {
  // Each input's cotangent is its own part of dy.
  int64_t axis = getAxis(), offset = 0;
  for (auto [input, need] : llvm::zip(getInputs(), needed)) {
    RankedTensorType type = typeOf(input);
    if (need) {
      SmallVector<int64_t> offsets(type.getRank(), 0), strides(type.getRank(), 1);
      offsets[axis] = offset;
      grads.push_back(b.create<SliceOp>(getLoc(), type, dy,
                                        b.getDenseI64ArrayAttr(offsets),
                                        b.getDenseI64ArrayAttr(type.getShape()),
                                        b.getDenseI64ArrayAttr(strides)));
    } else {
      grads.push_back(Value());
    }
    offset += type.getDimSize(axis);
  }
  return success();
}

LogicalResult ArgmaxOp::buildVJP(OpBuilder &, Value, ArrayRef<bool>,
                                 SmallVectorImpl<Value> &grads) {
  grads.push_back(Value()); // an index is piecewise constant: no gradient
  return success();
}
