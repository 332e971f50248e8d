//===- Scan.cpp - VJP of dl.scan: a reverse scan over a tape --------------===//
//
// Part of dlc. The gradient of a loop is a loop: one reverse dl.scan whose
// step is the VJP of the forward step. What that VJP reads of the forward
// step (its carries on entry, its intermediates) the forward scan stacks as
// extra outputs, the tape (a value the step yields anyway is read from its
// own stack): its size is the step's residuals times the length, fixed at
// compile time, and the memory plan places it like any other tensor. The reverse scan carries the carries' cotangents and the
// captured values' gradients (summed over the steps) and stacks the
// sequences' cotangents.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"
#include "DL/IR/ReverseMode.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

/// `step` stacked over `scan`'s length along its axis.
static RankedTensorType stackedType(ScanOp scan, Type step) {
  auto type = cast<RankedTensorType>(step);
  shapes::ShapeResult shape =
      shapes::stack(type.getShape(), scan.getAxis(), scan.getLength());
  assert(shape && "a step's value stacks along the scan's axis");
  return RankedTensorType::get(*shape, type.getElementType());
}

static Value zeros(OpBuilder &b, Location loc, Type type) {
  return b.create<FillOp>(loc, type, b.getF64FloatAttr(0.0));
}

LogicalResult ScanOp::buildRegionVJP(OpBuilder &builder,
                                     ArrayRef<Value> resultGrads,
                                     ArrayRef<Value> captured,
                                     ArrayRef<bool> needed,
                                     SmallVectorImpl<Value> &inputGrads) {
  Location loc = getLoc();
  unsigned numSeqs = getSequences().size(), numCarries = getNumCarries();
  unsigned numOutputs = getNumResults() - numCarries;
  ArrayRef<bool> seqNeeded = needed.take_front(numSeqs);
  ArrayRef<bool> capturedNeeded = needed.drop_front(numSeqs + numCarries);
  Block &body = getBodyBlock();
  YieldOp yield = getYield();

  // The reverse step, built first in a detached block whose arguments are
  // the forward step's slices and carries on entry, then the cotangents of
  // the carries after the step, of the step's outputs (those the loss
  // depends on) and the running sums of the captured values' gradients.
  Block step;
  SmallVector<Value> stepArgs;
  for (BlockArgument arg : body.getArguments())
    stepArgs.push_back(step.addArgument(arg.getType(), arg.getLoc()));
  SmallVector<Value> carryGrads, outputGrads, sums;
  for (Value init : getInits())
    carryGrads.push_back(step.addArgument(init.getType(), loc));
  SmallVector<unsigned> gradOutputs;
  for (unsigned j = 0; j < numOutputs; ++j)
    if (resultGrads[numCarries + j]) {
      gradOutputs.push_back(j);
      outputGrads.push_back(step.addArgument(
          yield.getValues()[numCarries + j].getType(), loc));
    }
  SmallVector<unsigned> gradCaptured;
  for (auto [k, value] : llvm::enumerate(captured))
    if (capturedNeeded[k]) {
      gradCaptured.push_back(k);
      sums.push_back(step.addArgument(value.getType(), loc));
    }

  // The forward step again, in the reverse step: the VJPs are built against
  // it, and what they read of it becomes the tape.
  OpBuilder b(getContext());
  b.setInsertionPointToEnd(&step);
  IRMapping forward;
  forward.map(body.getArguments(), stepArgs);
  SmallVector<Operation *> forwardOps;
  for (Operation &op : body.without_terminator())
    forwardOps.push_back(b.clone(op, forward));
  Operation *lastForward = forwardOps.empty() ? nullptr : forwardOps.back();

  // Seeds: the carries' and outputs' cotangents at the yield.
  DenseMap<Value, Value> cotangent;
  SmallVector<Value> sinks;
  for (unsigned i = 0; i < numCarries; ++i) {
    Value v = forward.lookupOrDefault(yield.getValues()[i]);
    accumulate(b, loc, cotangent[v], carryGrads[i]);
    sinks.push_back(v);
  }
  for (auto [j, grad] : llvm::zip(gradOutputs, outputGrads)) {
    Value v = forward.lookupOrDefault(yield.getValues()[numCarries + j]);
    accumulate(b, loc, cotangent[v], grad);
    sinks.push_back(v);
  }
  SmallVector<Value> sources;
  for (unsigned i = 0; i < numSeqs; ++i)
    if (seqNeeded[i])
      sources.push_back(stepArgs[i]);
  for (unsigned i = 0; i < numCarries; ++i)
    sources.push_back(stepArgs[numSeqs + i]);
  for (unsigned k : gradCaptured)
    sources.push_back(captured[k]);
  DenseSet<Value> active = findActiveValues(forwardOps, sources, sinks);
  if (failed(backpropagate(b, forwardOps, active, cotangent)))
    return failure();

  // The reverse step's yield: the carries' cotangents on entry to the step,
  // the captured values' sums, then the slices' cotangents.
  SmallVector<Value> yielded;
  for (unsigned i = 0; i < numCarries; ++i) {
    Value grad = cotangent.lookup(stepArgs[numSeqs + i]);
    yielded.push_back(grad ? grad : zeros(b, loc, stepArgs[numSeqs + i].getType()));
  }
  for (auto [k, sum] : llvm::zip(gradCaptured, sums)) {
    Value grad = cotangent.lookup(captured[k]);
    yielded.push_back(grad ? b.create<AddOp>(loc, sum, grad).getResult() : sum);
  }
  SmallVector<unsigned> gradSeqs;
  for (unsigned i = 0; i < numSeqs; ++i)
    if (seqNeeded[i]) {
      gradSeqs.push_back(i);
      Value grad = cotangent.lookup(stepArgs[i]);
      yielded.push_back(grad ? grad : zeros(b, loc, stepArgs[i].getType()));
    }
  b.create<YieldOp>(loc, yielded);

  // The tape: the forward step's values that the VJPs read (the forward
  // ops' results and the carries on entry; slices are re-read from the
  // sequences and captured values are visible as they are).
  DenseSet<Operation *> isForward(forwardOps.begin(), forwardOps.end());
  auto readByGradient = [&](Value v) {
    return llvm::any_of(v.getUsers(), [&](Operation *user) {
      Operation *top = step.findAncestorOpInBlock(*user);
      return top && !isForward.contains(top);
    });
  };
  llvm::MapVector<Value, unsigned> tapeIndex; // the step's value -> tape slot
  for (unsigned i = 0; i < numCarries; ++i)
    if (readByGradient(stepArgs[numSeqs + i]))
      tapeIndex.insert({stepArgs[numSeqs + i], tapeIndex.size()});
  if (lastForward)
    for (Operation &op : step) {
      for (Value r : op.getResults())
        if (readByGradient(r))
          tapeIndex.insert({r, tapeIndex.size()});
      if (&op == lastForward)
        break;
    }

  // A tape value that the step already yields as an output is read from
  // that output's stack; the others are stacked as extra outputs.
  DenseMap<Value, unsigned> stackedOutput; // the step's value -> result
  for (unsigned j = 0; j < numOutputs; ++j)
    stackedOutput.try_emplace(
        forward.lookupOrDefault(yield.getValues()[numCarries + j]),
        numCarries + j);
  SmallVector<Value> extraTape;
  for (auto &[value, slot] : tapeIndex)
    if (!stackedOutput.count(value))
      extraTape.push_back(value);

  // The forward scan again, recording the tape, in place of this one. (Its
  // values on the tape are those of the reverse step's forward part, mapped
  // back: a nested scan there may have been replaced too, so the forward
  // body is the reverse step's forward part, not this op's body.)
  OpBuilder fb(getOperation());
  SmallVector<Type> taped(getResultTypes());
  for (Value value : extraTape)
    taped.push_back(stackedType(*this, value.getType()));
  auto recorded = fb.create<ScanOp>(loc, taped, getSequences(), getInits(),
                                    getAxis(), getLength(), getReverse());
  {
    Block &newBody = recorded.getBodyBlock();
    IRMapping toNew;
    toNew.map(stepArgs, newBody.getArguments());
    OpBuilder nb = OpBuilder::atBlockEnd(&newBody);
    if (lastForward)
      for (Operation &op : step) {
        nb.clone(op, toNew);
        if (&op == lastForward)
          break;
      }
    SmallVector<Value> values;
    for (Value v : yield.getValues())
      values.push_back(toNew.lookupOrDefault(forward.lookupOrDefault(v)));
    for (Value value : extraTape)
      values.push_back(toNew.lookupOrDefault(value));
    nb.create<YieldOp>(loc, values);
  }
  replaceAllUsesWith(recorded.getResults().take_front(getNumResults()));
  SmallVector<Value> tapes;
  unsigned extra = getNumResults();
  for (auto &[value, slot] : tapeIndex) {
    auto it = stackedOutput.find(value);
    tapes.push_back(recorded.getResult(it != stackedOutput.end() ? it->second
                                                                 : extra++));
  }

  // The reverse scan: sequences are the forward sequences, the tape and the
  // outputs' cotangents; carries the carries' cotangents and the sums.
  SmallVector<Value> seqs(getSequences());
  seqs.append(tapes.begin(), tapes.end());
  for (unsigned j : gradOutputs)
    seqs.push_back(resultGrads[numCarries + j]);
  SmallVector<Value> inits;
  for (unsigned i = 0; i < numCarries; ++i)
    inits.push_back(resultGrads[i] ? resultGrads[i]
                                   : zeros(builder, loc, getInits()[i].getType()));
  for (unsigned k : gradCaptured)
    inits.push_back(zeros(builder, loc, captured[k].getType()));
  SmallVector<Type> types;
  for (Value v : inits)
    types.push_back(v.getType());
  for (unsigned i : gradSeqs)
    types.push_back(getSequences()[i].getType());
  auto reverse = builder.create<ScanOp>(loc, types, seqs, inits, getAxis(),
                                        getLength(), !getReverse());
  Block &rbody = reverse.getBodyBlock();
  // Its block: the slices, the tape's slices, the outputs' cotangents, then
  // the carried cotangents and sums.
  unsigned arg = 0;
  for (unsigned i = 0; i < numSeqs; ++i)
    stepArgs[i].replaceAllUsesWith(rbody.getArgument(arg++));
  for (auto &[value, slot] : tapeIndex)
    value.replaceUsesWithIf(rbody.getArgument(arg++), [&](OpOperand &use) {
      Operation *top = step.findAncestorOpInBlock(*use.getOwner());
      return top && !isForward.contains(top);
    });
  for (Value grad : outputGrads)
    grad.replaceAllUsesWith(rbody.getArgument(arg++));
  // The carries on entry that remain in use are read by forward ops that
  // are now dead; those go below.
  for (unsigned i = 0; i < numCarries; ++i)
    carryGrads[i].replaceAllUsesWith(rbody.getArgument(arg++));
  for (Value sum : sums)
    sum.replaceAllUsesWith(rbody.getArgument(arg++));
  rbody.getOperations().splice(rbody.end(), step.getOperations());
  // The forward part is dead now that the gradient reads the tape.
  for (Operation *op : llvm::reverse(forwardOps))
    if (op->use_empty() && isMemoryEffectFree(op))
      op->erase();
  for (unsigned i = 0; i < numCarries; ++i)
    if (!stepArgs[numSeqs + i].use_empty())
      return emitOpError("the gradient of its step still reads a carry "
                         "after taping");

  // The cotangents of what the scan reads.
  unsigned result = 0;
  SmallVector<Value> carryResults, sumResults, seqResults;
  for (unsigned i = 0; i < numCarries; ++i)
    carryResults.push_back(reverse.getResult(result++));
  for (size_t k = 0; k < gradCaptured.size(); ++k)
    sumResults.push_back(reverse.getResult(result++));
  for (size_t k = 0; k < gradSeqs.size(); ++k)
    seqResults.push_back(reverse.getResult(result++));
  for (unsigned i = 0, s = 0; i < numSeqs; ++i)
    inputGrads.push_back(seqNeeded[i] ? seqResults[s++] : Value());
  for (unsigned i = 0; i < numCarries; ++i)
    inputGrads.push_back(needed[numSeqs + i] ? carryResults[i] : Value());
  for (unsigned k = 0, s = 0; k < captured.size(); ++k)
    inputGrads.push_back(capturedNeeded[k] ? sumResults[s++] : Value());
  return success();
}
