//===- HoistScanInvariants.cpp - work that does not need the loop leaves it -===//
//
// Part of dlc. See DLHoistScanInvariantsPass in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLOps.h"
#include "DL/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/BitVector.h"

namespace dlc::dl {
#define GEN_PASS_DEF_DLHOISTSCANINVARIANTSPASS
#include "DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc::dl;

namespace {

/// Whether `value` is defined outside `scan` (visible in every step).
bool isInvariant(ScanOp scan, Value value) {
  return !scan->isAncestor(value.getParentRegion()->getParentOp());
}

/// A scan of `scan`'s axis, length and direction with these result types,
/// sequences and inits, built before `scan`, that takes over `scan`'s body
/// (its block arguments already matched to them by the caller), which the
/// caller then replaces.
ScanOp takeOverBody(OpBuilder &b, ScanOp scan, TypeRange types,
                    ValueRange seqs, ValueRange inits) {
  auto next = b.create<ScanOp>(scan.getLoc(), types, seqs, inits,
                               scan.getAxis(), scan.getLength(),
                               scan.getReverse());
  next.getBody().front().erase();
  next.getBody().takeBody(scan.getBody());
  return next;
}

/// Moves the pure ops of `scan`'s step that read only values from outside
/// the scan before it, in order. Returns whether any moved.
bool hoistInvariantOps(ScanOp scan) {
  bool moved = false;
  for (Operation &op :
       llvm::make_early_inc_range(scan.getBodyBlock().without_terminator())) {
    if (op.getNumRegions() || !isPure(&op) ||
        !llvm::all_of(op.getOperands(),
                      [&](Value v) { return isInvariant(scan, v); }))
      continue;
    op.moveBefore(scan);
    moved = true;
  }
  return moved;
}

/// A matmul of a step's slice (rows) by a matrix from outside the scan,
/// `x_t @ W`: the product of every step is one matmul of the whole sequence
/// before the loop, whose slices the step reads instead. Returns the scan
/// that replaces `scan`, or null when there is no such matmul.
ScanOp batchSliceMatmul(ScanOp scan) {
  unsigned numSeqs = scan.getSequences().size();
  int64_t axis = scan.getAxis();
  for (Operation &op : scan.getBodyBlock().without_terminator()) {
    auto matmul = dyn_cast<MatmulOp>(&op);
    if (!matmul)
      continue;
    auto slice = dyn_cast<BlockArgument>(matmul.getLhs());
    if (!slice || slice.getOwner() != &scan.getBodyBlock() ||
        slice.getArgNumber() >= numSeqs ||
        !isInvariant(scan, matmul.getRhs()))
      continue;
    auto rhsType = cast<RankedTensorType>(matmul.getRhs().getType());
    auto stepType = cast<RankedTensorType>(slice.getType());
    Value seq = scan.getSequences()[slice.getArgNumber()];
    auto seqType = cast<RankedTensorType>(seq.getType());
    // The rows of every step are rows of the sequence when the time axis is
    // not the contracted one.
    if (rhsType.getRank() != 2 || stepType.getRank() != 2 ||
        axis >= seqType.getRank() - 1)
      continue;

    // Y = reshape(reshape(seq, [rows, K]) @ W, seq's shape with N for K).
    OpBuilder b(scan);
    Location loc = matmul.getLoc();
    Type elt = seqType.getElementType();
    int64_t k = seqType.getShape().back(), n = rhsType.getDimSize(1);
    int64_t rows = seqType.getNumElements() / k;
    Value flat = b.create<ReshapeOp>(
        loc, RankedTensorType::get({rows, k}, elt), seq);
    Value product = b.create<MatmulOp>(
        loc, RankedTensorType::get({rows, n}, elt), flat, matmul.getRhs());
    SmallVector<int64_t> shape(seqType.getShape());
    shape.back() = n;
    Value stacked =
        b.create<ReshapeOp>(loc, RankedTensorType::get(shape, elt), product);

    // The scan again with Y as one more sequence, its slice in place of the
    // matmul.
    SmallVector<Value> seqs(scan.getSequences());
    seqs.push_back(stacked);
    BlockArgument step = scan.getBodyBlock().insertArgument(
        numSeqs, matmul.getType(), matmul.getLoc());
    matmul.replaceAllUsesWith(step);
    matmul.erase();
    ScanOp next =
        takeOverBody(b, scan, scan.getResultTypes(), seqs, scan.getInits());
    scan.replaceAllUsesWith(next.getResults());
    scan.erase();
    return next;
  }
  return nullptr;
}

/// A carry that sums `transpose(a_t) @ b_t` over the steps, `a_t` a step's
/// slice (the weight gradient of a reverse step: sum_t h_t^T dz_t): the
/// sum is one matmul after the loop of the whole sequence and the stacked
/// `b_t`, reshape(A, [rows, K])^T @ reshape(B, [rows, N]), added to the
/// carry's init; the loop stacks `b_t` instead of carrying the sum. Returns
/// the scan that replaces `scan`, or null when no carry is such a sum.
ScanOp batchCarriedProductSum(ScanOp scan) {
  unsigned numSeqs = scan.getSequences().size();
  unsigned numCarries = scan.getNumCarries();
  int64_t axis = scan.getAxis();
  Block &body = scan.getBodyBlock();
  YieldOp yield = scan.getYield();
  for (unsigned i = 0; i < numCarries; ++i) {
    BlockArgument carry = scan.getCarryArgs()[i];
    auto add = yield.getValues()[i].getDefiningOp<AddOp>();
    if (!add || !carry.hasOneUse() || !add->hasOneUse() ||
        add->getBlock() != &body)
      continue;
    Value other = add.getLhs() == carry ? add.getRhs() : add.getLhs();
    auto matmul = other.getDefiningOp<MatmulOp>();
    if ((add.getLhs() != carry && add.getRhs() != carry) || !matmul ||
        !matmul->hasOneUse() || other.getType() != carry.getType())
      continue;
    auto transpose = matmul.getLhs().getDefiningOp<TransposeOp>();
    if (!transpose || transpose.getPerm() != ArrayRef<int64_t>{1, 0})
      continue;
    auto slice = dyn_cast<BlockArgument>(transpose.getInput());
    if (!slice || slice.getOwner() != &body || slice.getArgNumber() >= numSeqs)
      continue;
    Value seq = scan.getSequences()[slice.getArgNumber()];
    auto seqType = cast<RankedTensorType>(seq.getType());
    auto stepType = cast<RankedTensorType>(matmul.getRhs().getType());
    if (stepType.getRank() != 2 || axis >= seqType.getRank() - 1)
      continue;

    // The scan without the carry, stacking b_t.
    Type sumType = carry.getType();
    OpBuilder b(scan);
    Location loc = scan.getLoc();
    SmallVector<Value> inits(scan.getInits());
    Value init = inits[i];
    inits.erase(inits.begin() + i);
    SmallVector<Type> types(scan.getResultTypes());
    types.erase(types.begin() + i);
    // b_t may be stacked already (the reverse step stacks dz_t for the
    // input projection's gradient too).
    std::optional<unsigned> stacked;
    for (unsigned j = numCarries; j < yield.getValues().size(); ++j)
      if (yield.getValues()[j] == matmul.getRhs())
        stacked = j - 1; // its result once the carry is gone
    SmallVector<int64_t> stackShape(seqType.getShape());
    stackShape.back() = stepType.getDimSize(1);
    if (!stacked)
      types.push_back(
          RankedTensorType::get(stackShape, stepType.getElementType()));
    SmallVector<Value> yielded(yield.getValues());
    yielded.erase(yielded.begin() + i);
    if (!stacked)
      yielded.push_back(matmul.getRhs());
    OpBuilder(yield).create<YieldOp>(yield.getLoc(), yielded);
    yield.erase();
    add.erase();
    matmul.erase();
    if (transpose->use_empty())
      transpose.erase();
    body.eraseArgument(carry.getArgNumber());
    ScanOp next = takeOverBody(b, scan, types, scan.getSequences(), inits);

    // The sum after the loop.
    Type elt = seqType.getElementType();
    int64_t k = seqType.getShape().back(), n = stepType.getDimSize(1);
    int64_t rows = seqType.getNumElements() / k;
    Value flatA = b.create<ReshapeOp>(
        loc, RankedTensorType::get({rows, k}, elt), seq);
    Value flatAT = b.create<TransposeOp>(loc, flatA,
                                         b.getDenseI64ArrayAttr({1, 0}));
    Value flatB = b.create<ReshapeOp>(
        loc, RankedTensorType::get({rows, n}, elt),
        stacked ? next.getResult(*stacked) : next.getResults().back());
    Value product = b.create<MatmulOp>(loc, sumType, flatAT, flatB);
    Value sum = b.create<AddOp>(loc, init, product);
    SmallVector<Value> replacements(
        next.getResults().drop_back(stacked ? 0 : 1));
    replacements.insert(replacements.begin() + i, sum);
    scan.replaceAllUsesWith(replacements);
    scan.erase();
    return next;
  }
  return nullptr;
}

/// Drops the sequences whose slices the step no longer reads (x once x_t @
/// Wx left the loop). Returns the scan that replaces `scan`, or null when
/// every slice is read.
ScanOp dropUnreadSequences(ScanOp scan) {
  SmallVector<Value> seqs;
  llvm::BitVector unread(scan.getBodyBlock().getNumArguments());
  for (auto [seq, slice] : llvm::zip(scan.getSequences(), scan.getSliceArgs())) {
    if (slice.use_empty())
      unread.set(slice.getArgNumber());
    else
      seqs.push_back(seq);
  }
  if (unread.none())
    return nullptr;
  OpBuilder b(scan);
  scan.getBodyBlock().eraseArguments(unread);
  ScanOp next =
      takeOverBody(b, scan, scan.getResultTypes(), seqs, scan.getInits());
  scan.replaceAllUsesWith(next.getResults());
  scan.erase();
  return next;
}

struct DLHoistScanInvariantsPass
    : public dlc::dl::impl::DLHoistScanInvariantsPassBase<
          DLHoistScanInvariantsPass> {
  void runOnOperation() override {
    // Innermost scans first: what leaves an inner scan may then leave the
    // outer one too.
    SmallVector<ScanOp> scans;
    getOperation()->walk([&](ScanOp scan) { scans.push_back(scan); });
    for (ScanOp scan : scans) {
      hoistInvariantOps(scan);
      while (ScanOp next = batchSliceMatmul(scan)) {
        scan = next;
        hoistInvariantOps(scan);
      }
      while (ScanOp next = batchCarriedProductSum(scan))
        scan = next;
      dropUnreadSequences(scan);
    }
  }
};

} // namespace
