//===- ConvertDLToLinalg.cpp - the dl to linalg conversion pass -----------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/Conversion/Passes.h"
#include "DL/IR/DLDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace dlc::dl {
#define GEN_PASS_DEF_CONVERTDLTOLINALGPASS
#include "DL/Conversion/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc::dl;

void dlc::dl::populateDLToLinalgPatterns(RewritePatternSet &patterns) {
  populateDLAttentionToLinalgPatterns(patterns);
  populateDLElementwiseToLinalgPatterns(patterns);
  populateDLMatmulToLinalgPatterns(patterns);
  populateDLConvToLinalgPatterns(patterns);
  populateDLPoolToLinalgPatterns(patterns);
  populateDLNormalizationToLinalgPatterns(patterns);
  populateDLIndexingToLinalgPatterns(patterns);
  populateDLLoopsToSCFPatterns(patterns);
  populateDLRandomToLinalgPatterns(patterns);
  populateDLReductionToLinalgPatterns(patterns);
  populateDLShapeToLinalgPatterns(patterns);
  populateDLSoftmaxToLinalgPatterns(patterns);
}

namespace {
struct ConvertDLToLinalgPass
    : public dlc::dl::impl::ConvertDLToLinalgPassBase<ConvertDLToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<DLDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           scf::SCFDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(ctx);
    populateDLToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
