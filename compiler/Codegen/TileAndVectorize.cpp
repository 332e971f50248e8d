//===- TileAndVectorize.cpp - tile linalg ops and vectorize the tiles -----===//
//
// Part of dlc. Tile sizes come from the target's register file (see
// Passes.td); every size divides its dimension so tiles are static and the
// vectorizer needs no masks or peeling.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dlc {
#define GEN_PASS_DEF_DLCTILEANDVECTORIZEPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

/// The largest tile <= `target` that divides `dim`, preferring multiples of
/// `multiple` (whole vectors). Returns 0 (do not tile) for the whole dim.
int64_t pickTile(int64_t dim, int64_t target, int64_t multiple = 1) {
  int64_t tile = 1;
  target = std::max<int64_t>(1, std::min(dim, target));
  bool found = false;
  if (multiple > 1)
    for (int64_t t = target - target % multiple; t >= multiple && !found;
         t -= multiple)
      if (dim % t == 0) {
        tile = t;
        found = true;
      }
  for (int64_t t = target; t > 1 && !found; --t)
    if (dim % t == 0) {
      tile = t;
      found = true;
    }
  return tile == dim ? 0 : tile;
}

/// Like pickTile but a multiple of `unit` (itself a divisor of dim), for a
/// cache tile that holds whole register tiles.
int64_t pickOuterTile(int64_t dim, int64_t target, int64_t unit) {
  if (unit == 0) // the register tile already spans the dim
    return 0;
  int64_t best = unit;
  for (int64_t t = unit; t <= std::min(dim, target); t += unit)
    if (dim % t == 0)
      best = t;
  return best == dim ? 0 : best;
}

/// Tiles `op` by `sizes` (0: not tiled) with the loops ordered by
/// `interchange` (empty: natural order). Returns the innermost tiled op, or
/// `op` itself when nothing is tiled.
FailureOr<Operation *> tile(RewriterBase &rewriter, Operation *op,
                            ArrayRef<int64_t> sizes,
                            ArrayRef<int64_t> interchange = {}) {
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return op;
  auto tileable = dyn_cast<TilingInterface>(op);
  if (!tileable)
    return failure();
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  if (!interchange.empty())
    options.setInterchange(interchange);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, tileable, options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  return tiled->tiledOps.back();
}

struct DLCTileAndVectorizePass
    : public dlc::impl::DLCTileAndVectorizePassBase<DLCTileAndVectorizePass> {
  using DLCTileAndVectorizePassBase::DLCTileAndVectorizePassBase;

  int64_t lanes() const { return std::max<int64_t>(1, vectorBits / 32); }

  /// Cache tile (N outermost), register tile rows x (2 vectors), K by 1.
  LogicalResult tileContraction(RewriterBase &rewriter, linalg::LinalgOp op,
                                ArrayRef<int64_t> ranges) {
    // Loops: [batch,] m, n, k.
    bool batched = ranges.size() == 4;
    int64_t b = batched ? 1 : 0;
    int64_t m = ranges[b], n = ranges[b + 1], k = ranges[b + 2];
    // Two vectors of N per row; as many rows as registers allow, keeping
    // two registers for the B row and one for the A broadcast.
    int64_t vectorsPerRow = 2;
    int64_t rowsTarget = std::clamp<int64_t>(
        (int64_t(numRegisters) - vectorsPerRow - 1) / vectorsPerRow, 1, 8);
    int64_t mr = pickTile(m, rowsTarget);
    int64_t nr = pickTile(n, vectorsPerRow * lanes(), lanes());
    int64_t mc = pickOuterTile(m, 32, mr == 0 ? 0 : mr);
    int64_t nc = pickOuterTile(n, 64, nr == 0 ? 0 : nr);

    auto withBatch = [&](std::initializer_list<int64_t> sizes, int64_t bt) {
      SmallVector<int64_t> v;
      if (batched)
        v.push_back(bt);
      v.append(sizes.begin(), sizes.end());
      return v;
    };
    SmallVector<int64_t> interchange =
        batched ? SmallVector<int64_t>{0, 2, 1, 3}
                : SmallVector<int64_t>{1, 0, 2};
    int64_t batchTile = batched && ranges[0] > 1 ? 1 : 0;
    FailureOr<Operation *> t =
        tile(rewriter, op, withBatch({mc, nc, 0}, batchTile), interchange);
    if (succeeded(t))
      t = tile(rewriter, *t, withBatch({mr, nr, 0}, 0));
    if (succeeded(t) && k > 1)
      t = tile(rewriter, *t, withBatch({0, 0, 1}, 0));
    return failure(failed(t));
  }

  /// A few vectors along the innermost loop, a few rows along the next.
  LogicalResult tileGeneric(RewriterBase &rewriter, linalg::LinalgOp op,
                            ArrayRef<int64_t> ranges) {
    int64_t rank = ranges.size();
    SmallVector<int64_t> sizes;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == rank - 1)
        sizes.push_back(pickTile(ranges[d], 2 * lanes(), lanes()));
      else if (d == rank - 2)
        sizes.push_back(pickTile(ranges[d], 4));
      else
        sizes.push_back(ranges[d] == 1 ? 0 : 1);
    }
    return failure(failed(tile(rewriter, op, sizes)));
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    IRRewriter rewriter(ctx);

    // 1. Tile. Ops are collected first: tiling creates new ones.
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics())
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      if (ranges.empty() || llvm::any_of(ranges, ShapedType::isDynamic))
        continue;
      // A failure to tile only costs speed: the op stays whole.
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op.getOperation()))
        (void)tileContraction(rewriter, op, ranges);
      else
        (void)tileGeneric(rewriter, op, ranges);
    }

    // 2. Vectorize every (now tile-sized) linalg op; leftovers become loops.
    SmallVector<Operation *> tiles;
    func.walk([&](linalg::LinalgOp op) { tiles.push_back(op); });
    for (Operation *op : tiles) {
      rewriter.setInsertionPoint(op);
      (void)linalg::vectorize(rewriter, op);
    }

    // 3. Fold slices into transfers and reductions into contractions, and
    //    canonicalize (as transform's vectorize_children_and_apply_patterns).
    RewritePatternSet patterns(ctx);
    vector::populateVectorReductionToContractPatterns(patterns);
    vector::populateSinkVectorBroadcastPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    for (Dialect *dialect : ctx->getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName op : ctx->getRegisteredOperations())
      op.getCanonicalizationPatterns(patterns, ctx);
    // Not converging within the iteration limit is harmless here.
    (void)applyPatternsAndFoldGreedily(func, std::move(patterns));
  }
};

} // namespace
