//===- TileAndVectorize.cpp - tile linalg ops and vectorize the tiles -----===//
//
// Part of dlc. The mechanism of tiling: the sizes come from the policy
// (TilingPolicy.h), for the target recorded in the module (Target.h). Where
// the vector dimension (a matmul's N, an innermost parallel
// dimension) is not a multiple of the vector width, tiles are full-width
// vectors and the last, peeled tile is masked; a matmul's M without a good
// divisor gets full register tiles and a peeled, shorter last one; every
// other tile size divides its dimension. Every tile is static.
//
//===----------------------------------------------------------------------===//

#include "Codegen/CodegenAttrs.h"
#include "Codegen/KernelGroups.h"
#include "Codegen/Passes.h"
#include "Codegen/TilingPolicy.h"
#include "Codegen/Utils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dlc {
#define GEN_PASS_DEF_DLCTILEANDVECTORIZEPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;
using namespace dlc;

namespace {

/// Set when tiling, read when vectorizing: per loop of a tile, 1 where its
/// (static) extent is rounded up to whole vectors and masked, else 0.
constexpr llvm::StringLiteral kRoundUp = "dlc.round_up";

/// Whether `expr` is loop `dim`, or a sum of it and terms free of it.
bool isDimPlusOthers(AffineExpr expr, unsigned dim) {
  SmallVector<AffineExpr> terms = {expr};
  bool found = false;
  while (!terms.empty()) {
    AffineExpr term = terms.pop_back_val();
    auto sum = dyn_cast<AffineBinaryOpExpr>(term);
    if (sum && sum.getKind() == AffineExprKind::Add) {
      terms.append({sum.getLHS(), sum.getRHS()});
      continue;
    }
    auto d = dyn_cast<AffineDimExpr>(term);
    if (d && d.getPosition() == dim && !found)
      found = true;
    else if (term.isFunctionOfDim(dim))
      return false;
  }
  return found;
}

/// Whether loop `dim` is `map`'s last result or absent from it: the operand
/// is read along the innermost loop contiguously, or not at all (masked
/// transfers with a transposing map do not lower in MLIR 19).
bool innermostOrAbsent(AffineMap map, unsigned dim) {
  if (!map.isFunctionOfDim(dim))
    return true;
  if (map.getNumResults() == 0)
    return false;
  for (AffineExpr result : map.getResults().drop_back())
    if (result.isFunctionOfDim(dim))
      return false;
  // d, or d + (other loops): a window read such as im2col's ow + kw, whose
  // other loops become unit tile dims that step 2 drops.
  return isDimPlusOthers(map.getResults().back(), dim);
}

/// Tiles `op` by `sizes` (0: not tiled) with the loops ordered by
/// `interchange` (empty: natural order). Returns the innermost tiled op, or
/// `op` itself when nothing is tiled.
FailureOr<Operation *>
tile(RewriterBase &rewriter, Operation *op, ArrayRef<int64_t> sizes,
     ArrayRef<int64_t> interchange = {},
     SmallVectorImpl<LoopLikeOpInterface> *loops = nullptr) {
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
  if (loops)
    loops->assign(tiled->loops.begin(), tiled->loops.end());
  return tiled->tiledOps.back();
}

/// The iteration points of a loop nest of static `ranges`.
int64_t workOf(ArrayRef<int64_t> ranges) {
  int64_t work = 1;
  for (int64_t range : ranges)
    work *= range;
  return work;
}

/// The work of `op` over its loops of static `ranges`: the iteration points
/// times the operations of its body (a matmul's multiply and add: 2), a math
/// function (exp, tanh: a polynomial of about as many FMAs after
/// dlc-approximate-math) counted as 8.
int64_t workOf(linalg::LinalgOp op, ArrayRef<int64_t> ranges) {
  int64_t cost = 0;
  for (Operation &inner : op->getRegion(0).front().without_terminator())
    cost += isa<math::MathDialect>(inner.getDialect()) ? 8 : 1;
  return workOf(ranges) * std::max<int64_t>(1, cost);
}

/// Marks the outermost of the tile loops `loops` that will remain a loop
/// (over more than one tile) parallel (kParallelLoopAttr), when it runs over
/// a parallel loop of the tiled op and the op's `work` (iteration points)
/// (workOf) reaches the target's grain; and the parallel tile loops that follow it,
/// up to the first over a reduction, so that dlc-outline-parallel-loops may
/// run a band of them as one. `loops` iterate over the op's loops with a
/// non-zero size in `sizes`, in the order `interchange` (empty: natural).
void markParallelLoop(ArrayRef<LoopLikeOpInterface> loops,
                      ArrayRef<int64_t> ranges, ArrayRef<int64_t> sizes,
                      ArrayRef<int64_t> interchange,
                      ArrayRef<utils::IteratorType> iterators, int64_t work,
                      const TargetFacts &target) {
  if (target.parallelGrain <= 0 || work < target.parallelGrain)
    return;
  SmallVector<int64_t> order(interchange);
  if (order.empty())
    order = llvm::to_vector(llvm::seq<int64_t>(0, sizes.size()));
  unsigned index = 0;
  for (int64_t d : order) {
    if (sizes[d] == 0)
      continue;
    if (index >= loops.size())
      return;
    LoopLikeOpInterface loop = loops[index++];
    if (ranges[d] <= sizes[d])
      continue; // one tile: canonicalization removes the loop
    if (!linalg::isParallelIterator(iterators[d]))
      return;
    loop->setAttr(kParallelLoopAttr, UnitAttr::get(loop->getContext()));
  }
}

/// Tiles `root` by `sizes` (loops ordered by `interchange`) and fuses into the
/// tile loops the producers `fusible` accepts, recursively. Replaces `root`
/// and erases what became dead. The first of tiledAndFusedOps is the tiled
/// root.
FailureOr<scf::SCFTileAndFuseResult>
tileAndFuse(RewriterBase &rewriter, Operation *root, ArrayRef<int64_t> sizes,
            ArrayRef<int64_t> interchange,
            llvm::function_ref<bool(Operation *)> fusible,
            SmallVectorImpl<LoopLikeOpInterface> *loops = nullptr) {
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(getAsIndexOpFoldResult(root->getContext(), sizes));
  tiling.setInterchange(interchange);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer, bool) {
        return std::make_tuple(fusible(producer.getOwner()), false);
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(root), options);
  if (failed(result))
    return failure();
  if (loops)
    loops->assign(result->loops.begin(), result->loops.end());
  for (OpResult r : root->getResults())
    if (Value replacement = result->replacements.lookup(r))
      rewriter.replaceAllUsesWith(r, replacement);
  // The root, then the producers it alone used (a fill feeding a matmul).
  SmallVector<Operation *> dead = {root};
  dead.append(result->fusedProducers.begin(), result->fusedProducers.end());
  for (bool changed = true; changed;) {
    changed = false;
    for (Operation *&op : dead)
      if (op && op->use_empty()) {
        rewriter.eraseOp(op);
        op = nullptr;
        changed = true;
      }
  }
  return result;
}

