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
    auto next = b.create<ScanOp>(scan.getLoc(), scan.getResultTypes(), seqs,
                                 scan.getInits(), axis, scan.getLength(),
                                 scan.getReverse());
    Block &body = scan.getBodyBlock();
    BlockArgument step =
        body.insertArgument(numSeqs, matmul.getType(), matmul.getLoc());
    matmul.replaceAllUsesWith(step);
    matmul.erase();
    next.getBody().front().erase();
    next.getBody().takeBody(scan.getBody());
    scan.replaceAllUsesWith(next.getResults());
    scan.erase();
    return next;
  }
  return nullptr;
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
    }
  }
};

} // namespace
