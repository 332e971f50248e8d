//===- LowerVectors.cpp - hoist accumulators, lower vector ops ------------===//
//
// Part of dlc. The post-bufferization half of the schedule recorded in
// shared/notes/cpu-matmul-codegen.md: hoisting keeps matmul accumulators in
// registers across K; contractions become outer products, then FMAs.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"
#include "Codegen/Utils.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dlc {
#define GEN_PASS_DEF_DLCLOWERVECTORSPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

/// The buffer a memref value views (through subviews, casts, ...).
Value baseBuffer(Value memref) {
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>())
    memref = view.getViewSource();
  return memref;
}

/// Whether `op` or an op nested in it takes a view of `base` as an operand.
bool touches(Operation *op, Value base) {
  WalkResult result = op->walk([&](Operation *nested) {
    for (Value operand : nested->getOperands())
      if (isa<MemRefType>(operand.getType()) && baseBuffer(operand) == base)
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// Whether two transfers cover the same elements: the same view, indices,
/// map, vector type and mask (the same mask value, or none).
template <typename A, typename B> bool sameElements(A first, B second) {
  return first.getSource() == second.getSource() &&
         first.getIndices() == second.getIndices() &&
         first.getPermutationMap() == second.getPermutationMap() &&
         first.getVectorType() == second.getVectorType() &&
         first.getMask() == second.getMask() &&
         first.getInBoundsAttr() == second.getInBoundsAttr();
}

/// Whether `read` yields exactly the vector `write` stored. Under a mask, the
/// read's masked-off lanes are its padding: only a splat of that padding
/// (a masked zero fill) is then forwarded.
bool forwards(vector::TransferWriteOp write, vector::TransferReadOp read) {
  if (!sameElements(write, read))
    return false;
  if (!read.getMask())
    return true;
  auto splat = write.getVector().getDefiningOp<arith::ConstantOp>();
  auto dense = splat ? dyn_cast<SplatElementsAttr>(splat.getValue()) : nullptr;
  auto padding = read.getPadding().getDefiningOp<arith::ConstantOp>();
  return dense && padding &&
         dense.getSplatValue<Attribute>() == padding.getValue();
}

/// Store-to-load forwarding and dead-store removal within a block: a
/// transfer_read of what a transfer_write earlier in the same block stored,
/// with nothing between them touching that buffer, takes the stored vector;
/// a transfer_write overwritten by an identical one later in the block, with
/// nothing between them touching the buffer, is erased. This is what matters
/// here (the zero fill of an accumulator tile, forwarded into the K loop
/// once the accumulator is hoisted), at a cost linear in the function, where
/// upstream's vector::transferOpflowOpt compares every pair of transfers on a
/// buffer (with affine bound proofs) and grows quadratically with the number
/// of ops.
void forwardStoresInBlocks(RewriterBase &rewriter, func::FuncOp func) {
  // Bounds the scans: the forwarding that pays is between neighbours.
  constexpr int kWindow = 64;
  SmallVector<vector::TransferReadOp> reads;
  func.walk([&](vector::TransferReadOp read) {
    if (isa<MemRefType>(read.getShapedType()))
      reads.push_back(read);
  });
  for (vector::TransferReadOp read : reads) {
    Value base = baseBuffer(read.getSource());
    int steps = 0;
    for (Operation *op = read->getPrevNode(); op && steps < kWindow;
         op = op->getPrevNode(), ++steps) {
      auto write = dyn_cast<vector::TransferWriteOp>(op);
      if (write && forwards(write, read)) {
        rewriter.replaceOp(read, write.getVector());
        break;
      }
      if (!isMemoryEffectFree(op) && touches(op, base))
        break;
    }
  }
  SmallVector<vector::TransferWriteOp> writes;
  func.walk([&](vector::TransferWriteOp write) {
    if (isa<MemRefType>(write.getShapedType()))
      writes.push_back(write);
  });
  for (vector::TransferWriteOp write : writes) {
    Value base = baseBuffer(write.getSource());
    int steps = 0;
    for (Operation *op = write->getNextNode(); op && steps < kWindow;
         op = op->getNextNode(), ++steps) {
      auto later = dyn_cast<vector::TransferWriteOp>(op);
      if (later && sameElements(write, later)) {
        rewriter.eraseOp(write);
        break;
      }
      if (!isMemoryEffectFree(op) && touches(op, base))
        break;
    }
  }
}

struct DLCLowerVectorsPass
    : public dlc::impl::DLCLowerVectorsPassBase<DLCLowerVectorsPass> {

  /// Applies the patterns `populate` adds, greedily, to the function. Not
  /// converging within the driver's iteration limit is harmless here.
  void stage(llvm::function_ref<void(RewritePatternSet &)> populate) {
    RewritePatternSet patterns(&getContext());
    populate(patterns);
    (void)applyPatternsAndFoldGreedily(getOperation(), std::move(patterns));
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    IRRewriter rewriter(ctx);

    linalg::hoistRedundantVectorTransfers(func);
    forwardStoresInBlocks(rewriter, func);

    vector::VectorTransformsOptions options;
    options.setVectorTransformsOptions(vector::VectorContractLowering::OuterProduct)
        .setVectorTransposeLowering(vector::VectorTransposeLowering::Shuffle1D);
    auto canonicalize = [](RewritePatternSet &patterns) {
      dlc::populateAllCanonicalizationPatterns(patterns);
    };
    stage(canonicalize);
    stage([&](RewritePatternSet &p) {
      vector::populateVectorTransferPermutationMapLoweringPatterns(p);
      vector::populateVectorReductionToContractPatterns(p);
    });
    stage([&](RewritePatternSet &p) {
      vector::populateVectorContractLoweringPatterns(p, options);
    });
    stage([&](RewritePatternSet &p) {
      vector::populateVectorTransferPermutationMapLoweringPatterns(p);
    });
    stage([&](RewritePatternSet &p) {
      vector::populateVectorMultiReductionLoweringPatterns(
          p, vector::VectorMultiReductionLowering::InnerParallel);
    });
    stage([&](RewritePatternSet &p) {
      populateVectorToSCFConversionPatterns(
          p, VectorTransferToSCFOptions().enableFullUnroll().setTargetRank(1));
    });
    stage([&](RewritePatternSet &p) {
      vector::populateVectorTransferLoweringPatterns(p, /*maxTransferRank=*/1);
    });
    stage([&](RewritePatternSet &p) {
      vector::populateVectorShapeCastLoweringPatterns(p);
    });
    stage([&](RewritePatternSet &p) {
      vector::populateVectorTransposeLoweringPatterns(p, options);
    });
    stage([&](RewritePatternSet &p) {
      vector::populateVectorOuterProductLoweringPatterns(p);
    });
    stage([&](RewritePatternSet &p) {
      vector::populateVectorBroadcastLoweringPatterns(p);
    });
    stage(canonicalize);

    // Allow LLVM to contract a * b + c into an FMA (what C compilers do by
    // default within an expression); outer products become FMAs this way.
    // Conversions (extf, truncf) have no flags attribute unless one is set
    // and are left alone.
    func.walk([&](arith::ArithFastMathInterface op) {
      arith::FastMathFlagsAttr flags = op.getFastMathFlagsAttr();
      if (!flags)
        return;
      op->setAttr(op.getFastMathAttrName(),
                  arith::FastMathFlagsAttr::get(
                      ctx, flags.getValue() | arith::FastMathFlags::contract));
    });
  }
};

} // namespace
