//===- DecomposeAttention.cpp - dl.attention as dl ops --------------------===//
//
// Part of dlc. softmax(q k^T scale + mask) v as dl ops: the transpose of k,
// a batched matmul, the scale, the given mask (broadcast) and the causal one
// (a constant, -inf above the diagonal), a softmax over the keys and a
// batched matmul with v. Their VJPs
// are attention's gradient; the probabilities [..., Tq, Tk] are kept for it.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLOps.h"
#include "DL/IR/Gradients/GradientBuilders.h"
#include "DL/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"

namespace dlc::dl {
#define GEN_PASS_DEF_DLDECOMPOSEATTENTIONPASS
#include "DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

namespace {

/// The causal mask [Tq, Tk] of ELEMENT type: 0 where key j <= i + Tk - Tq,
/// -inf elsewhere.
Value causalMask(OpBuilder &b, Location loc, int64_t tq, int64_t tk,
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

void decompose(AttentionOp op) {
  OpBuilder b(op);
  Math m{b, op.getLoc()};
  RankedTensorType q = typeOf(op.getQ()), k = typeOf(op.getK());
  int64_t rank = q.getRank();
  Value scores = m.mul(m.matmul(op.getQ(), m.transposeLast2(op.getK())),
                       m.constant(op.getQ(), op.getScale().convertToDouble()));
  if (Value mask = op.getMask())
    scores = m.add(scores, mask);
  if (op.getCausal())
    scores = m.add(scores, causalMask(b, op.getLoc(), q.getDimSize(rank - 2),
                                      k.getDimSize(rank - 2),
                                      cast<FloatType>(q.getElementType())));
  Value out = m.matmul(m.softmax(scores, rank - 1), op.getV());
  op.getResult().replaceAllUsesWith(out);
  op.erase();
}

struct DLDecomposeAttentionPass
    : public dlc::dl::impl::DLDecomposeAttentionPassBase<
          DLDecomposeAttentionPass> {
  void runOnOperation() override {
    SmallVector<AttentionOp> ops;
    getOperation().walk([&](AttentionOp op) { ops.push_back(op); });
    for (AttentionOp op : ops)
      decompose(op);
  }
};

} // namespace
