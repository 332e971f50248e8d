//===- DestinationResults.cpp - results into caller-provided tensors ------===//
//
// Part of dlc. See DLCDestinationResultsPass in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"
#include "DL/IR/DLMarks.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

namespace dlc {
#define GEN_PASS_DEF_DLCDESTINATIONRESULTSPASS
#define GEN_PASS_DEF_DLCSTORERESULTSPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

/// On a result of an entry point: the index of the argument that is its
/// destination (read by dlc-store-results).
constexpr llvm::StringLiteral kDestArgAttr = "dlc.dest_arg";

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

/// In `op`, an input that is the same value as an init and is read through
/// the same map is read from the init's block argument instead. An update
/// p' = f(p, ...) written over p then reads p through its own destination,
/// which stays correct, and in place, once the op is tiled into loops.
void readInputsThroughInits(linalg::GenericOp op) {
  for (OpOperand *input : op.getDpsInputOperands())
    for (OpOperand &init : op.getDpsInitsMutable())
      if (input->get() == init.get() &&
          op.getMatchingIndexingMap(input) == op.getMatchingIndexingMap(&init))
        op.getMatchingBlockArgument(input).replaceAllUsesWith(
            op.getMatchingBlockArgument(&init));
}

/// Makes result `i` of `ret` be computed in `dest`: in the destination itself
/// where its chain starts from an empty tensor, else by a copy.
void writeInto(OpBuilder &b, func::ReturnOp ret, unsigned i, Value dest) {
  if (OpOperand *origin = findEmptyOrigin(ret.getOperand(i))) {
    origin->set(dest);
    return;
  }
  b.setInsertionPoint(ret);
  Value copied =
      b.create<linalg::CopyOp>(ret.getLoc(), ret.getOperand(i), dest)
          .getResult(0);
  ret.setOperand(i, copied);
}

struct DLCStoreResultsPass
    : public dlc::impl::DLCStoreResultsPassBase<DLCStoreResultsPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || func.getNumResults() == 0)
        continue;
      auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
      OpBuilder b(ret);
      llvm::BitVector drop(func.getNumResults());
      for (unsigned i = 0; i < func.getNumResults(); ++i) {
        auto dest = func.getResultAttrOfType<IntegerAttr>(i, kDestArgAttr);
        if (!dest)
          continue;
        Value arg = func.getArgument(dest.getInt());
        if (ret.getOperand(i) != arg)
          b.create<memref::CopyOp>(ret.getLoc(), ret.getOperand(i), arg);
        drop.set(i);
      }
      ret->eraseOperands(drop);
      func.eraseResults(drop);
    }
  }
};

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
        // An update is written over the argument it replaces.
        if (auto kind =
                func.getResultAttrOfType<StringAttr>(i, dlc::dl::kKindAttr);
            kind && kind.getValue() == dlc::dl::kind::kUpdate) {
          auto name =
              func.getResultAttrOfType<StringAttr>(i, dlc::dl::kNameAttr);
          std::optional<unsigned> target;
          for (unsigned a = 0; a < func.getNumArguments() && name; ++a) {
            auto argKind =
                func.getArgAttrOfType<StringAttr>(a, dlc::dl::kKindAttr);
            if (func.getArgAttrOfType<StringAttr>(a, dlc::dl::kNameAttr) ==
                    name &&
                argKind &&
                llvm::is_contained({dlc::dl::kind::kParam,
                                    dlc::dl::kind::kState,
                                    dlc::dl::kind::kOptState},
                                   argKind.getValue()))
              target = a;
          }
          if (!target || func.getArgument(*target).getType() != type) {
            func.emitError("update result #")
                << i << " names no argument of its type";
            return signalPassFailure();
          }
          func.setArgAttr(*target,
                          bufferization::BufferizationDialect::kWritableAttrName,
                          b.getBoolAttr(true));
          func->setAttr(dlc::kWritesStateAttr, b.getUnitAttr());
          writeInto(b, ret, i, func.getArgument(*target));
          func.setResultAttr(i, kDestArgAttr, b.getI64IntegerAttr(*target));
          continue;
        }
        NamedAttrList attrs(func.getResultAttrDict(i));
        attrs.set("bufferize.result", b.getUnitAttr());
        attrs.set(bufferization::BufferizationDialect::kWritableAttrName,
                  b.getBoolAttr(true));
        unsigned index = func.getNumArguments();
        func.insertArgument(index, type, attrs.getDictionary(b.getContext()),
                            func.getLoc());
        writeInto(b, ret, i, func.getArgument(index));
        func.setResultAttr(i, kDestArgAttr, b.getI64IntegerAttr(index));
      }
      // Inputs now read through their destinations become unused operands.
      func.walk(readInputsThroughInits);
    }
    RewritePatternSet patterns(&getContext());
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    (void)applyPatternsAndFoldGreedily(getOperation(), std::move(patterns));
  }
};

} // namespace
