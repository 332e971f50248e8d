//===- Normalization.cpp - VJPs of dl.batch_norm and dl.layer_norm --------===//
//
// Part of dlc. Notation: y, mean and variance (rstd) are the ops' results, dy,
// dmean and dvar their cotangents; M the count of elements per channel.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

LogicalResult BatchNormOp::buildMultiResultVJP(OpBuilder &b,
                                               ArrayRef<Value> resultGrads,
                                               ArrayRef<bool> needed,
                                               SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  Value dy = resultGrads[0], dmean = resultGrads[1], dvar = resultGrads[2];
  RankedTensorType xType = typeOf(getInput());
  Value dx, dgamma, dbeta;
  if (dy) {
    // Through the batch statistics: dl.batch_norm_backward.
    auto backward =
        b.create<BatchNormBackwardOp>(getLoc(), getInput(), dy, getGamma(),
                                      getMean(), getVariance(), getEpsAttr());
    dx = backward.getDx();
    dgamma = backward.getDgamma();
    dbeta = backward.getDbeta();
  }
  if (needed[0] && (dmean || dvar)) {
    // mean = sum x / M, variance = sum (x - mean)^2 / M: dx gets dmean / M
    // and dvar 2 (x - mean) / M (the mean's own term sums to zero).
    SmallVector<int64_t> channel(xType.getRank(), 1);
    channel[1] = xType.getDimSize(1);
    auto channelType = RankedTensorType::get(channel, xType.getElementType());
    double count = double(xType.getNumElements()) / xType.getDimSize(1);
    Value inv = m.constant(getInput(), 1.0 / count);
    auto term = [&](Value extra) { dx = dx ? m.add(dx, extra) : extra; };
    if (dmean)
      term(m.broadcastTo(m.mul(m.reshape(dmean, channelType), inv), xType));
    if (dvar) {
      Value centered = m.sub(getInput(), m.reshape(getMean(), channelType));
      term(m.mul(centered, m.mul(m.reshape(dvar, channelType),
                                 m.constant(getInput(), 2.0 / count))));
    }
  }
  grads.push_back(needed[0] ? dx : Value());
  grads.push_back(needed[1] ? dgamma : Value());
  grads.push_back(needed[2] ? dbeta : Value());
  return success();
}

LogicalResult LayerNormOp::buildMultiResultVJP(OpBuilder &b,
                                               ArrayRef<Value> resultGrads,
                                               ArrayRef<bool> needed,
                                               SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  Value dy = resultGrads[0], dmean = resultGrads[1], drstd = resultGrads[2];
  RankedTensorType xType = typeOf(getInput());
  Value dx, dgamma, dbeta;
  if (dy) {
    auto backward = b.create<LayerNormBackwardOp>(
        getLoc(), getInput(), dy, getGamma(), getMean(), getRstd());
    dx = backward.getDx();
    dgamma = backward.getDgamma();
    dbeta = backward.getDbeta();
  }
  if (needed[0] && (dmean || drstd)) {
    // mean = sum x / D: dx gets dmean / D. rstd = (var + eps)^-1/2 with var
    // = sum (x - mean)^2 / D: dx gets -drstd rstd^3 (x - mean) / D (the
    // mean's own term sums to zero over the row).
    SmallVector<int64_t> row(xType.getShape());
    row.back() = 1;
    auto rowType = RankedTensorType::get(row, xType.getElementType());
    double inv = 1.0 / double(xType.getShape().back());
    auto term = [&](Value extra) { dx = dx ? m.add(dx, extra) : extra; };
    if (dmean)
      term(m.broadcastTo(
          m.mul(m.reshape(dmean, rowType), m.constant(getInput(), inv)),
          xType));
    if (drstd) {
      Value r = m.reshape(getRstd(), rowType);
      Value k = m.mul(m.mul(m.reshape(drstd, rowType), m.mul(r, m.mul(r, r))),
                      m.constant(getInput(), -inv));
      term(m.mul(m.sub(getInput(), m.reshape(getMean(), rowType)), k));
    }
  }
  grads.push_back(needed[0] ? dx : Value());
  grads.push_back(needed[1] ? dgamma : Value());
  grads.push_back(needed[2] ? dbeta : Value());
  return success();
}