/// Drops the mask of a contraction or multi-reduction masked only along
/// parallel dimensions (an N edge): its masked-off lanes feed only result
/// lanes that the masked transfer_write never stores, so computing them is
/// harmless, and the unmasked op lowers to plain FMAs and adds.
struct UnmaskParallelDims : public OpRewritePattern<vector::MaskOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::MaskOp mask,
                                PatternRewriter &rewriter) const override {
    Operation *maskable = mask.getMaskableOp();
    SmallVector<bool> reduced;
    if (auto contract = dyn_cast_or_null<vector::ContractionOp>(maskable)) {
      for (vector::IteratorType iterator : contract.getIteratorTypesArray())
        reduced.push_back(iterator == vector::IteratorType::reduction);
    } else if (auto reduction =
                   dyn_cast_or_null<vector::MultiDimReductionOp>(maskable)) {
      reduced = reduction.getReductionMask();
    } else {
      return rewriter.notifyMatchFailure(mask, "not a contraction");
    }
    // The mask's bound along dimension i, when it is a constant.
    ArrayRef<int64_t> shape =
        cast<VectorType>(mask.getMask().getType()).getShape();
    auto bound = [&](unsigned i) -> std::optional<int64_t> {
      Operation *def = mask.getMask().getDefiningOp();
      if (auto constant = dyn_cast_or_null<vector::ConstantMaskOp>(def))
        return cast<IntegerAttr>(constant.getMaskDimSizes()[i]).getInt();
      if (auto create = dyn_cast_or_null<vector::CreateMaskOp>(def))
        return getConstantIntValue(create.getOperand(i));
      return std::nullopt;
    };
    for (auto [i, isReduced] : llvm::enumerate(reduced))
      if (isReduced && bound(i) != shape[i])
        return rewriter.notifyMatchFailure(mask, "masks a reduction");
    rewriter.setInsertionPoint(mask);
    Operation *unmasked = rewriter.clone(*maskable);
    rewriter.replaceOp(mask, unmasked->getResults());
    return success();
  }
};

