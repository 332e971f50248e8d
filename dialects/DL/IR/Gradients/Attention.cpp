//===- Attention.cpp - the VJP of dl.attention ----------------------------===//
//
// Part of dlc. dq, dk and dv come from one dl.attention_backward, which
// recomputes the probabilities per tile from the forward's lse. The mask's
// gradient, needed only when the mask depends on parameters, is built apart
// in dl ops: dS = P (dO v^T - rowsum(dO O)) summed to the mask's shape.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

LogicalResult AttentionOp::buildMultiResultVJP(OpBuilder &b,
                                               ArrayRef<Value> resultGrads,
                                               ArrayRef<bool> needed,
                                               SmallVectorImpl<Value> &grads) {
  if (resultGrads[1])
    return emitOpError("lse is kept for the backward pass and has no "
                       "gradient");
  Value dout = resultGrads[0];
  Location loc = getLoc();
  if (needed[0] || needed[1] || needed[2]) {
    auto backward = b.create<AttentionBackwardOp>(
        loc, getQ(), getK(), getV(), getResult(), getLse(), dout, getMask(),
        getScaleAttr(), getCausalAttr());
    grads.push_back(needed[0] ? backward.getDq() : Value());
    grads.push_back(needed[1] ? backward.getDk() : Value());
    grads.push_back(needed[2] ? backward.getDv() : Value());
  } else {
    grads.append(3, Value());
  }
  if (!getMask())
    return success();
  if (!needed[3]) {
    grads.push_back(Value());
    return success();
  }
  // The scores' cotangent in full: the mask is added to the scores.
  Math m{b, loc};
  RankedTensorType q = typeOf(getQ()), k = typeOf(getK());
  int64_t rank = q.getRank();
  Value scores = m.add(m.mul(m.matmul(getQ(), m.transposeLast2(getK())),
                             m.constant(getQ(), getScale().convertToDouble())),
                       getMask());
  if (getCausal())
    scores = m.add(scores, causalMask(b, loc, q.getDimSize(rank - 2),
                                      k.getDimSize(rank - 2),
                                      cast<FloatType>(q.getElementType())));
  SmallVector<int64_t> column(q.getShape());
  column.back() = 1;
  auto columnType = RankedTensorType::get(column, q.getElementType());
  Value p = m.exp(m.sub(scores, m.reshape(getLse(), columnType)));
  Value dp = m.matmul(dout, m.transposeLast2(getV()));
  Value rowDot = m.sumKeep(m.mul(dout, getResult()), {rank - 1});
  Value ds = m.mul(p, m.sub(dp, rowDot));
  grads.push_back(reduceToShape(b, loc, ds, typeOf(getMask())));
  return success();
}
