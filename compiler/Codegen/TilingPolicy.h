//===- TilingPolicy.h - tile sizes per op kind ------------------*- C++ -*-===//
//
// Part of dlc. Which tiles each kind of op gets, apart from how tiling is
// done (TileAndVectorize.cpp, the mechanism): given the op's loop ranges and
// the target's facts (Target.h), a policy returns sizes, loop order and the
// flags the mechanism needs (peel, mask). New op kinds (conv tiles) and
// thread distribution go here.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_CODEGEN_TILINGPOLICY_H
#define DLC_CODEGEN_TILINGPOLICY_H

#include "Codegen/Target.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace dlc {

/// The largest tile <= `target` that divides `dim`, preferring multiples of
/// `multiple` (whole vectors). Returns 0 (do not tile) for the whole dim.
int64_t pickTile(int64_t dim, int64_t target, int64_t multiple = 1);

/// Like pickTile but a multiple of `unit` (itself a divisor of dim), for a
/// cache tile that holds whole register tiles.
int64_t pickOuterTile(int64_t dim, int64_t target, int64_t unit);

/// Tiles of a matmul (M x N x K): a cache tile `mc x nc` (N outermost), a
/// register tile `mr x nr`, K by 1. A size of 0 means the whole dimension.
struct ContractionTiles {
  int64_t mc = 0, nc = 0; ///< cache tile
  int64_t mr = 0, nr = 0; ///< register tile
  /// M has no divisor of at least half the register rows (a prime M): full
  /// register tiles (mc = mr), the last one peeled.
  bool peelM = false;
  /// N is not a multiple of the vector width: full-width vectors, masked at
  /// the edge (nc = nr; nr = 0 when N fits one register tile).
  bool maskN = false;
  /// K cache block (0: the whole K): a long K (a convolution's filter
  /// gradient sums over N OH OW) in blocks whose A and B panels stay in
  /// cache, the accumulators stored and reloaded between blocks.
  int64_t kc = 0;
};

/// Register tile `rows x 2 vectors`, as many rows as the registers allow
/// (keeping two for the B row and one for the A broadcast), at most 8; cache
/// tile up to 32 x 64 of whole register tiles; K in blocks of about 256 when
/// it is over 1024 and the tiles are whole.
ContractionTiles chooseContractionTiles(const TargetFacts &target, int64_t m,
                                        int64_t n, int64_t k);

/// Tiles of any other linalg op, over its loops in order.
struct GenericTiles {
  llvm::SmallVector<int64_t> sizes; ///< 0: the whole loop
  /// The innermost loop is rounded up to whole vectors and masked.
  bool maskInnermost = false;
  /// The order of the tile loops (empty: the natural order).
  llvm::SmallVector<int64_t> interchange;
  /// Lane partials: the first reduction loop runs in blocks of this many
  /// steps outside the tiles (0: by 1, outermost), each block's steps
  /// inside them.
  int64_t reductionBlock = 0;
};

/// Two vectors along the innermost loop, up to 4 along the next (more when
/// the innermost loop is shorter than a vector: about two vectors' worth),
/// 1 along the others. `innermostVectorizable`: the innermost loop is parallel
/// and every operand reads it contiguously or not at all (what masking needs).
/// `reduced`: per loop, whether it is a reduction; with a parallel innermost
/// loop, reductions get tiles of 1 (each step then adds a vector to the
/// accumulator, where a tile of several rows would be a cross-row reduction
/// that MLIR 19 lowers lane by lane).
GenericTiles chooseGenericTiles(const TargetFacts &target,
                                llvm::ArrayRef<int64_t> ranges,
                                bool innermostVectorizable,
                                llvm::ArrayRef<bool> reduced = {});

/// The loops of a direct convolution (a generic whose input is read at
/// output position + window position), as linalg::inferConvolutionDims
/// finds them.
struct ConvolutionLoops {
  llvm::SmallVector<unsigned> outputImage, outputChannel;
};

/// Tiles of a direct convolution, over its loops in order: a register tile
/// of up to 8 output channels (as the registers allow) x the output row (two
/// vectors at most; never
/// masked: the conversion computes rows to whole vectors, see
/// DLToLinalg/Conv.cpp), every other loop by 1, so that each step of the
/// window and input-channel loops is one outer product into accumulators
/// carried in registers. Empty when the output rows are too short to fill
/// half a vector.
GenericTiles chooseConvolutionTiles(const TargetFacts &target,
                                    llvm::ArrayRef<int64_t> ranges,
                                    const ConvolutionLoops &loops);

/// The loops of a lane-partials reduction (a convolution's filter gradient,
/// DLToLinalg/Conv.cpp): `lane`, a parallel loop of whole vectors that every
/// operand reads innermost; `lhs` and `rhs`, a parallel loop that only that
/// input reads, plainly (none: -1).
struct LanePartialLoops {
  int64_t lane = -1, lhs = -1, rhs = -1;
};

/// Tiles of a lane-partials reduction, over its loops in order: a register
/// tile of lhs x rhs accumulators, each the whole lane loop (as many as the
/// registers allow with one operand's vectors beside them, at most three
/// quarters of them), every other loop by 1; the first reduction loop
/// (`firstReduction`) outermost, so that each of its steps reads a slice of
/// the operands small enough to stay in cache across the tiles; in blocks of
/// several steps when the other reduction loops are short (under 64 steps
/// in all: 14 x 14 rows), so that each tile's accumulators are loaded and
/// stored once per block rather than per step.
GenericTiles chooseLanePartialTiles(const TargetFacts &target,
                                    llvm::ArrayRef<int64_t> ranges,
                                    const LanePartialLoops &loops,
                                    int64_t firstReduction);

/// A lane-partials reduction (or any op whose outermost tile loop is a
/// reduction) split over threads: the parallel loop of `ranges` (among
/// `candidates`, loops that one input alone reads) to split into a parallel
/// tile loop outermost, and its tile, a multiple of `units[i]` (the
/// candidate's register tile; 0: the whole loop) giving about
/// kParallelChunks tiles. {-1, 0} when no candidate has two tiles. Each
/// tile repeats the whole reduction for its share of the outputs, reading
/// the other input once per tile: few tiles keep that traffic low.
struct ParallelSplit {
  int64_t loop = -1, tile = 0;
};
ParallelSplit chooseParallelSplit(llvm::ArrayRef<int64_t> ranges,
                                  llvm::ArrayRef<int64_t> candidates,
                                  llvm::ArrayRef<int64_t> units);

/// How many tiles a split for threads aims at: enough to share among a few
/// cores evenly, few enough to keep what each tile re-reads small.
inline constexpr int64_t kParallelChunks = 8;

} // namespace dlc

#endif // DLC_CODEGEN_TILINGPOLICY_H
