//===- Loops.cpp - dl.scan to one scf.for ---------------------------------===//
//
// Part of dlc. A scan becomes one scf.for over its length, whatever the
// length: the iteration arguments are the carries and the stacked outputs;
// step t reads its slices with tensor.extract_slice (the time dimension
// dropped) and writes its outputs with tensor.insert_slice, at index t, or
// length - 1 - t for a reverse scan; each new carry is materialized in its
// iteration argument. The body's dl ops move into the loop
// and are converted there like any others.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/IR/DLOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace dlc::dl;

namespace {

/// The offsets, sizes and strides of step `t`'s slice of a tensor of `type`
/// along `axis`.
struct StepSlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  StepSlice(OpBuilder &b, RankedTensorType type, int64_t axis, Value t) {
    for (int64_t d = 0; d < type.getRank(); ++d) {
      offsets.push_back(d == axis ? OpFoldResult(t) : b.getIndexAttr(0));
      sizes.push_back(b.getIndexAttr(d == axis ? 1 : type.getDimSize(d)));
      strides.push_back(b.getIndexAttr(1));
    }
  }
};

struct ScanToSCF : public OpConversionPattern<ScanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t axis = op.getAxis(), length = op.getLength();
    unsigned numCarries = op.getNumCarries();
    // The carries start as copies of the inits, as the loop writes each new
    // carry over the last (an init may be a parameter, which is read-only).
    // Each carry and each stack gets its own allocation: equal tensor.empty
    // ops (or equal fills of them, once a copy of a fill folds) would be
    // CSE'd into one init of several iteration arguments, which MLIR 19's
    // bufferization copies through an alloc_tensor it then crashes on. The
    // copy is a materialization, which canonicalization keeps (an identity
    // linalg.copy on tensors folds to its input, and an init that is a view,
    // such as the last step of another scan's stack, would then give the
    // loop's buffer a strided layout that kernels cannot take).
    SmallVector<Value> iterInits;
    for (Value init : adaptor.getInits()) {
      auto type = cast<RankedTensorType>(init.getType());
      Value own = rewriter.create<bufferization::AllocTensorOp>(loc, type,
                                                                ValueRange());
      iterInits.push_back(rewriter
                              .create<bufferization::MaterializeInDestinationOp>(
                                  loc, init, own)
                              .getResult());
    }
    for (Value result : op.getStacked())
      iterInits.push_back(rewriter.create<bufferization::AllocTensorOp>(
          loc, cast<RankedTensorType>(result.getType()), ValueRange()));
    Value lb = rewriter.create<arith::ConstantIndexOp>(loc, 0);
    Value ub = rewriter.create<arith::ConstantIndexOp>(loc, length);
    Value one = rewriter.create<arith::ConstantIndexOp>(loc, 1);
    auto loop = rewriter.create<scf::ForOp>(loc, lb, ub, one, iterInits);
    Block *loopBody = loop.getBody();
    rewriter.setInsertionPointToStart(loopBody);
    Value t = loop.getInductionVar();
    if (op.getReverse())
      t = rewriter.create<arith::SubIOp>(
          loc, rewriter.create<arith::ConstantIndexOp>(loc, length - 1), t);

    // The step's block arguments: its slices, then the carries.
    SmallVector<Value> stepArgs;
    for (auto [seq, arg] :
         llvm::zip(adaptor.getSequences(), op.getSliceArgs())) {
      StepSlice slice(rewriter, cast<RankedTensorType>(seq.getType()), axis, t);
      stepArgs.push_back(rewriter.create<tensor::ExtractSliceOp>(
          loc, cast<RankedTensorType>(arg.getType()), seq, slice.offsets,
          slice.sizes, slice.strides));
    }
    for (unsigned i = 0; i < numCarries; ++i)
      stepArgs.push_back(loop.getRegionIterArg(i));
    YieldOp yield = op.getYield();
    rewriter.inlineBlockBefore(&op.getBodyBlock(), loopBody, loopBody->end(),
                               stepArgs);

    // The yield: outputs into their stacks, then the carries written over
    // the ones they replace (bufferization wants each yielded carry in its
    // iteration argument's buffer; the outputs are stored first, as they may
    // read the carry on entry).
    rewriter.setInsertionPoint(yield);
    SmallVector<Value> next;
    for (auto [i, value] :
         llvm::enumerate(yield.getValues().drop_front(numCarries))) {
      Value stack = loop.getRegionIterArg(numCarries + i);
      StepSlice slice(rewriter, cast<RankedTensorType>(stack.getType()), axis,
                      t);
      next.push_back(rewriter.create<tensor::InsertSliceOp>(
          loc, value, stack, slice.offsets, slice.sizes, slice.strides));
    }
    for (unsigned i = 0; i < numCarries; ++i)
      next.insert(next.begin() + i,
                  rewriter
                      .create<bufferization::MaterializeInDestinationOp>(
                          loc, yield.getValues()[i], loop.getRegionIterArg(i))
                      .getResult());
    rewriter.create<scf::YieldOp>(loc, next);
    rewriter.eraseOp(yield);
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

} // namespace

void dlc::dl::populateDLLoopsToSCFPatterns(RewritePatternSet &patterns) {
  patterns.add<ScanToSCF>(patterns.getContext());
}
