//===- LowerCopies.cpp - memref.copy to linalg.copy, self copies erased ---===//
//
// Part of dlc. See DLCLowerCopiesPass in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace dlc {
#define GEN_PASS_DEF_DLCLOWERCOPIESPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {
struct DLCLowerCopiesPass
    : public dlc::impl::DLCLowerCopiesPassBase<DLCLowerCopiesPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      if (copy.getSource() == copy.getTarget())
        rewriter.eraseOp(copy);
      else
        rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                    copy.getTarget());
    }
  }
};
} // namespace
