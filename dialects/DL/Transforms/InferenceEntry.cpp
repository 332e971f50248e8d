//===- InferenceEntry.cpp - derive `forward` from a model function --------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "DL/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace dlc::dl {
#define GEN_PASS_DEF_DLINFERENCEENTRYPASS
#include "DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;

namespace {

StringRef kindOf(ArrayRef<DictionaryAttr> attrs, unsigned i) {
  if (i >= attrs.size() || !attrs[i])
    return "";
  if (auto kind = attrs[i].getAs<StringAttr>("dl.kind"))
    return kind.getValue();
  return "";
}

/// Turns `func` into the inference function: drops non-output results, the
/// ops that become dead, and the labels.
LogicalResult makeInference(func::FuncOp func) {
  SmallVector<DictionaryAttr> resultAttrs;
  func.getAllResultAttrs(resultAttrs);
  llvm::BitVector dropResults(func.getNumResults());
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    if (kindOf(resultAttrs, i) != "output")
      dropResults.set(i);
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  ret->eraseOperands(dropResults);
  func.eraseResults(dropResults);

  // Remove ops that no longer reach a result, last first.
  Block &body = func.getBody().front();
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (&op != ret && op.use_empty() && isMemoryEffectFree(&op))
      op.erase();

  SmallVector<DictionaryAttr> argAttrs;
  func.getAllArgAttrs(argAttrs);
  llvm::BitVector dropArgs(func.getNumArguments());
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    if (kindOf(argAttrs, i) != "label")
      continue;
    if (!func.getArgument(i).use_empty())
      return func.emitError("an output depends on label '")
             << argAttrs[i].getAs<StringAttr>("dl.name").getValue()
             << "': no inference function can be derived";
    dropArgs.set(i);
  }
  func.eraseArguments(dropArgs);
  return success();
}

struct DLInferenceEntryPass
    : public dlc::dl::impl::DLInferenceEntryPassBase<DLInferenceEntryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      SmallVector<DictionaryAttr> resultAttrs;
      func.getAllResultAttrs(resultAttrs);
      bool hasLoss = false;
      for (unsigned i = 0; i < func.getNumResults(); ++i)
        hasLoss |= kindOf(resultAttrs, i) == "loss";
      if (!hasLoss || func.isExternal())
        continue;
      if (symbols.lookup("eval")) {
        func.emitError("cannot derive entry points: 'eval' already exists");
        return signalPassFailure();
      }
      func::FuncOp inference = func.clone();
      if (failed(symbols.rename(func, "eval"))) {
        inference.erase();
        return signalPassFailure();
      }
      inference.setSymName("forward");
      symbols.insert(inference);
      if (failed(makeInference(inference)))
        return signalPassFailure();
    }
  }
};

} // namespace
