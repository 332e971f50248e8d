//===- DecomposeAttention.cpp - dl.attention as dl ops --------------------===//
//
// Part of dlc. softmax(q k^T scale + mask) v as dl ops: the transpose of k,
// a batched matmul, the scale, the given mask (broadcast) and the causal one
// (a constant, -inf above the diagonal), a softmax over the keys and a
// batched matmul with v. Their VJPs are attention's gradient; the
// probabilities [..., Tq, Tk] are kept for it. The unfused form, which dlc
// does not run: dlc-opt runs it to compare with the fused lowering.
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

LogicalResult decompose(AttentionOp op) {
  if (!op.getLse().use_empty())
    return op.emitOpError("cannot be expanded while its lse is in use (run "
                          "dl-decompose-attention before dl-autodiff)");
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
  return success();
}

struct DLDecomposeAttentionPass
    : public dlc::dl::impl::DLDecomposeAttentionPassBase<
          DLDecomposeAttentionPass> {
  void runOnOperation() override {
    SmallVector<AttentionOp> ops;
    getOperation().walk([&](AttentionOp op) { ops.push_back(op); });
    for (AttentionOp op : ops)
      if (failed(decompose(op)))
        return signalPassFailure();
  }
};

} // namespace
