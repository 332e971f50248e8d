//===- Passes.td - dl conversion passes --------------------*- tablegen -*-===//
//
// Part of dlc. Passes that lower the dl dialect to upstream dialects.
//
//===----------------------------------------------------------------------===//

#ifndef DL_CONVERSION_PASSES_TD
#define DL_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertDLToLinalgPass : Pass<"convert-dl-to-linalg"> {
  let summary = "Lower dl ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every dl op into ops on tensors: named linalg ops where they
    exist (matmul, batch_matmul, transpose, fill) and linalg.generic for
    broadcasting elementwise arithmetic, reductions, softmax and losses.
    Broadcast operands are collapsed (tensor.collapse_shape) so that every
    indexing map is a projected permutation, which the vectorizer needs.
    Fails if any dl op is left.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::bufferization::BufferizationDialect",
  ];
}

#endif // DL_CONVERSION_PASSES_TD
