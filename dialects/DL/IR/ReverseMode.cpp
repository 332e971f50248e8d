//===- ReverseMode.cpp - reverse-mode differentiation of a block ----------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/ReverseMode.h"
#include "DL/IR/DLOps.h"

#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace dlc::dl;

static bool isFloatTensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && isa<FloatType>(type.getElementType());
}

SmallVector<Value> dlc::dl::inputsOf(Operation &op) {
  SmallVector<Value> inputs(op.getOperands());
  if (op.getNumRegions()) {
    // The values its regions read that are defined outside it, in the
    // order they are first read. (Not getUsedValuesDefinedAbove: a loop
    // nested in a step being differentiated lives in a detached block,
    // whose values that walk would not see as defined above.)
    llvm::SetVector<Value> captured;
    op.walk<WalkOrder::PreOrder>([&](Operation *inner) {
      if (inner == &op)
        return;
      for (Value v : inner->getOperands()) {
        Region *region = v.getParentRegion();
        if (!region || !op.isAncestor(region->getParentOp()))
          captured.insert(v);
      }
    });
    inputs.append(captured.begin(), captured.end());
  }
  return inputs;
}

DenseSet<Value> dlc::dl::findActiveValues(ArrayRef<Operation *> ops,
                                          ArrayRef<Value> sources,
                                          ArrayRef<Value> sinks) {
  DenseSet<Value> fromSources(sources.begin(), sources.end());
  for (Operation *op : ops)
    if (llvm::any_of(inputsOf(*op),
                     [&](Value v) { return fromSources.contains(v); }))
      for (Value r : op->getResults())
        fromSources.insert(r);
  DenseSet<Value> toSinks(sinks.begin(), sinks.end());
  for (Operation *op : llvm::reverse(ops))
    if (llvm::any_of(op->getResults(),
                     [&](Value r) { return toSinks.contains(r); }))
      for (Value v : inputsOf(*op))
        toSinks.insert(v);
  DenseSet<Value> active;
  for (Value v : fromSources)
    if (toSinks.contains(v) && isFloatTensor(v))
      active.insert(v);
  return active;
}

void dlc::dl::accumulate(OpBuilder &b, Location loc, Value &sum, Value grad) {
  if (grad)
    sum = sum ? b.create<AddOp>(loc, sum, grad).getResult() : grad;
}

/// Builds the cotangents of `op`'s `inputs` (inputsOf) from those of its
/// results: through DifferentiableOpInterface, or
/// DifferentiableRegionOpInterface for an op with regions. Anything else on
/// the path would silently lose the gradient: it is an error at the op.
static LogicalResult buildInputGrads(OpBuilder &b, Operation &op,
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

LogicalResult dlc::dl::backpropagate(OpBuilder &b, ArrayRef<Operation *> ops,
                                     const DenseSet<Value> &active,
                                     DenseMap<Value, Value> &cotangent) {
  for (Operation *op : llvm::reverse(ops)) {
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
    SmallVector<Value> inputGrads;
    if (failed(buildInputGrads(b, *op, inputs, resultGrads, needed,
                               inputGrads)))
      return failure();
    for (auto [input, grad, need] : llvm::zip(inputs, inputGrads, needed))
      if (need && grad)
        accumulate(b, op->getLoc(), cotangent[input], grad);
  }
  return success();
}
