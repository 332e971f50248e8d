//===- Utils.h - helpers shared by the codegen passes -----------*- C++ -*-===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_CODEGEN_UTILS_H
#define DLC_CODEGEN_UTILS_H

#include "mlir/IR/PatternMatch.h"

namespace dlc {

/// Adds the canonicalization patterns of every loaded dialect and registered
/// op (what the canonicalizer pass runs), for use inside a pass's own
/// greedy rewrite.
inline void populateAllCanonicalizationPatterns(mlir::RewritePatternSet &patterns) {
  mlir::MLIRContext *ctx = patterns.getContext();
  for (mlir::Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (mlir::RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
}

} // namespace dlc

#endif // DLC_CODEGEN_UTILS_H
