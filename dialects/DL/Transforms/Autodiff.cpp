//===- Autodiff.cpp - reverse-mode differentiation of the loss ------------===//
//
// Part of dlc. The pass knows no op by name: each op's gradient comes from
// its DifferentiableOpInterface (dialects/DL/IR/Gradients/).
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLMarks.h"
#include "DL/IR/DLOps.h"
#include "DL/Transforms/EntryPoints.h"
#include "DL/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace dlc::dl {
#define GEN_PASS_DEF_DLAUTODIFFPASS
#include "DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc::dl;

namespace {

bool isFloatTensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && isa<FloatType>(type.getElementType());
}

/// The values `op` reads: its operands and the values its regions use from
/// outside them (an op with regions reads those as well).
SmallVector<Value> inputsOf(Operation &op) {
  SmallVector<Value> inputs(op.getOperands());
  if (op.getNumRegions()) {
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(op.getRegions(), captured);
    inputs.append(captured.begin(), captured.end());
  }
  return inputs;
}

/// The values through which a parameter reaches the loss: those that depend
/// on a parameter and that the loss depends on.
DenseSet<Value> findActiveValues(Block &body, ArrayRef<Value> params,
                                 Value loss) {
  DenseSet<Value> fromParams(params.begin(), params.end());
  for (Operation &op : body)
    if (llvm::any_of(inputsOf(op),
                     [&](Value v) { return fromParams.contains(v); }))
      for (Value r : op.getResults())
        fromParams.insert(r);
  DenseSet<Value> toLoss = {loss};
  for (Operation &op : llvm::reverse(body))
    if (llvm::any_of(op.getResults(),
                     [&](Value r) { return toLoss.contains(r); }))
      for (Value v : inputsOf(op))
        toLoss.insert(v);
  DenseSet<Value> active;
  for (Value v : fromParams)
    if (toLoss.contains(v) && isFloatTensor(v))
      active.insert(v);
  return active;
}

/// Builds the cotangents of `op`'s `inputs` (inputsOf) from those of its
/// results (null where the loss does not depend on one): through
/// DifferentiableOpInterface, or DifferentiableRegionOpInterface for an op
/// with regions, which differentiates its own body. Anything else on the path
/// would silently lose the gradient: it is an error at the op.
LogicalResult buildInputGrads(OpBuilder &b, Operation &op,
                              ArrayRef<Value> inputs,
                              ArrayRef<Value> resultGrads,
                              ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &inputGrads) {
  LogicalResult built = failure();
  if (op.getNumRegions() == 0) {
    auto differentiable = dyn_cast<DifferentiableOpInterface>(op);
    if (!differentiable)
      return op.emitOpError("has no gradient, but the loss depends on a "
                            "parameter through it");
    built = differentiable.buildMultiResultVJP(b, resultGrads, needed,
                                               inputGrads);
  } else {
    auto differentiable = dyn_cast<DifferentiableRegionOpInterface>(op);
    if (!differentiable)
      return op.emitOpError("has no gradient, but the loss depends on a "
                            "parameter through it");
    ArrayRef<Value> captured = inputs.drop_front(op.getNumOperands());
    built = differentiable.buildRegionVJP(b, resultGrads, captured, needed,
                                          inputGrads);
  }
  if (failed(built) || inputGrads.size() != inputs.size())
    return op.emitOpError("failed to build its gradient");
  return success();
}

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
  DenseSet<Value> active = findActiveValues(body, params, loss);

  // Walk the forward ops backwards, accumulating cotangents.
  OpBuilder b(ret);
  DenseMap<Value, Value> cotangent;
  auto lossType = cast<RankedTensorType>(loss.getType());
  cotangent[loss] =
      b.create<FillOp>(loss.getLoc(), lossType, b.getF64FloatAttr(1.0));
  SmallVector<Operation *> forward;
  for (Operation &op : body)
    if (&op != ret)
      forward.push_back(&op);
  for (Operation *op : llvm::reverse(forward)) {
    if (llvm::none_of(op->getResults(),
                      [&](Value r) { return cotangent.count(r); }))
      continue;
    SmallVector<Value> inputs = inputsOf(*op);
    SmallVector<bool> needed;
    for (Value input : inputs)
      needed.push_back(active.contains(input));
    if (llvm::none_of(needed, [](bool need) { return need; }))
      continue;
    SmallVector<Value> resultGrads;
    for (Value result : op->getResults())
      resultGrads.push_back(cotangent.lookup(result));
    b.setInsertionPoint(ret);
    SmallVector<Value> inputGrads;
    if (failed(buildInputGrads(b, *op, inputs, resultGrads, needed,
                               inputGrads)))
      return failure();
    for (auto [input, grad, need] : llvm::zip(inputs, inputGrads, needed)) {
      if (!grad || !need)
        continue;
      Value &sum = cotangent[input];
      sum = sum ? b.create<AddOp>(op->getLoc(), sum, grad).getResult() : grad;
    }
  }

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
  }
};

} // namespace
