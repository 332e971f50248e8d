//===- Indexing.cpp - VJPs of the gathering ops ---------------------------===//
//
// Part of dlc. dl.embedding: the table's gradient scatters the cotangent's
// rows back to the rows the ids read (dl.embedding_backward), summing the
// rows of repeated ids.
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
