//===- InferenceEntry.cpp - derive `forward` from a model function --------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "DL/Transforms/EntryPoints.h"
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
using namespace dlc::dl;

namespace {

/// Turns `func` into the inference function: drops non-output results, the
/// ops that become dead, and the labels.
LogicalResult makeInference(func::FuncOp func) {
  llvm::BitVector dropResults(func.getNumResults());
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    if (getResultKind(func, i) != "output")
      dropResults.set(i);
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  ret->eraseOperands(dropResults);
  func.eraseResults(dropResults);

  // Remove ops that no longer reach a result, last first.
  Block &body = func.getBody().front();
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (&op != ret && op.use_empty() && isMemoryEffectFree(&op))
      op.erase();

  llvm::BitVector dropArgs(func.getNumArguments());
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    if (getArgKind(func, i) != "label")
      continue;
    if (!func.getArgument(i).use_empty())
      return func.emitError("an output depends on label '")
             << getArgName(func, i)
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
    FailureOr<func::FuncOp> model = findModelFunction(module);
    if (failed(model))
      return signalPassFailure();
    if (!*model)
      return;
    SymbolTable symbols(module);
    for (StringRef name : {"eval", "forward"})
      if (Operation *clash = symbols.lookup(name); clash && clash != *model) {
        model->emitError("cannot derive entry points: '")
            << name << "' already exists";
        return signalPassFailure();
      }
    func::FuncOp inference = model->clone();
    if (failed(symbols.rename(*model, "eval"))) {
      inference.erase();
      return signalPassFailure();
    }
    inference.setSymName("forward");
    symbols.insert(inference);
    if (failed(makeInference(inference)))
      return signalPassFailure();
  }
};

} // namespace
