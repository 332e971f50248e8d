//===- InferenceEntry.cpp - derive `forward` from a model function --------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLMarks.h"
#include "DL/Transforms/EntryPoints.h"
#include "DL/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace dlc::dl {
#define GEN_PASS_DEF_DLINFERENCEENTRYPASS
#include "DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc::dl;

namespace {

/// Makes `func` compute what inference computes: the inference side of every
/// `dl.mode_select`, and no state update (inference reads the state, it
/// never writes it).
void specializeForInference(func::FuncOp func) {
  resolveModes(func, Mode::Inference);
  llvm::BitVector dropResults(func.getNumResults());
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    if (getResultKind(func, i) == kind::kState)
      dropResults.set(i);
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  ret->eraseOperands(dropResults);
  func.eraseResults(dropResults);
  eraseDeadOps(func);
}

/// Turns `func` (specialized for inference) into `forward`: drops the
/// non-output results, the ops that become dead, and the labels.
LogicalResult makeForward(func::FuncOp func) {
  llvm::BitVector dropResults(func.getNumResults());
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    if (getResultKind(func, i) != kind::kOutput)
      dropResults.set(i);
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  ret->eraseOperands(dropResults);
  func.eraseResults(dropResults);
  eraseDeadOps(func);

  llvm::BitVector dropArgs(func.getNumArguments());
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    if (getArgKind(func, i) != kind::kLabel)
      continue;
    Value label = func.getArgument(i);
    if (!label.use_empty())
      return (*label.getUsers().begin())->emitError("an output depends on label '")
             << getArgName(func, i)
             << "' through this op: no inference function can be derived";
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
    func::FuncOp eval = *model;
    if (failed(symbols.rename(eval, "eval")))
      return signalPassFailure();
    markEntry(eval, "eval");
    specializeForInference(eval);
    func::FuncOp forward = eval.clone();
    forward.setSymName("forward");
    markEntry(forward, "forward");
    symbols.insert(forward, std::next(Block::iterator(eval)));
    if (failed(makeForward(forward)))
      return signalPassFailure();
  }
};

} // namespace