/// Peels every tile loop whose step does not divide its constant trip range
/// (main loop over whole tiles, then one shorter last tile), canonicalizing
/// in between so that the last tiles' sizes, and those of the loops they
/// contain, become constants: every tile, and every temporary it needs, is
/// then static.
void peelPartialTiles(RewriterBase &rewriter, func::FuncOp func) {
  for (int round = 0; round < 8; ++round) {
    SmallVector<scf::ForOp> partial;
    func.walk([&](scf::ForOp loop) {
      std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
      std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
      std::optional<int64_t> step = getConstantIntValue(loop.getStep());
      if (lb && ub && step && *step > 0 && *ub - *lb > *step &&
          (*ub - *lb) % *step != 0)
        partial.push_back(loop);
    });
    if (partial.empty())
      return;
    for (scf::ForOp loop : partial) {
      scf::ForOp last;
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, last);
    }
    RewritePatternSet patterns(func.getContext());
    dlc::populateAllCanonicalizationPatterns(patterns);
    (void)applyPatternsAndFoldGreedily(func, std::move(patterns));
  }
}

/// Records the generics a rewrite creates.
struct InsertedGenerics : public RewriterBase::Listener {
  SmallVector<linalg::GenericOp> ops;
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint previous) override {
    if (auto generic = dyn_cast<linalg::GenericOp>(op))
      ops.push_back(generic);
  }
};

