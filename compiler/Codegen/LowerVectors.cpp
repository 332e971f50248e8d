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
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dlc {
#define GEN_PASS_DEF_DLCLOWERVECTORSPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

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
    vector::transferOpflowOpt(rewriter, func);

    vector::VectorTransformsOptions options;
    options.setVectorTransformsOptions(vector::VectorContractLowering::OuterProduct)
        .setVectorTransposeLowering(vector::VectorTransposeLowering::Shuffle1D);
    auto canonicalize = [](RewritePatternSet &patterns) {
      dlc::populateAllCanonicalizationPatterns(patterns);
    };
    stage(canonicalize);
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
