//===- DestinationResults.cpp - results into caller-provided tensors ------===//
//
// Part of dlc. See DLCDestinationResultsPass in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

namespace dlc {
#define GEN_PASS_DEF_DLCDESTINATIONRESULTSPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

/// Follows `value` back through destination-passing ops (their tied init)
/// and loops (their init args) to the operand where a fresh tensor.empty
/// enters the chain. Returns null when the chain does not start at an empty
/// tensor (an argument, a constant, ...), or when a link before `value` is
/// shared (a fill feeding two matmuls must not land in one destination).
OpOperand *findEmptyOrigin(Value value) {
  for (bool first = true;; first = false) {
    auto result = dyn_cast<OpResult>(value);
    if (!result || (!first && !result.hasOneUse()))
      return nullptr;
    Operation *op = result.getOwner();
    OpOperand *init = nullptr;
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
      init = dps.getTiedOpOperand(result);
    else if (auto loop = dyn_cast<scf::ForOp>(op))
      init = &loop.getInitArgsMutable()[result.getResultNumber()];
    if (!init)
      return nullptr;
    if (init->get().getDefiningOp<tensor::EmptyOp>())
      return init;
    value = init->get();
  }
}

struct DLCDestinationResultsPass
    : public dlc::impl::DLCDestinationResultsPassBase<
          DLCDestinationResultsPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.isPublic())
        continue;
      if (!func.getBody().hasOneBlock()) {
        func.emitError("expected a single-block function body");
        return signalPassFailure();
      }
      OpBuilder b(func.getContext());
      auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
      for (unsigned i = 0, e = func.getNumResults(); i < e; ++i) {
        auto type = dyn_cast<RankedTensorType>(func.getResultTypes()[i]);
        if (!type)
          continue;
        NamedAttrList attrs(func.getResultAttrDict(i));
        attrs.set("bufferize.result", b.getUnitAttr());
        attrs.set(bufferization::BufferizationDialect::kWritableAttrName,
                  b.getBoolAttr(true));
        unsigned index = func.getNumArguments();
        func.insertArgument(index, type, attrs.getDictionary(b.getContext()),
                            func.getLoc());
        Value dest = func.getArgument(index);
        // Compute the result in the destination itself where its chain
        // starts from an empty tensor; copy it there otherwise.
        if (OpOperand *origin = findEmptyOrigin(ret.getOperand(i))) {
          origin->set(dest);
          continue;
        }
        b.setInsertionPoint(ret);
        Value copied =
            b.create<linalg::CopyOp>(ret.getLoc(), ret.getOperand(i), dest)
                .getResult(0);
        ret.setOperand(i, copied);
      }
    }
  }
};

} // namespace