struct DLCTileAndVectorizePass
    : public dlc::impl::DLCTileAndVectorizePassBase<DLCTileAndVectorizePass> {
  using DLCTileAndVectorizePassBase::DLCTileAndVectorizePassBase;

  /// The target facts: the module's `dlc.target`, less what the pass's
  /// options override.
  TargetFacts target;

  int64_t lanes() const { return target.f32Lanes(); }

  /// Cache tile (N outermost), register tile rows x (2 vectors), K by 1
  /// (chooseContractionTiles); the zero fill of the accumulator and an
  /// elementwise epilogue are fused into the tiles, so both stay in
  /// registers.
  LogicalResult tileContraction(RewriterBase &rewriter, linalg::LinalgOp op,
                                ArrayRef<int64_t> ranges) {
    // Before tiling replaces `op`.
    int64_t work = workOf(op, ranges);
    // Loops: [batch,] m, n, k.
    bool batched = ranges.size() == 4;
    int64_t b = batched ? 1 : 0;
    int64_t k = ranges[b + 2];
    ContractionTiles tiles =
        chooseContractionTiles(target, ranges[b], ranges[b + 1], k);
    int64_t mr = tiles.mr, nr = tiles.nr, mc = tiles.mc, nc = tiles.nc;
    bool peelM = tiles.peelM, maskN = tiles.maskN;

    linalg::GenericOp epilogue = findEpilogue(op);
    Operation *root = epilogue ? epilogue.getOperation() : op.getOperation();
    // Sizes and loop order over the root's loops: [batch,] m, n[, k].
    auto sizesFor = [&](int64_t bt, int64_t mt, int64_t nt) {
      SmallVector<int64_t> v;
      if (batched)
        v.push_back(bt);
      v.append({mt, nt});
      if (!epilogue)
        v.push_back(0);
      return v;
    };
    SmallVector<int64_t> interchange;
    if (batched)
      interchange.push_back(0);
    interchange.append({b + 1, b});
    if (!epilogue)
      interchange.push_back(b + 2);
    auto fusible = [](Operation *producer) {
      return isa<linalg::FillOp>(producer) ||
             isRegisterTiledContraction(producer);
    };

    int64_t batchTile = batched && ranges[0] > 1 ? 1 : 0;
    SmallVector<int64_t> outerSizes = sizesFor(batchTile, mc, nc);
    SmallVector<utils::IteratorType> rootIterators =
        cast<linalg::LinalgOp>(root).getIteratorTypesArray();
    SmallVector<int64_t> rootRanges =
        cast<linalg::LinalgOp>(root).getStaticLoopRanges();
    SmallVector<LoopLikeOpInterface> outerLoops;
    FailureOr<scf::SCFTileAndFuseResult> outer = tileAndFuse(
        rewriter, root, outerSizes, interchange, fusible, &outerLoops);
    if (failed(outer))
      return failure();
    markParallelLoop(outerLoops, rootRanges, outerSizes, interchange,
                     rootIterators, work, target);
    // With peeling the outer tiles are register tiles already (mc = mr).
    SmallVector<int64_t> innerSizes =
        sizesFor(0, peelM ? 0 : mr, maskN ? 0 : nr);
    Operation *innerRoot = outer->tiledAndFusedOps.front();
    if (tiles.kc != 0) {
      // K in blocks: the cache tile's contraction loops over them, carrying
      // its accumulator; the register tiles run inside each block. Its fill
      // and epilogue stay on the cache tile (before and after the blocks),
      // tiled as generics.
      // The cache tile's contraction: the tiled root, or the producer of
      // the tiled epilogue (fused, or untouched when the cache tile is the
      // whole op).
      Operation *contraction = nullptr;
      if (isRegisterTiledContraction(innerRoot))
        contraction = innerRoot;
      for (Value operand : innerRoot->getOperands())
        if (Operation *def = operand.getDefiningOp())
          if (!contraction && isRegisterTiledContraction(def))
            contraction = def;
      if (!contraction)
        return failure();
      SmallVector<int64_t> blockSizes(batched ? 4 : 3, 0);
      blockSizes.back() = tiles.kc;
      FailureOr<Operation *> blocked = tile(rewriter, contraction, blockSizes);
      if (failed(blocked))
        return failure();
      // Around the blocks: the epilogue and the accumulator's fill (the
      // initial value of the block loop).
      SmallVector<Operation *> around;
      if (innerRoot != contraction)
        around.push_back(innerRoot);
      if (auto blocks = (*blocked)->getParentOfType<scf::ForOp>())
        for (Value init : blocks.getInitArgs())
          if (auto fill = init.getDefiningOp<linalg::FillOp>())
            around.push_back(fill);
      for (Operation *op : around)
        if (auto generic = dyn_cast<linalg::LinalgOp>(op))
          (void)tileGeneric(rewriter, generic, generic.getStaticLoopRanges(),
                            /*mark=*/false);
      innerRoot = *blocked;
      innerSizes = sizesFor(0, mr, nr);
      if (epilogue)
        innerSizes.push_back(0); // the contraction's own K loop
    }
    FailureOr<scf::SCFTileAndFuseResult> inner = outer;
    if (llvm::any_of(innerSizes, [](int64_t size) { return size != 0; }))
      inner = tileAndFuse(rewriter, innerRoot, innerSizes, {}, fusible);
    if (failed(inner))
      return failure();
    // N rounded up to whole vectors ([batch,] m, n[, k]).
    SmallVector<int64_t> roundUp(batched ? 1 : 0, 0);
    roundUp.append({0, 1});
    auto setRoundUp = [&](Operation *tiled) {
      if (!maskN)
        return;
      SmallVector<int64_t> flags(roundUp);
      if (isRegisterTiledContraction(tiled))
        flags.push_back(0);
      tiled->setAttr(kRoundUp, rewriter.getDenseI64ArrayAttr(flags));
    };
    for (Operation *tiled : inner->tiledAndFusedOps)
      if (!isRegisterTiledContraction(tiled))
        setRoundUp(tiled); // the fill and the epilogue
    // The K loop around the register tile's matmul.
    for (Operation *tiled : inner->tiledAndFusedOps)
      if (k > 1 && isRegisterTiledContraction(tiled)) {
        SmallVector<int64_t> kSizes(batched ? 4 : 3, 0);
        kSizes.back() = 1;
        FailureOr<Operation *> kTiled = tile(rewriter, tiled, kSizes);
        if (failed(kTiled))
          return failure();
        setRoundUp(*kTiled);
        break;
      }
    return success();
  }

  /// Tiles a direct convolution (chooseConvolutionTiles): its window and
  /// input-channel loops by 1 around an outer product of output channels x
  /// the output row, which loses its unit loops in step 2 and vectorizes.
  /// Fails (the op untouched) for anything else.
  LogicalResult tileConvolution(RewriterBase &rewriter, linalg::LinalgOp op,
                                ArrayRef<int64_t> ranges) {
    // Before tiling replaces `op`.
    int64_t work = workOf(op, ranges);
    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic || op.getNumDpsInits() != 1 || op.getNumReductionLoops() == 0)
      return failure();
    FailureOr<linalg::ConvolutionDimensions> dims =
        linalg::inferConvolutionDims(op);
    if (failed(dims))
      return failure();
    ConvolutionLoops loops;
    loops.outputImage.assign(dims->outputImage.begin(),
                             dims->outputImage.end());
    loops.outputChannel.assign(dims->outputChannel.begin(),
                               dims->outputChannel.end());
    // The output row must be the output's contiguous dimension.
    AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (loops.outputImage.empty() || out.getNumResults() == 0 ||
        out.getResults().back() !=
            getAffineDimExpr(loops.outputImage.back(), op.getContext()))
      return failure();
    GenericTiles tiles = chooseConvolutionTiles(target, ranges, loops);
    if (tiles.sizes.empty())
      return failure();
    // The parallel loops first, with the zero fill of the output fused into
    // each tile (no separate pass zeroing the whole output), then the
    // reductions by 1 inside.
    SmallVector<int64_t> parallel(tiles.sizes), reduced(tiles.sizes.size(), 0);
    for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray()))
      if (!linalg::isParallelIterator(iterator)) {
        reduced[d] = parallel[d];
        parallel[d] = 0;
      }
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    SmallVector<LoopLikeOpInterface> outerLoops;
    FailureOr<scf::SCFTileAndFuseResult> outer = tileAndFuse(
        rewriter, op, parallel, {},
        [](Operation *producer) { return isa<linalg::FillOp>(producer); },
        &outerLoops);
    if (failed(outer))
      return failure();
    markParallelLoop(outerLoops, ranges, parallel, {}, iterators,
                     work, target);
    return failure(
        failed(tile(rewriter, outer->tiledAndFusedOps.front(), reduced)));
  }

  /// Tiles a lane-partials reduction (chooseLanePartialTiles): a generic
  /// with two inputs, reduction loops, and a parallel loop of whole vectors
  /// that the output and both inputs read innermost (a convolution's filter
  /// gradient by lane partials). Fails (the op untouched) for anything else.
  LogicalResult tileLanePartials(RewriterBase &rewriter, linalg::LinalgOp op,
                                 ArrayRef<int64_t> ranges,
                                 bool splitForThreads = true) {
    // Before tiling replaces `op`.
    int64_t work = workOf(op, ranges);
    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic || op.getNumDpsInits() != 1 || op.getNumDpsInputs() != 2 ||
        op.getNumReductionLoops() == 0)
      return failure();
    AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (out.getNumResults() == 0 || !out.isProjectedPermutation())
      return failure();
    auto laneExpr = dyn_cast<AffineDimExpr>(out.getResults().back());
    if (!laneExpr)
      return failure();
    LanePartialLoops loops;
    loops.lane = laneExpr.getPosition();
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    AffineMap lhs = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
    AffineMap rhs = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
    for (AffineMap map : {lhs, rhs})
      if (!map.isFunctionOfDim(loops.lane) ||
          !innermostOrAbsent(map, loops.lane))
        return failure();
    // A loop that `map` reads plainly: some result is the loop, or the loop
    // plus loops other than the lane (unit in the tile, then dropped).
    auto readsPlainly = [&](AffineMap map, unsigned dim) {
      return llvm::any_of(map.getResults(), [&](AffineExpr result) {
        return !result.isFunctionOfDim(loops.lane) &&
               isDimPlusOthers(result, dim);
      });
    };
    int64_t firstReduction = -1;
    for (auto [d, iterator] : llvm::enumerate(iterators)) {
      if (!linalg::isParallelIterator(iterator)) {
        if (firstReduction < 0)
          firstReduction = d;
        continue;
      }
      if (int64_t(d) == loops.lane || ranges[d] == 1)
        continue;
      bool inLhs = lhs.isFunctionOfDim(d), inRhs = rhs.isFunctionOfDim(d);
      int64_t *slot = inLhs && !inRhs   ? &loops.lhs
                      : inRhs && !inLhs ? &loops.rhs
                                        : nullptr;
      if (!slot || !readsPlainly(inLhs ? lhs : rhs, d))
        continue;
      if (*slot < 0 || ranges[d] > ranges[*slot])
        *slot = d;
    }
    GenericTiles tiles =
        chooseLanePartialTiles(target, ranges, loops, firstReduction);
    if (tiles.sizes.empty())
      return failure();
    // On threads: the reduction runs outermost, so a parallel loop is split
    // around it first (each tile of it a share of the outputs), and the
    // share is tiled as a lane-partials reduction of its own.
    if (splitForThreads && target.parallelGrain > 0 &&
        work >= target.parallelGrain) {
      auto unit = [&](int64_t loop) {
        return loop < 0 ? int64_t(0) : tiles.sizes[loop];
      };
      ParallelSplit split = chooseParallelSplit(
          ranges, {loops.lhs, loops.rhs}, {unit(loops.lhs), unit(loops.rhs)});
      if (split.loop >= 0) {
        FailureOr<linalg::LinalgOp> share =
            splitOverThreads(rewriter, op, ranges, split, iterators, work);
        if (failed(share))
          return failure();
        return tileLanePartials(rewriter, *share,
                                share->getStaticLoopRanges(),
                                /*splitForThreads=*/false);
      }
    }
    if (tiles.reductionBlock == 0) {
      SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
      SmallVector<LoopLikeOpInterface> loops;
      if (failed(tile(rewriter, op, tiles.sizes, tiles.interchange, &loops)))
        return failure();
      markParallelLoop(loops, ranges, tiles.sizes, tiles.interchange,
                       iterators, work, target);
      return success();
    }
    // Blocks of the first reduction loop outermost, then the tiles in their
    // natural order (the reductions, the block's steps first, innermost).
    SmallVector<int64_t> blocks(ranges.size(), 0);
    blocks[firstReduction] = tiles.reductionBlock;
    FailureOr<Operation *> blocked = tile(rewriter, op, blocks);
    if (failed(blocked))
      return failure();
    return failure(failed(tile(rewriter, *blocked, tiles.sizes)));
  }

  /// Tiles `op` (of loops `ranges`, `work`) by `split` alone, the tile loop
  /// marked parallel: each tile a share of the outputs, returned to be tiled
  /// as an op of its own.
  FailureOr<linalg::LinalgOp>
  splitOverThreads(RewriterBase &rewriter, linalg::LinalgOp op,
                  ArrayRef<int64_t> ranges, ParallelSplit split,
                  ArrayRef<utils::IteratorType> iterators, int64_t work) {
    SmallVector<int64_t> sizes(ranges.size(), 0);
    sizes[split.loop] = split.tile;
    SmallVector<LoopLikeOpInterface> loops;
    FailureOr<Operation *> share = tile(rewriter, op, sizes, {}, &loops);
    if (failed(share))
      return failure();
    markParallelLoop(loops, ranges, sizes, {}, iterators, work, target);
    return cast<linalg::LinalgOp>(*share);
  }

  /// Tiles from chooseGenericTiles; the innermost loop masked where the
  /// policy says so.
  LogicalResult tileGeneric(RewriterBase &rewriter, linalg::LinalgOp op,
                            ArrayRef<int64_t> ranges, bool mark = true) {
    // Before tiling replaces `op`.
    int64_t work = workOf(op, ranges);
    int64_t rank = ranges.size();
    bool vectorizable =
        linalg::isParallelIterator(op.getIteratorTypesArray().back()) &&
        llvm::all_of(op.getIndexingMapsArray(), [&](AffineMap map) {
          return innermostOrAbsent(map, rank - 1);
        });
    SmallVector<bool> reduced;
    for (utils::IteratorType iterator : op.getIteratorTypesArray())
      reduced.push_back(!linalg::isParallelIterator(iterator));
    GenericTiles tiles =
        chooseGenericTiles(target, ranges, vectorizable, reduced);
    ArrayRef<int64_t> sizes = tiles.sizes;
    bool masked = tiles.maskInnermost;
    SmallVector<int64_t> roundUp(rank, 0);
    roundUp.back() = 1; // the innermost, masked
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    // On threads, an outermost reduction loop (a bias gradient's sum over
    // the batch) gets a parallel loop split around it, as tileLanePartials.
    int64_t outermost = 0;
    while (outermost < rank &&
           (sizes[outermost] == 0 || sizes[outermost] >= ranges[outermost]))
      ++outermost;
    if (mark && target.parallelGrain > 0 &&
        work >= target.parallelGrain && outermost < rank &&
        reduced[outermost]) {
      SmallVector<int64_t> candidates, units;
      for (int64_t d = 0; d + 1 < rank; ++d)
        if (!reduced[d]) {
          candidates.push_back(d);
          units.push_back(sizes[d]);
        }
      ParallelSplit split = chooseParallelSplit(ranges, candidates, units);
      if (split.loop >= 0) {
        FailureOr<linalg::LinalgOp> share =
            splitOverThreads(rewriter, op, ranges, split, iterators, work);
        if (failed(share))
          return failure();
        return tileGeneric(rewriter, *share, share->getStaticLoopRanges(),
                           /*mark=*/false);
      }
    }
    SmallVector<LoopLikeOpInterface> loops;
    FailureOr<Operation *> tiled = tile(rewriter, op, sizes, {}, &loops);
    if (failed(tiled))
      return failure();
    if (mark)
      markParallelLoop(loops, ranges, sizes, {}, iterators,
                       work, target);
    if (masked)
      (*tiled)->setAttr(kRoundUp, rewriter.getDenseI64ArrayAttr(roundUp));
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    IRRewriter rewriter(ctx);
    target = getTargetFacts(func);
    if (vectorBits != 0)
      target.vectorBits = vectorBits;
    if (numRegisters != 0)
      target.numRegisters = numRegisters;

    // 1. Tile: contractions first (they absorb their fills and epilogues),
    //    then every op not yet tiled, i.e. still at the top of the body.
    //    A failure to tile only costs speed: the op stays whole.
    auto untiled = [&](auto filter) {
      SmallVector<linalg::LinalgOp> ops;
      for (Operation &op : func.getBody().front())
        if (auto linalgOp = dyn_cast<linalg::LinalgOp>(&op))
          if (linalgOp.hasPureTensorSemantics() && filter(linalgOp) &&
              !llvm::any_of(linalgOp.getStaticLoopRanges(),
                            ShapedType::isDynamic))
            ops.push_back(linalgOp);
      return ops;
    };
    for (linalg::LinalgOp op : untiled([](linalg::LinalgOp op) {
           return isRegisterTiledContraction(op.getOperation());
         }))
      (void)tileContraction(rewriter, op, op.getStaticLoopRanges());
    // Convolutions next (a direct one takes the fill of its output into its
    // tiles), then the rest.
    for (linalg::LinalgOp op : untiled([](linalg::LinalgOp op) {
           return op.getNumLoops() > 0 && !isa<linalg::FillOp>(op);
         }))
      if (failed(tileLanePartials(rewriter, op, op.getStaticLoopRanges())))
        (void)tileConvolution(rewriter, op, op.getStaticLoopRanges());
    for (linalg::LinalgOp op :
         untiled([](linalg::LinalgOp op) { return op.getNumLoops() > 0; }))
      (void)tileGeneric(rewriter, op, op.getStaticLoopRanges());

    // Tiles that do not divide their loop: every tile static.
    peelPartialTiles(rewriter, func);

    // 2. Reduction tiles lose their unit dimensions (a 1 x 13 tile of a sum
    //    becomes a 13-element one): MLIR 19's reduction-to-contract patterns
    //    (step 4) fold a broadcast operand of a reduction with a unit
    //    dimension into a vector.contract that the verifier rejects.
    //    Window reads (im2col's oh*sh + kh*dh) likewise: with the window
    //    loops tiled by 1 and dropped, their maps become projected
    //    permutations, which the vectorizer needs.
    SmallVector<linalg::GenericOp> reductions;
    func.walk([&](linalg::GenericOp op) {
      if (!op.hasPureTensorSemantics())
        return;
      bool window = !llvm::all_of(op.getIndexingMapsArray(), [](AffineMap m) {
        return m.isProjectedPermutation();
      });
      if (op.getNumReductionLoops() > 0 || window)
        reductions.push_back(op);
    });
    linalg::ControlDropUnitDims dropUnitDims;
    dropUnitDims.rankReductionStrategy =
        linalg::ControlDropUnitDims::RankReductionStrategy::ExtractInsertSlice;
    for (linalg::GenericOp op : reductions) {
      // A masked tile keeps its flags, less the dropped dimensions.
      auto flags = op->getAttrOfType<DenseI64ArrayAttr>(kRoundUp);
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      InsertedGenerics inserted;
      rewriter.setListener(&inserted);
      rewriter.setInsertionPoint(op);
      bool dropped =
          succeeded(linalg::dropUnitDims(rewriter, op, dropUnitDims));
      rewriter.setListener(nullptr);
      if (!dropped || !flags || inserted.ops.size() != 1)
        continue;
      SmallVector<int64_t> kept;
      for (auto [flag, range] : llvm::zip(flags.asArrayRef(), ranges))
        if (range != 1)
          kept.push_back(flag);
      inserted.ops.front()->setAttr(kRoundUp,
                                    rewriter.getDenseI64ArrayAttr(kept));
    }

    // 3. Vectorize every (now tile-sized) linalg op; leftovers become loops.
    SmallVector<Operation *> tiles;
    func.walk([&](linalg::LinalgOp op) { tiles.push_back(op); });
    for (Operation *op : tiles) {
      rewriter.setInsertionPoint(op);
      SmallVector<int64_t> vectorSizes;
      if (auto flags = op->getAttrOfType<DenseI64ArrayAttr>(kRoundUp)) {
        SmallVector<int64_t> ranges =
            cast<linalg::LinalgOp>(op).getStaticLoopRanges();
        for (auto [roundUp, range] : llvm::zip(flags.asArrayRef(), ranges))
          vectorSizes.push_back(roundUp && !ShapedType::isDynamic(range)
                                    ? int64_t(llvm::alignTo(range, lanes()))
                                    : range);
        if (llvm::any_of(vectorSizes, ShapedType::isDynamic)) {
          op->removeAttr(kRoundUp);
          vectorSizes.clear();
        }
      }
      // Scalable flags spelled out (all false): left empty, MLIR 19 builds
      // mask types that differ from the ones the transfers infer.
      SmallVector<bool> fixedWidth(vectorSizes.size(), false);
      if (failed(linalg::vectorize(rewriter, op, vectorSizes, fixedWidth)))
        op->removeAttr(kRoundUp);
    }

    // 4. Fold slices into transfers and reductions into contractions, and
    //    canonicalize (as transform's vectorize_children_and_apply_patterns).
    RewritePatternSet patterns(ctx);
    // Matmul tiles need these to become vector.contract; step 2 keeps them
    // from building an invalid one out of a reduction tile.
    vector::populateVectorReductionToContractPatterns(patterns);
    vector::populateSinkVectorBroadcastPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    // Masked tiles: vector.mask around a transfer becomes its mask operand.
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(patterns);
    patterns.add<UnmaskParallelDims>(ctx);
    dlc::populateAllCanonicalizationPatterns(patterns);
    // Not converging within the iteration limit is harmless here.
    (void)applyPatternsAndFoldGreedily(func, std::move(patterns));
  }
};

} // namespace
