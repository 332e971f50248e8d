//===- Autodiff.cpp - reverse-mode differentiation of the loss ------------===//
//
// Part of dlc. The pass knows no op by name: each op's gradient comes from
// its DifferentiableOpInterface (dialects/DL/IR/Gradients/).
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLMarks.h"
#include "DL/IR/DLOps.h"
#include "DL/IR/ReverseMode.h"
#include "DL/Transforms/EntryPoints.h"
#include "DL/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace dlc::dl {
#define GEN_PASS_DEF_DLAUTODIFFPASS
#include "DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc::dl;

namespace {

/// Turns `func` (a clone of the model function) into `grad`.
LogicalResult buildGradient(func::FuncOp func) {
  MLIRContext *ctx = func.getContext();
  Block &body = func.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  unsigned lossIndex = getLossIndex(func);
  Value loss = ret.getOperand(lossIndex);

  SmallVector<unsigned> paramIndices;
  SmallVector<Value> params;
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (getArgKind(func, i) == kind::kParam) {
      paramIndices.push_back(i);
      params.push_back(func.getArgument(i));
    }
  SmallVector<Operation *> forward;
  for (Operation &op : body)
    if (&op != ret)
      forward.push_back(&op);
  DenseSet<Value> active = findActiveValues(forward, params, {loss});

  // Walk the forward ops backwards, accumulating cotangents.
  OpBuilder b(ret);
  DenseMap<Value, Value> cotangent;
  auto lossType = cast<RankedTensorType>(loss.getType());
  cotangent[loss] =
      b.create<FillOp>(loss.getLoc(), lossType, b.getF64FloatAttr(1.0));
  if (failed(backpropagate(b, forward, active, cotangent)))
    return failure();

  // Results: the loss, the outputs (for training metrics), the updated
  // states (written over the state they replace, as training updates them),
  // then one gradient per parameter (zero if the parameter does not reach
  // the loss).
  b.setInsertionPoint(ret);
  SmallVector<Value> results = {loss};
  SmallVector<DictionaryAttr> resultAttrs = {func.getResultAttrDict(lossIndex)};
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    if (getResultKind(func, i) == kind::kOutput) {
      results.push_back(ret.getOperand(i));
      resultAttrs.push_back(func.getResultAttrDict(i));
    }
  for (unsigned i = 0; i < func.getNumResults(); ++i) {
    if (getResultKind(func, i) != kind::kState)
      continue;
    Value updated = ret.getOperand(i);
    auto name = func.getResultAttrOfType<StringAttr>(i, kNameAttr);
    // A state that training leaves as it is needs no update.
    if (auto arg = dyn_cast<BlockArgument>(updated);
        arg && arg.getOwner() == &body && name &&
        getArgName(func, arg.getArgNumber()) == name.getValue())
      continue;
    results.push_back(updated);
    resultAttrs.push_back(
        makeMarks(ctx, kind::kUpdate, name ? name.getValue() : ""));
  }
  for (auto [index, param] : llvm::zip(paramIndices, params)) {
    Value grad = cotangent.lookup(param);
    if (!grad)
      grad = b.create<FillOp>(param.getLoc(), param.getType(),
                              b.getF64FloatAttr(0.0));
    results.push_back(grad);
    resultAttrs.push_back(makeMarks(ctx, kind::kGrad, getArgName(func, index)));
  }
  setResults(func, ret, results, resultAttrs);
  return success();
}

struct DLAutodiffPass
    : public dlc::dl::impl::DLAutodiffPassBase<DLAutodiffPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<func::FuncOp> model = findModelFunction(module);
    if (failed(model))
      return signalPassFailure();
    if (!*model)
      return;
    SymbolTable symbols(module);
    if (symbols.lookup("grad")) {
      model->emitError("cannot derive 'grad': the symbol already exists");
      return signalPassFailure();
    }
    func::FuncOp grad = model->clone();
    grad.setSymName("grad");
    markEntry(grad, "grad");
    symbols.insert(grad, Block::iterator(*model));
    if (!grad.getBody().hasOneBlock())
      return signalPassFailure();
    resolveModes(grad, Mode::Training);
    eraseDeadOps(grad);
    if (failed(buildGradient(grad)))
      return signalPassFailure();
    // An op with regions may have replaced itself by one that also records
    // a tape for its gradient (dl.scan): the original is dead.
    eraseDeadOps(grad);
  }
};

} // namespace
