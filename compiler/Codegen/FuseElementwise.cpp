//===- FuseElementwise.cpp - elementwise fusion that recomputes nothing ---===//
//
// Part of dlc. See DLCFuseElementwisePass in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Codegen/KernelGroups.h"
#include "Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dlc {
#define GEN_PASS_DEF_DLCFUSEELEMENTWISEPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

/// Whether `op`'s body is at most a few ops, none of them a division or a
/// math function (exp, log, sqrt, tanh, ...).
bool isCheap(linalg::GenericOp op) {
  int count = 0;
  for (Operation &inner : op.getBody()->without_terminator()) {
    if (++count > 4 || inner.getNumRegions() != 0 ||
        isa<math::MathDialect>(inner.getDialect()) ||
        isa<arith::DivFOp, arith::RemFOp, arith::DivSIOp, arith::DivUIOp,
            arith::RemSIOp, arith::RemUIOp, arith::CeilDivSIOp,
            arith::FloorDivSIOp>(inner))
      return false;
  }
  return true;
}

/// Whether to fuse the producer of `operand` into its owner (both generics
/// that linalg::areElementwiseOpsFusable accepted).
bool shouldFuse(OpOperand *operand) {
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
  if (!producer || !consumer)
    return false;
  // A broadcast producer would run once per element of the consumer: only
  // when its body is a few cheap ops (recomputing is then cheaper than a
  // tensor written and read back), and only for its single user (its result
  // cannot be a result of the larger fused loop).
  bool broadcast = producer.getNumLoops() != consumer.getNumLoops() ||
                   !consumer.getMatchingIndexingMap(operand).isPermutation();
  if (broadcast && (!isCheap(producer) || !producer->hasOneUse()))
    return false;
  // Results used elsewhere become results of the fused op, which takes the
  // consumer's place: each such use must come after the consumer.
  for (Value result : producer->getResults())
    for (Operation *user : result.getUsers())
      if (user != consumer.getOperation() &&
          (user->getBlock() != consumer->getBlock() ||
           !consumer->isBeforeInBlock(user)))
        return false;
  return true;
}

/// Fuses a generic with the producer of one of its inputs when shouldFuse
/// allows it. Unlike upstream's pattern in MLIR 19, which leaves a producer
/// with other users in place (so its work is done twice), every use of the
/// producer's results is redirected to the fused op.
struct FuseWithProducer : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    for (OpOperand &operand : consumer->getOpOperands()) {
      if (!linalg::areElementwiseOpsFusable(&operand) || !shouldFuse(&operand))
        continue;
      Operation *producer = operand.get().getDefiningOp();
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, &operand);
      if (failed(fused))
        return rewriter.notifyMatchFailure(consumer, "fusion failed");
      // The fused op yields the kept producer results, then the consumer's.
      Operation *fusedOp = fused->fusedOp;
      ValueRange consumerResults =
          fusedOp->getResults().take_back(consumer->getNumResults());
      for (auto [old, replacement] :
           llvm::zip(consumer->getResults(), consumerResults))
        rewriter.replaceAllUsesWith(old, replacement);
      for (auto [old, replacement] : fused->replacements)
        if (old.getDefiningOp() == producer)
          rewriter.replaceUsesWithIf(old, replacement, [&](OpOperand &use) {
            return use.getOwner() != fusedOp;
          });
      rewriter.eraseOp(consumer);
      if (producer->use_empty())
        rewriter.eraseOp(producer);
      return success();
    }
    return failure();
  }
};

/// Reshape folding: only a reshape's single use, as upstream.
bool singleUse(OpOperand *operand) {
  Operation *producer = operand->get().getDefiningOp();
  return producer && producer->hasOneUse();
}

/// Reshape folding by expansion: a single use, and never into a matmul,
/// which would become a generic contraction without register tiles.
bool expandsNoContraction(OpOperand *operand) {
  Operation *producer = operand->get().getDefiningOp();
  return singleUse(operand) &&
         !dlc::isRegisterTiledContraction(operand->getOwner()) &&
         !dlc::isRegisterTiledContraction(producer);
}

struct DLCFuseElementwisePass
    : public dlc::impl::DLCFuseElementwisePassBase<DLCFuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    // Upstream's fusion pattern off (its fill/constant folds and dead
    // operand removal stay); ours fuses.
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *) { return false; });
    patterns.add<FuseWithProducer>(ctx);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                      expandsNoContraction);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(
        patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, singleUse);
    GreedyRewriteConfig config;
    config.useTopDownTraversal = true;
    // Not converging within the iteration limit only leaves fusions undone.
    (void)applyPatternsAndFoldGreedily(getOperation(), std::move(patterns),
                                       config);
  }
};

} // namespace
